"""Pages of matching articles, newest or oldest first, with their country and topic codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, text

from dateline.filters import Filters
from dateline.store.checks import exists_checks
from dateline.store.fulltext import (
    DOC_INDEX,
    fts5_query,
    fts_conditions,
    pg_estimate,
    pg_tsquery,
    pg_walks,
    tune_postgres_fts,
)
from dateline.store.matching import cross_join, has_dimensions, ids_sql, tag_walk_sql
from dateline.store.sql import Params, between, connected, where_clause

# A text query's newest matches are looked for in the last day, then 8 and 64 days; past that,
# every match is intersected with the other filters (cheaper than checking each doc one by one).
_LOOKBACK_DAYS = (1, 8, 64)

ARTICLE_LIST_COLUMNS = ["id", "title", "source", "published_at", "url", "language", "countries", "topics"]


def _page_ids(
    conn: Connection, f: Filters, now: datetime, limit: int, offset: int, newest: bool
) -> list[str]:
    since, until = f.time_range(now)
    if newest and _looks_back(conn, f, since, until, limit + offset):
        found = _newest_text_ids(conn, f, now, since, until, limit + offset)
        if found is not None:
            return found[offset:]
    p = Params()
    order = "DESC" if newest else "ASC"
    paging = f" ORDER BY a.sort_at {order}, a.id {order} LIMIT {p.add(limit)} OFFSET {p.add(offset)}"
    walk = tag_walk_sql(conn, f, since, until, p, limit=limit, offset=offset, newest=newest)
    if not has_dimensions(f):
        sql = f"SELECT a.id FROM articles a{where_clause(between('a.sort_at', since, until, p))}{paging}"
    elif walk:
        sql = walk  # tag indexes read in time order, stopping after the page (QUERY-PERF Q3)
    else:
        ids = ids_sql(conn, f, since, until, p)
        sql = f"SELECT a.id FROM ({ids}) m {cross_join(conn)} articles a ON a.id = m.id{paging}"
    return [r[0] for r in conn.execute(text(sql), p)]


def _looks_back(conn: Connection, f: Filters, since: datetime | None, until: datetime | None, n: int) -> bool:
    """Whether to find a text query's newest matches by growing spans back in time: always on SQLite;
    on PostgreSQL for words the planner puts in many docs (its exact plans are cheap for the others)."""
    if conn.dialect.name == "sqlite":
        return bool(fts5_query(f.query))
    if not f.query.strip():
        return False
    return pg_walks(*pg_estimate(conn, f.query, since, until), n)


def _newest_text_ids(
    conn: Connection, f: Filters, now: datetime, since: datetime | None, until: datetime | None, n: int
) -> list[str] | None:
    """The newest `n` matches of a text query, exactly: the FTS5 walk is bounded to a growing span
    back from the end of the range, so a common word never has every match sorted. None when the
    longest span still holds fewer (a rare combination: intersecting every match is then cheaper
    than checking each of a common word's docs)."""
    end = min(until, now) if until else now
    for days in _LOOKBACK_DAYS:
        start = end - timedelta(days=days)
        start = max(start, since) if since else start
        p = Params()
        if conn.dialect.name == "postgresql":
            tune_postgres_fts(
                conn, walk=True
            )  # a short span of a common word: its time index, checked per doc
            conds, matches = (
                [f"t.tsv @@ {pg_tsquery(f.query, p)}", *between("t.sort_at", start, until, p)],
                "article_texts t",
            )
        else:
            conds, _ = fts_conditions(conn, fts5_query(f.query), start, until, p)
            matches = f"articles_fts JOIN {DOC_INDEX}"
        conds += exists_checks(f, (), "t.article_id", p)
        sql = (
            f"SELECT t.article_id FROM {matches}{where_clause(conds)} "
            f"ORDER BY t.sort_at DESC, t.article_id DESC LIMIT {p.add(n)}"
        )
        ids = [r[0] for r in conn.execute(text(sql), p)]
        if len(ids) >= n or start == since:
            return ids  # every match in [start, until) is newer than every match before it
    return None


def _tag_lists(conn: Connection, ids: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Comma-separated country codes (about ones first) and topic codes (primary first) per article."""
    countries = _codes_by_article(conn, "article_countries", "about DESC, salience DESC", ids)
    topics = _codes_by_article(conn, "article_topics", "is_primary DESC, score DESC", ids)
    return countries, topics


def _codes_by_article(conn: Connection, table: str, order: str, ids: Sequence[str]) -> dict[str, str]:
    """Comma-separated tag codes per article, in `order` (table and order are ours, never user input)."""
    p = Params()
    sql = f"SELECT article_id, code FROM {table} WHERE article_id IN ({p.add_list(ids)}) ORDER BY article_id, {order}, code"
    codes: dict[str, list[str]] = {}
    for aid, code in conn.execute(text(sql), p):
        codes.setdefault(aid, []).append(code)
    return {k: ",".join(v) for k, v in codes.items()}


def _rows_by_id(conn: Connection, ids: Sequence[str], columns: str) -> dict[str, tuple]:
    p = Params()
    rows = conn.execute(text(f"SELECT a.id, {columns} FROM articles a WHERE a.id IN ({p.add_list(ids)})"), p)
    return {r[0]: tuple(r) for r in rows}


def list_articles(
    conn: Connection | Engine,
    f: Filters,
    now: datetime,
    *,
    limit: int = 50,
    offset: int = 0,
    sort: str = "newest",
) -> pd.DataFrame:
    """One page of matching articles, newest (or oldest) first, with their country and topic codes."""
    if sort not in ("newest", "oldest"):
        raise ValueError(f"sort must be 'newest' or 'oldest', not {sort!r}")
    with connected(conn) as c:
        ids = _page_ids(c, f, now, limit, offset, sort == "newest")
        if not ids:
            return pd.DataFrame(columns=ARTICLE_LIST_COLUMNS)
        rows = _rows_by_id(c, ids, "a.title, a.source, a.published_at, a.url, a.language")
        countries, topics = _tag_lists(c, ids)
    records = [(*rows[i], countries.get(i, ""), topics.get(i, "")) for i in ids]
    return pd.DataFrame(records, columns=ARTICLE_LIST_COLUMNS)
