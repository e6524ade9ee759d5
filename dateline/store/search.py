"""Full-text search: ranked matches with snippets under the other filters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, text

from dateline.filters import Filters
from dateline.store.checks import exists_checks
from dateline.store.fulltext import (
    DOC_INDEX,
    count_docs,
    fts5_query,
    fts_conditions,
    pg_estimate,
    pg_reach,
    pg_tsquery,
    pg_walks,
    tune_postgres_fts,
    window_floor,
)
from dateline.store.matching import cross_join
from dateline.store.pg_matching import pg_filter_share, pg_text_matches_sql
from dateline.store.sql import Params, between, connected, where_clause

SEARCH_COLUMNS = ["id", "title", "source", "published_at", "url", "snippet", "rank"]
PG_CANDIDATES = 1000  # PostgreSQL ranks only the newest matches (QUERY-PERF.md, F4)
# A PostgreSQL window is widened only while its walk is expected to check at most this many docs
# (~10 us each: the tsvector is detoasted); past it, the exact plan.
PG_WALK_DOCS = 16_000


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
    (`attrs["estimated"]`), so a very common word stays fast at any corpus size. PostgreSQL does the
    same with a window of PG_CANDIDATES (see `_search_postgres`), and otherwise ranks the newest
    PG_CANDIDATES matches, saying so when there are more."""
    empty = pd.DataFrame(columns=SEARCH_COLUMNS)
    with connected(conn) as c:
        if not f.query.strip() or (c.dialect.name == "sqlite" and not fts5_query(f.query)):
            return empty, 0
        search = _search_sqlite if c.dialect.name == "sqlite" else _search_postgres
        total, rows, notes = search(c, f, now, limit, offset)
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


def _search_postgres(
    conn: Connection, f: Filters, now: datetime, limit: int, offset: int
) -> tuple[int, Sequence, dict]:
    """Words in many docs: ranked within the newest PG_CANDIDATES docs holding them (widened like
    SQLite's window when the other filters leave too few), found by walking the time index newest
    first, with the total estimated from the planner's count of the words (F4's exact count of a word
    in 64 % of 1M docs took 5 s). Other words: every match counted, the newest PG_CANDIDATES ranked."""
    since, until = f.time_range(now)
    words, docs = pg_estimate(conn, f.query, since, until)
    filtered = bool(f.countries or f.topics or f.sources or f.languages)
    size = PG_CANDIDATES
    share = pg_filter_share(conn, f, since, until, docs) if filtered else None
    if share is not None:
        # No window is walked that the country and topic filters are expected to leave short of the
        # page (taken as independent of each other and of the words).
        while size * share < offset + limit and size * docs <= PG_WALK_DOCS * words:
            size *= WIDEN
    while pg_walks(words, docs, size) and size * docs <= PG_WALK_DOCS * words:
        found = _pg_window(conn, f, since, until, size, pg_reach(words, docs, size), limit, offset)
        if found is None:
            break  # the words are rarer than the planner thought: count them
        walked, passing, rows = found
        if walked < size:  # the walk saw every match in the time range: all exact
            return passing, rows, {}
        notes: dict[str, object] = {"ranked_newest": size, "estimated": True}
        if not filtered:
            return max(words, walked), rows, notes
        if passing >= offset + limit:
            return round(passing * words / size), rows, notes
        size *= WIDEN
    total, rows = _pg_every_match(conn, f, since, until, limit, offset)
    return total, rows, ({"ranked_newest": PG_CANDIDATES} if total > PG_CANDIDATES else {})


_PG_SNIPPET = "StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=…"


def _pg_page(candidates: str, q: str, p: Params, limit: int, offset: int, counts: str = "") -> str:
    """The page of `candidates` (doc, article_id, sort_at, score) best first, with snippets, each row
    led by the `counts` columns."""
    return (
        f"SELECT {counts}a.id, a.title, a.source, a.published_at, a.url, "
        f"ts_headline('simple', t.title || ' — ' || t.text, {q}, {p.add(_PG_SNIPPET)}), c.score FROM ({candidates}) c JOIN article_texts t ON t.doc = c.doc "
        f"JOIN articles a ON a.id = c.article_id ORDER BY c.score DESC, c.sort_at DESC, c.doc DESC "
        f"LIMIT {p.add(limit)} OFFSET {p.add(offset)}"
    )


