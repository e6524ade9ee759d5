"""Full-text search: ranked matches with snippets under the other filters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, text

from dateline.filters import Filters
from dateline.store.counts import count_articles
from dateline.store.fulltext import (
    DOC_INDEX,
    count_docs,
    fts5_query,
    fts_conditions,
    tune_postgres_fts,
    window_floor,
)
from dateline.store.matching import cross_join, exists_checks
from dateline.store.sql import Params, between, connected, where_clause

SEARCH_COLUMNS = ["id", "title", "source", "published_at", "url", "snippet", "rank"]
PG_CANDIDATES = 1000  # PostgreSQL ranks only the newest matches (QUERY-PERF.md, F4)


# SQLite ranks and counts within the newest WINDOW matches of the words; the total is exact when the
# window holds every match, else scaled from the share of the window that passes the other filters.
WINDOW = 20_000
WIDEN = 4


def search_articles(
    conn: Connection | Engine, f: Filters, now: datetime, *, limit: int = 50, offset: int = 0
) -> tuple[pd.DataFrame, int]:
    """Full-text matches for `f.query` under the other filters, best first, with highlighted snippets.

    On SQLite, when more than WINDOW articles contain the words, results are ranked among the newest
    WINDOW of them (`attrs["ranked_newest"]`; a window WIDEN, WIDEN² ... times larger when too few of
    them pass the other filters to fill the page) and a total under other filters is an estimate
    (`attrs["estimated"]`), so a very common word stays fast at any corpus size."""
    empty = pd.DataFrame(columns=SEARCH_COLUMNS)
    with connected(conn) as c:
        if not f.query.strip() or (c.dialect.name == "sqlite" and not fts5_query(f.query)):
            return empty, 0
        notes: dict[str, object] = {}
        if c.dialect.name == "sqlite":
            total, rows, notes = _search_sqlite(c, f, now, limit, offset)
        else:
            total = count_articles(c, f, now)
            rows = _search_postgres(c, f, now, limit, offset) if total else []
        if not total:
            return empty, 0
    frame = pd.DataFrame([tuple(r) for r in rows], columns=SEARCH_COLUMNS)
    frame["rank"] = frame["rank"].astype("float64")
    frame.attrs.update(notes)
    return frame, total


def _checks(f: Filters, p: Params) -> list[str]:
    """The non-text filters, checked per match on `t.article_id` by primary key."""
    return exists_checks(f, (), "t.article_id", p)


def _search_sqlite(
    conn: Connection, f: Filters, now: datetime, limit: int, offset: int
) -> tuple[int, Sequence, dict]:
    since, until = f.time_range(now)
    match = fts5_query(f.query)
    p = Params()
    conds, check_time = fts_conditions(conn, match, since, until, p)
    join = f" JOIN {DOC_INDEX}" if check_time else ""
    words = count_docs(conn, conds, join, p)
    checks = _checks(f, p)
    size = WINDOW
    while True:
        floor = window_floor(conn, conds, join, p, size) if size < words else None
        window = conds + ([f"articles_fts.rowid >= {p.add(floor)}"] if floor is not None else [])
        notes: dict[str, object] = {"ranked_newest": size} if floor is not None else {}
        if not checks:
            return words, _ranked_page(conn, match, window, p, limit, offset), notes
        passing = _count(conn, window + checks, p)
        if floor is None:
            return passing, _ranked_page(conn, match, window + checks, p, limit, offset), notes
        if passing >= offset + limit:
            notes["estimated"] = True
            total = round(passing * words / size)
            return total, _ranked_page(conn, match, window + checks, p, limit, offset), notes
        # Too few pass the other filters to fill the page: a window WIDEN times larger, up to all the
        # words' docs, so the cost grows with how rare the filters are, not straight to every match.
        size *= WIDEN


def _count(conn: Connection, conds: list[str], p: Params) -> int:
    sql = f"SELECT COUNT(*) FROM articles_fts JOIN {DOC_INDEX}{where_clause(conds)}"
    return int(conn.execute(text(sql), p).scalar_one())


def _ranked_page(
    conn: Connection, match: str, conds: list[str], p: Params, limit: int, offset: int
) -> Sequence:
    # Rank first and make snippets only for the page: SQLite would otherwise build a snippet for
    # every match before sorting.
    top = (
        f"SELECT articles_fts.rowid AS doc, bm25(articles_fts, 5.0, 1.0) AS score FROM articles_fts "
        f"JOIN {DOC_INDEX}{where_clause(conds)} "
        f"ORDER BY score, articles_fts.rowid DESC LIMIT {p.add(limit)} OFFSET {p.add(offset)}"
    )
    sql = (
        "SELECT a.id, a.title, a.source, a.published_at, a.url, "
        "snippet(articles_fts, -1, char(2), char(3), '…', 24), -top.score "
        f"FROM ({top}) top {cross_join(conn)} articles_fts ON articles_fts.rowid = top.doc "
        "JOIN article_texts t ON t.doc = top.doc JOIN articles a ON a.id = t.article_id "
        f"WHERE articles_fts MATCH {p.add(match)} ORDER BY top.score, top.doc DESC"
    )
    return conn.execute(text(sql), p).all()


def _search_postgres(conn: Connection, f: Filters, now: datetime, limit: int, offset: int) -> Sequence:
    since, until = f.time_range(now)
    tune_postgres_fts(conn)
    p = Params()
    q = f"websearch_to_tsquery('simple', {p.add(f.query)})"
    conds = [f"t.tsv @@ {q}"] + between("t.sort_at", since, until, p) + _checks(f, p)
    candidates = (
        f"SELECT t.doc, t.article_id, t.sort_at, ts_rank(t.tsv, {q}) AS score FROM article_texts t"
        f"{where_clause(conds)} ORDER BY t.sort_at DESC LIMIT {p.add(PG_CANDIDATES)}"
    )
    options = p.add(
        "StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=…"
    )
    sql = (
        f"SELECT a.id, a.title, a.source, a.published_at, a.url, ts_headline('simple', t.title || ' — ' || t.text, "
        f"{q}, {options}), c.score FROM ({candidates}) c JOIN article_texts t ON t.doc = c.doc "
        f"JOIN articles a ON a.id = c.article_id ORDER BY c.score DESC, c.sort_at DESC "
        f"LIMIT {p.add(limit)} OFFSET {p.add(offset)}"
    )
    return conn.execute(text(sql), p).all()
