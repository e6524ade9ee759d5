"""Per-row filter checks: EXISTS probes by primary key on an article id column."""

from __future__ import annotations

from collections.abc import Collection

from dateline.filters import Filters
from dateline.store.sql import Params


def exists_checks(f: Filters, skip: Collection[str], col: str, p: Params) -> list[str]:
    """Per-row checks, on the article id column `col`, of the filters not already applied by the
    tables in `skip` (the tables driving the walk)."""
    conds = []
    if f.countries and "article_countries" not in skip:
        about = " AND x.about = 1" if f.country_mode == "about" else ""
        conds.append(
            f"EXISTS (SELECT 1 FROM article_countries x WHERE x.article_id = {col} "
            f"AND x.code IN ({p.add_list(f.countries)}){about})"
        )
    if f.topics and "article_topics" not in skip:
        conds.append(
            f"EXISTS (SELECT 1 FROM article_topics x WHERE x.article_id = {col} "
            f"AND x.code IN ({p.add_list(f.topics)}))"
        )
    for column, values in (("source", f.sources), ("language", f.languages)):
        if values:
            conds.append(
                f"EXISTS (SELECT 1 FROM articles x WHERE x.id = {col} AND x.{column} IN ({p.add_list(values)}))"
            )
    return conds