def _pg_counted_page(
    conn: Connection,
    ctes: str,
    counts: list[str],
    candidates: str,
    q: str,
    p: Params,
    limit: int,
    offset: int,
) -> tuple[list[int], Sequence]:
    """The page (`_pg_page`) and the `counts` over the CTEs in one statement, each row carrying the
    counts (computed once); asked again alone when the page is empty (past the end)."""
    page = _pg_page(candidates, q, p, limit, offset, counts="".join(f"{c}, " for c in counts))
    rows = conn.execute(text(f"{ctes} {page}"), p).all()
    n = len(counts)
    if not rows:
        return [int(x) for x in conn.execute(text(f"{ctes} SELECT {', '.join(counts)}"), p).one()], []
    return [int(x) for x in rows[0][:n]], [r[n:] for r in rows]


def _pg_window(
    conn: Connection, f: Filters, since, until, size: int, reach: int, limit: int, offset: int
) -> tuple[int, int, Sequence] | None:  # type: ignore[no-untyped-def]
    """(docs in the window, how many pass the other filters, the page ranked among those) for the
    newest `size` docs holding the words, walking at most `reach` docs; None when the walk stopped at
    `reach` short of `size` (then the estimate was far off)."""
    tune_postgres_fts(conn, walk=True)
    p = Params()
    q = pg_tsquery(f.query, p)
    span = where_clause(between("t.sort_at", since, until, p))
    # The inner LIMIT bounds the docs checked; rows stream through it in time order, so the walk
    # stops at the `size`-th match.
    newest = (
        f"SELECT t.doc, t.article_id, t.sort_at, t.tsv FROM article_texts t{span} "
        f"ORDER BY t.sort_at DESC LIMIT {p.add(reach)}"
    )
    window = f"SELECT * FROM ({newest}) r WHERE r.tsv @@ {q} ORDER BY r.sort_at DESC LIMIT {p.add(size)}"
    checks = exists_checks(f, (), "w.article_id", p)
    passing = (
        f"SELECT w.doc, w.article_id, w.sort_at, ts_rank(w.tsv, {q}) AS score FROM w{where_clause(checks)}"
    )
    ctes = f"WITH w AS ({window}), c AS ({passing})"
    counts = ["(SELECT COUNT(*) FROM w)", "(SELECT COUNT(*) FROM c)"]
    (walked, passed), rows = _pg_counted_page(conn, ctes, counts, "SELECT * FROM c", q, p, limit, offset)
    if walked < size:
        p = Params()
        span = where_clause(between("sort_at", since, until, p))
        docs = f"SELECT COUNT(*) FROM (SELECT 1 FROM article_texts{span} LIMIT {p.add(reach)}) d"
        if conn.execute(text(docs), p).scalar_one() >= reach:
            return None
    return walked, passed, rows


def _pg_every_match(
    conn: Connection, f: Filters, since, until, limit: int, offset: int
) -> tuple[int, Sequence]:  # type: ignore[no-untyped-def]
    """Every match counted, and the page ranked among the newest PG_CANDIDATES: one pass over them."""
    p = Params()
    matches = pg_text_matches_sql(conn, f, since, until, p)
    q = pg_tsquery(f.query, p)
    newest = f"SELECT * FROM m ORDER BY m.sort_at DESC, m.doc DESC LIMIT {p.add(PG_CANDIDATES)}"
    # Ranked after the cut: ts_rank detoasts each tsvector again.
    candidates = (
        f"SELECT n.doc, n.id AS article_id, n.sort_at, ts_rank(n.tsv, {q}) AS score FROM ({newest}) n"
    )
    ctes = f"WITH m AS MATERIALIZED ({matches})"
    (total,), rows = _pg_counted_page(
        conn, ctes, ["(SELECT COUNT(*) FROM m)"], candidates, q, p, limit, offset
    )
    return total, rows
