"""The set of articles matching a Filters value, as SQL selecting their ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection

from dateline.filters import Filters
from dateline.store.checks import exists_checks
from dateline.store.fulltext import (
    DOC_INDEX,
    count_docs,
    fts5_query,
    fts_conditions,
    fts_ids_sql,
    sampled_docs,
    window_floor,
)
from dateline.store.pg_matching import (
    newest_pg_sql,
    pg_driven_ids_sql,
    pg_text_matches_sql,
    sampled_pg_sql,
)
from dateline.store.sql import Params, between, where_clause


def has_dimensions(f: Filters) -> bool:
    return bool(f.countries or f.topics or f.sources or f.languages or f.query.strip())


def ids_sql(
    conn: Connection,
    f: Filters,
    since: datetime | None,
    until: datetime | None,
    p: Params,
    extra_country: str | None = None,
) -> str:
    """SQL selecting the distinct `id`s of matching articles, each part driven by its own index."""
    if (
        conn.dialect.name == "postgresql"
        and f.query.strip()
        and (has_dimensions(replace(f, query="")) or extra_country)
    ):
        return f"SELECT m.id FROM ({pg_text_matches_sql(conn, f, since, until, p, extra_country)}) m"
    if conn.dialect.name == "postgresql" and not f.query.strip():
        driven = pg_driven_ids_sql(conn, f, since, until, p, extra_country)
        if driven:
            return driven
    parts = []
    about = " AND about = 1" if f.country_mode == "about" else ""
    for codes in (f.countries, (extra_country,) if extra_country else ()):
        if codes:
            conds = [f"code IN ({p.add_list(codes)}){about}"] + between("sort_at", since, until, p)
            parts.append(f"SELECT DISTINCT article_id AS id FROM article_countries{where_clause(conds)}")
    if f.topics:
        conds = [f"code IN ({p.add_list(f.topics)})"] + between("sort_at", since, until, p)
        parts.append(f"SELECT DISTINCT article_id AS id FROM article_topics{where_clause(conds)}")
    if f.query.strip():
        parts.append(fts_ids_sql(conn, f.query, since, until, p))
    checks = [
        f"a.{column} IN ({p.add_list(values)})"
        for column, values in (("source", f.sources), ("language", f.languages))
        if values
    ]
    if parts and checks:
        # Source and language are checked on the (smaller) tag/text matches by primary key, rather
        # than materialising every article of a big language or source and intersecting.
        core = " INTERSECT ".join(parts)
        return (
            f"SELECT a.id FROM ({core}) c {cross_join(conn)} articles a ON a.id = c.id{where_clause(checks)}"
        )
    return " INTERSECT ".join(
        parts
        or [f"SELECT a.id FROM articles a{where_clause(checks + between('a.sort_at', since, until, p))}"]
    )


def driving_tag(f: Filters) -> tuple[str, str, bool] | None:
    """(table, code, about-only) of a one-code country or topic filter that can drive a list query."""
    if f.query.strip():
        return None
    if len(f.countries) == 1:
        return "article_countries", f.countries[0], f.country_mode == "about"
    return ("article_topics", f.topics[0], False) if len(f.topics) == 1 else None


def cross_join(conn: Connection) -> str:
    # SQLite keeps the written join order only for CROSS JOIN; Debian's build lacks STAT4 and
    # otherwise drives skewed filters from the wrong side (QUERY-PERF.md).
    return "CROSS JOIN" if conn.dialect.name == "sqlite" else "JOIN"


def tag_walk_sql(
    conn: Connection,
    f: Filters,
    since: datetime | None,
    until: datetime | None,
    p: Params,
    *,
    limit: int,
    offset: int = 0,
    newest: bool = True,
) -> str | None:
    """SQL selecting the `id`s of matches in time order (newest or oldest first), `limit` of them after
    `offset`, by walking tag indexes instead of sorting every match; None when no tag filter can drive.

    One country and one topic (SQLite): both `(code, sort_at)` indexes are read in order and merged
    (MERGE INTERSECT), so a rare combination costs two sequential index ranges rather than a random
    primary-key probe per row of the driving code (QUERY-PERF Q3; ~1 s cold at 1M before)."""
    drive = driving_tag(f)
    if drive is None:
        return None
    order = "DESC" if newest else "ASC"
    page = f"LIMIT {p.add(limit)}" + (f" OFFSET {p.add(offset)}" if offset else "")
    if conn.dialect.name == "sqlite" and len(f.countries) == 1 and len(f.topics) == 1:
        about = ["about = 1"] if f.country_mode == "about" else []
        country = [f"code = {p.add(f.countries[0])}", *about, *between("sort_at", since, until, p)]
        topic = [f"code = {p.add(f.topics[0])}", *between("sort_at", since, until, p)]
        merged = (
            f"SELECT sort_at, article_id FROM article_countries{where_clause(country)} INTERSECT "
            f"SELECT sort_at, article_id FROM article_topics{where_clause(topic)} ORDER BY 1 {order}, 2 {order}"
        )
        checks = exists_checks(f, ("article_countries", "article_topics"), "m.article_id", p)
        if not checks:
            return f"SELECT article_id AS id FROM ({merged} {page})"
        # No outer ORDER BY: SQLite would then hash the INTERSECT and sort every match; the merge runs
        # as a co-routine whose rows arrive in its ORDER BY (tests/engine check the order).
        return f"SELECT m.article_id AS id FROM ({merged}) m{where_clause(checks)} {page}"
    table, code, about_only = drive
    conds = [f"d.code = {p.add(code)}", *between("d.sort_at", since, until, p)]
    conds += (["d.about = 1"] if about_only else []) + exists_checks(f, (table,), "d.article_id", p)
    return (
        f"SELECT d.article_id AS id FROM {table} d{where_clause(conds)} "
        f"ORDER BY d.sort_at {order}, d.article_id {order} {page}"
    )


def newest_ids_sql(
    conn: Connection, f: Filters, since: datetime | None, until: datetime | None, p: Params, cap: int
) -> tuple[str, int | None] | None:
    """SQL selecting the newest matches, newest first, up to `cap` + 1 ids (one row past the cap tells
    the caller that matches were left out), walking one index and checking the other filters per row;
    and, for a text query on SQLite, how many of the newest docs holding its words the walk was
    confined to (None: not confined). None when no index can drive the walk."""
    if f.query.strip():
        return _newest_fts_sql(conn, f, since, until, p, cap)
    walk = tag_walk_sql(conn, f, since, until, p, limit=cap + 1)
    return (walk, None) if walk else None


# A text query's newest matches are looked for among the newest FTS_REACH x cap docs holding its
# words: a filter passed by one doc in FTS_REACH still finds `cap` matches, and a rarer one stops
# there instead of checking every doc of a common word (hundreds of thousands at 1M).
FTS_REACH = 8


def _newest_fts_sql(
    conn: Connection, f: Filters, since, until, p: Params, cap: int
) -> tuple[str, int | None]:  # type: ignore[no-untyped-def]
    if conn.dialect.name == "postgresql":
        return newest_pg_sql(conn, f, since, until, p, cap)
    checks = exists_checks(f, (), "t.article_id", p)
    limit = f"LIMIT {p.add(cap + 1)}"
    match = fts5_query(f.query)
    if not match:
        return "SELECT id FROM articles WHERE 1 = 0", None
    conds, check_time = fts_conditions(conn, match, since, until, p)
    join = f" JOIN {DOC_INDEX}"
    reach = cap * FTS_REACH
    floor = window_floor(conn, conds, join if check_time else "", p, reach)
    conds += [f"articles_fts.rowid >= {p.add(floor)}"] if floor is not None else []
    sql = (
        f"SELECT t.article_id AS id FROM articles_fts{join}{where_clause(conds + checks)} "
        f"ORDER BY articles_fts.rowid DESC {limit}"
    )
    return sql, (reach if floor is not None else None)


def sampled_ids_sql(
    conn: Connection, f: Filters, since: datetime | None, until: datetime | None, p: Params, size: int
) -> tuple[str, int] | None:
    """SQL selecting (id, day) of every `stride`-th doc holding `f.query`'s words that passes the other
    filters, and the stride: 1 (every match, exact) unless more than `size` docs hold the words. Counts over
    it times the stride estimate the full counts. None without a text query, and on PostgreSQL when
    every match is to be counted (see `sampled_pg_sql`)."""
    if conn.dialect.name == "postgresql":
        return sampled_pg_sql(conn, f, since, until, p, size) if f.query.strip() else None
    match = fts5_query(f.query) if f.query.strip() else ""
    if not match:
        return None
    conds, check_time = fts_conditions(conn, match, since, until, p)
    join = f" JOIN {DOC_INDEX}"
    words = count_docs(conn, conds, join if check_time else "", p)
    stride = max(1, -(-words // size))
    # The day comes along from the doc index (sort_at's date is published_day), sparing a lookup of
    # each sampled article's row when counting per day.
    rows = sampled_docs(conn, conds, p, stride)
    sample = f"SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS day FROM json_each({p.add(rows)})"
    return f"SELECT s.id, s.day FROM ({sample}) s{where_clause(exists_checks(f, (), 's.id', p))}", stride
