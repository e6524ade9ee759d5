"""Full-text search conditions: user syntax to FTS5, doc-range date bounds, PostgreSQL tsquery."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import Connection, text

from dateline.store.sql import Params, between, where_clause

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(user: str, *, max_terms: int = 32) -> str:
    """User syntax (words, "phrases", OR, -exclusion, prefix*) as always-valid FTS5 syntax; '' if empty."""
    groups: list[list[str]] = []
    negatives: list[str] = []
    join_next = False
    for match in list(_TOKEN.finditer(user))[:max_terms]:
        negative, phrase, bare = match.groups()
        if bare == "OR":
            join_next = bool(groups)
            continue
        prefix = False
        if bare is not None:
            negative = "-" if bare.startswith("-") and len(bare) > 1 else ""
            prefix = bare.endswith("*")
            phrase = bare[1:] if negative else bare
        words = _WORD.findall(phrase or "")
        if not words:
            continue
        term = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        if negative:
            negatives.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return ""
    return " AND ".join("(" + " OR ".join(g) + ")" for g in groups) + "".join(f" NOT {n}" for n in negatives)


def _doc_bounds(conn: Connection, since: datetime | None, until: datetime | None) -> tuple[int, int, bool]:
    """The doc-number range holding the time range, so FTS5 only walks those rows (F4), and whether
    it holds nothing else (docs are dense and all in range: true for chronological ingestion)."""
    p = Params()
    where = where_clause(between("sort_at", since, until, p))
    lo, hi, n = conn.execute(text(f"SELECT MIN(doc), MAX(doc), COUNT(*) FROM article_texts{where}"), p).one()
    return (lo, hi, hi - lo + 1 == n) if lo is not None else (0, -1, True)


def fts_conditions(conn: Connection, match: str, since, until, p: Params) -> tuple[list[str], bool]:  # type: ignore[no-untyped-def]
    """FTS5 conditions for `match` in [since, until); the flag says the `t.sort_at` check is needed."""
    conds = [f"articles_fts MATCH {p.add(match)}"]
    if not (since or until):
        return conds, False
    lo, hi, exact = _doc_bounds(conn, since, until)
    conds.append(f"articles_fts.rowid BETWEEN {p.add(lo)} AND {p.add(hi)}")
    return (conds, False) if exact else (conds + between("t.sort_at", since, until, p), True)


# A thin (doc, sort_at, article_id) index: reaching the article id of each match through it instead
# of the ~3 KB body rows is ~5x faster for common words (measured at 1M).
DOC_INDEX = "article_texts t INDEXED BY ix_article_texts_doc ON t.doc = articles_fts.rowid"


_PARAM = re.compile(r":(p\d+)\b")
_COUNTS, _SAMPLES = "dateline_doc_counts", "dateline_doc_samples"
_MEMO_SIZE = {_COUNTS: 32, _SAMPLES: 4}  # a sample is ~0.5 MB of JSON, a count an int


def _remembered(conn: Connection, memo_name: str, sql: str, p: Params, compute):  # type: ignore[no-untyped-def]
    """`compute()`, remembered per database connection for `sql` with its parameters until anything
    writes to the database (`PRAGMA data_version` moves when another connection commits,
    `total_changes` when this one writes)."""
    raw = conn.connection.dbapi_connection
    version = (conn.exec_driver_sql("PRAGMA data_version").scalar(), getattr(raw, "total_changes", None))
    key = (sql, tuple(repr(p[name]) for name in _PARAM.findall(sql)))
    memo = conn.connection.info.setdefault(memo_name, OrderedDict())
    if memo.get(key, (None,))[0] == version:
        memo.move_to_end(key)
        return memo[key][1]
    value = compute()
    memo[key] = (version, value)
    if len(memo) > _MEMO_SIZE[memo_name]:
        memo.popitem(last=False)
    return value


def count_docs(conn: Connection, conds: list[str], join: str, p: Params) -> int:
    """How many FTS5 docs pass `conds` (SQLite), remembered per connection until a write: under a text
    query several loaders of one page need the same count of the words' docs, ~15 ms each for a common
    word at 1M articles."""
    sql = f"SELECT COUNT(*) FROM articles_fts{join}{where_clause(conds)}"
    return _remembered(conn, _COUNTS, sql, p, lambda: int(conn.execute(text(sql), p).scalar_one()))


def sampled_docs(conn: Connection, conds: list[str], p: Params, stride: int) -> str:
    """[[article id, day], ...] as JSON for every `stride`-th FTS5 doc passing `conds` (SQLite; docs
    follow ingest order, so an even sample over time), remembered per connection until a write: each
    filter change under the same words then checks its filters on these rows alone instead of walking
    the words' docs again (~35 ms of 65 for a 64 % word and one country at 1M)."""
    conds = conds + ([f"articles_fts.rowid % {p.add(stride)} = 0"] if stride > 1 else [])
    sql = f"SELECT t.article_id, substr(t.sort_at, 1, 10) FROM articles_fts JOIN {DOC_INDEX}{where_clause(conds)}"
    return _remembered(
        conn, _SAMPLES, sql, p, lambda: json.dumps([tuple(r) for r in conn.execute(text(sql), p)])
    )


def window_floor(conn: Connection, conds: list[str], join: str, p: Params, size: int) -> int | None:
    """The lowest doc among the newest `size` FTS5 matches of `conds`, None when there are no more
    than `size` (docs follow ingest, close to time order)."""
    sql = (
        f"SELECT articles_fts.rowid FROM articles_fts{join}{where_clause(conds)} "
        f"ORDER BY articles_fts.rowid DESC LIMIT 1 OFFSET {int(size)}"
    )
    beyond = conn.execute(text(sql), p).scalar()
    return None if beyond is None else int(beyond) + 1


def tune_postgres_fts(conn: Connection, *, walk: bool = False) -> None:
    """Enough work_mem for exact bitmaps, and the GIN-and-date bitmap plan (F4), or with `walk` the
    newest-first walk of the time index (words in many docs); undone at transaction end."""
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    conn.execute(text(f"SET LOCAL enable_indexscan = {'on' if walk else 'off'}"))


def pg_tsquery(query: str, p: Params) -> str:
    return f"websearch_to_tsquery('simple', {p.add(query)})"


def pg_estimate(
    conn: Connection, query: str, since: datetime | None, until: datetime | None
) -> tuple[int, int]:
    """(docs holding the words, docs) in [since, until) as PostgreSQL's planner estimates them (~1 ms,
    against ~0.4 s to count a word in 64 % of 1M docs). The words' share comes from the tsvector's
    most-common-elements statistics: close for frequent words; any word outside them is put at
    0.5 % of the docs or less, so rare words always take the exact plans."""
    p = Params()
    span = between("sort_at", since, until, p)
    words = planned_rows(
        conn, f"SELECT 1 FROM article_texts{where_clause([f'tsv @@ {pg_tsquery(query, p)}', *span])}", p
    )
    return words, max(words, planned_rows(conn, f"SELECT 1 FROM article_texts{where_clause(span)}", p))


def planned_rows(conn: Connection, sql: str, p: Params) -> int:
    """How many rows PostgreSQL's planner expects `sql` to return."""
    plan = conn.execute(text(f"EXPLAIN (FORMAT JSON) {sql}"), p).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


# How many docs a newest-first walk may check per match it expects to find, over the planner's
# estimate, before giving up on it (words rarer than estimated, e.g. two common words seldom together).
PG_REACH = 4


def pg_walks(words: int, docs: int, size: int) -> bool:
    """Whether to find the newest `size` docs holding the words by walking the time index newest first
    and checking each doc (detoasting its tsvector, ~10 us), rather than by the GIN bitmap, which visits
    every match (twice: count and rank): when the walk checks fewer docs than half the matches."""
    return words > size and 2 * size * docs < words * words


def pg_reach(words: int, docs: int, size: int) -> int:
    """The most docs a walk for `size` matches checks: PG_REACH times what the estimate expects."""
    return PG_REACH * -(-size * docs // max(words, 1))


def fts_ids_sql(
    conn: Connection, query: str, since: datetime | None, until: datetime | None, p: Params
) -> str:
    if conn.dialect.name == "postgresql":
        tune_postgres_fts(conn)
        conds = [f"tsv @@ {pg_tsquery(query, p)}"] + between("sort_at", since, until, p)
        return f"SELECT article_id AS id FROM article_texts{where_clause(conds)}"
    match = fts5_query(query)
    if not match:
        return "SELECT id FROM articles WHERE 1 = 0"  # nothing left to look for after sanitising
    conds, _ = fts_conditions(conn, match, since, until, p)
    return f"SELECT t.article_id AS id FROM articles_fts JOIN {DOC_INDEX}{where_clause(conds)}"
