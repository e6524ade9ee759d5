"""The set of articles matching a Filters value, as SQL selecting their ids."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, text

from dateline.filters import Filters
from dateline.store.fulltext import (
    DOC_INDEX,
    count_docs,
    fts5_query,
    fts_conditions,
    fts_ids_sql,
    pg_estimate,
    pg_reach,
    pg_tsquery,
    pg_walks,
    planned_rows,
    tune_postgres_fts,
    window_floor,
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
        driven = _pg_driven_ids_sql(conn, f, since, until, p, extra_country)
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


def pg_text_matches_sql(
    conn: Connection,
    f: Filters,
    since: datetime | None,
    until: datetime | None,
    p: Params,
    extra_country: str | None = None,
) -> str:
    """SQL selecting (id, doc, sort_at, tsv) of the docs holding `f.query`'s words in [since, until) that
    pass the other filters (PostgreSQL), from the smaller side by the planner's estimates: the words'
    docs from the GIN bitmap, each checked against the other filters by primary key; or, when fewer,
    the tag rows of the narrowest one-code country or topic filter, each checked against the other
    filters, then for the words (detoasting its tsvector). Intersecting both whole sets instead took
    4-10 s for a word in 64 % of 1M docs and a country + topic in ~0.3 %."""
    rest = replace(f, query="")
    drive = _pg_driver(conn, rest, since, until, extra_country)
    if drive and drive[3] < pg_estimate(conn, f.query, since, until)[0]:
        slot, table, code, _ = drive
        tune_postgres_fts(conn, walk=True)
        about = f.country_mode == "about" and table == "article_countries"
        conds = [f"d.code = {p.add(code)}", *(["d.about = 1"] if about else [])]
        conds += between("d.sort_at", since, until, p)
        others = _without(rest, slot)
        conds += _pg_checks(others, None if slot == "extra" else extra_country, "d.article_id", p)
        # LIMIT 1 keeps the lookup a per-row index probe (as a plain join the planner hashes every doc).
        words = (
            f"SELECT t.doc, t.sort_at, t.tsv FROM article_texts t WHERE t.article_id = d.article_id "
            f"AND t.tsv @@ {pg_tsquery(f.query, p)} LIMIT 1"
        )
        return (
            f"SELECT d.article_id AS id, t.doc, t.sort_at, t.tsv FROM {table} d "
            f"CROSS JOIN LATERAL ({words}) t{where_clause(conds)}"
        )
    tune_postgres_fts(conn)
    conds = [f"t.tsv @@ {pg_tsquery(f.query, p)}", *between("t.sort_at", since, until, p)]
    conds += _pg_checks(rest, extra_country, "t.article_id", p)
    return f"SELECT t.article_id AS id, t.doc, t.sort_at, t.tsv FROM article_texts t{where_clause(conds)}"


def _pg_driven_ids_sql(
    conn: Connection, f: Filters, since, until, p: Params, extra_country: str | None
) -> str | None:  # type: ignore[no-untyped-def]
    """Two or more filters on PostgreSQL: the tag rows of the narrowest one-code country or topic
    filter, each checked against the others by primary key, rather than intersecting every filter's
    whole set (0.42 s for US + economy + en over a year at 1M); None when no such filter or only it."""
    n_filters = len([v for v in (f.countries, f.topics, f.sources, f.languages, extra_country) if v])
    drive = _pg_driver(conn, f, since, until, extra_country) if n_filters > 1 else None
    if drive is None:
        return None
    slot, table, code, _ = drive
    about = f.country_mode == "about" and table == "article_countries"
    conds = [
        f"d.code = {p.add(code)}",
        *(["d.about = 1"] if about else []),
        *between("d.sort_at", since, until, p),
    ]
    others = _without(f, slot)
    conds += _pg_checks(others, None if slot == "extra" else extra_country, "d.article_id", p)
    return f"SELECT d.article_id AS id FROM {table} d{where_clause(conds)}"


def _pg_driver(
    conn: Connection, f: Filters, since, until, extra_country: str | None
) -> tuple[str, str, str, int] | None:  # type: ignore[no-untyped-def]
    """(Filters field or "extra", table, code, planned rows) of the one-code country or topic filter
    with the fewest tag rows in the time range; None without one."""
    options = _pg_tag_options(conn, f, since, until, extra_country)
    return min(options, key=lambda o: o[3]) if options else None


def _pg_tag_options(
    conn: Connection, f: Filters, since, until, extra_country: str | None
) -> list[tuple[str, str, str, int]]:  # type: ignore[no-untyped-def]
    options = [("countries", "article_countries", f.countries[0])] if len(f.countries) == 1 else []
    options += [("extra", "article_countries", extra_country)] if extra_country else []
    options += [("topics", "article_topics", f.topics[0])] if len(f.topics) == 1 else []
    planned = []
    for slot, table, code in options:
        p = Params()
        about = ["about = 1"] if f.country_mode == "about" and table == "article_countries" else []
        conds = [f"code = {p.add(code)}", *about, *between("sort_at", since, until, p)]
        planned.append(
            (slot, table, code, planned_rows(conn, f"SELECT 1 FROM {table}{where_clause(conds)}", p))
        )
    return planned


def pg_filter_share(
    conn: Connection, f: Filters, since: datetime | None, until: datetime | None, docs: int
) -> float | None:
    """The share of the `docs` docs in the time range that `f`'s one-code country and topic filters
    pass, from the planner's counts of their tag rows taken as independent; None without one."""
    share = None
    for _, _, _, rows in _pg_tag_options(conn, f, since, until, None):
        share = (share if share is not None else 1.0) * min(1.0, rows / max(docs, 1))
    return share


def _without(f: Filters, slot: str) -> Filters:
    """`f` without the filter driving the walk (the extra country is not one of `f`'s)."""
    if slot == "countries":
        return replace(f, countries=())
    return replace(f, topics=()) if slot == "topics" else f


def _pg_checks(f: Filters, extra_country: str | None, col: str, p: Params) -> list[str]:
    checks = exists_checks(f, (), col, p)
    if extra_country:
        about = " AND x.about = 1" if f.country_mode == "about" else ""
        checks.append(
            f"EXISTS (SELECT 1 FROM article_countries x WHERE x.article_id = {col} "
            f"AND x.code = {p.add(extra_country)}{about})"
        )
    return checks


def driving_tag(f: Filters) -> tuple[str, str, bool] | None:
    """(table, code, about-only) of a one-code country or topic filter that can drive a list query."""
    if f.query.strip():
        return None
    if len(f.countries) == 1:
        return "article_countries", f.countries[0], f.country_mode == "about"
    return ("article_topics", f.topics[0], False) if len(f.topics) == 1 else None


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
        return _newest_pg_sql(conn, f, since, until, p, cap)
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
    every match is to be counted (see `_sampled_pg_sql`)."""
    if conn.dialect.name == "postgresql":
        return _sampled_pg_sql(conn, f, since, until, p, size) if f.query.strip() else None
    match = fts5_query(f.query) if f.query.strip() else ""
    if not match:
        return None
    conds, check_time = fts_conditions(conn, match, since, until, p)
    join = f" JOIN {DOC_INDEX}"
    words = count_docs(conn, conds, join if check_time else "", p)
    stride = max(1, -(-words // size))
    # Docs follow ingest order, so every stride-th doc is an even sample over time.
    conds += [f"articles_fts.rowid % {p.add(stride)} = 0"] if stride > 1 else []
    conds += exists_checks(f, (), "t.article_id", p)
    # The day comes along from the doc index (sort_at's date is published_day), sparing a lookup of
    # each sampled article's row when counting per day.
    sql = f"SELECT t.article_id AS id, substr(t.sort_at, 1, 10) AS day FROM articles_fts{join}{where_clause(conds)}"
    return sql, stride


# On PostgreSQL each doc the walk checks costs a detoasted tsvector (~10 us), so it reaches less far.
PG_FTS_REACH = 2


def _newest_pg_sql(conn: Connection, f: Filters, since, until, p: Params, cap: int) -> tuple[str, int | None]:  # type: ignore[no-untyped-def]
    """Words in many docs: walk the time index newest first checking the words per doc, within the
    newest PG_FTS_REACH x cap docs holding them when other filters are checked too. Other words: the
    GIN bitmap of every match, sorted."""
    words, docs = pg_estimate(conn, f.query, since, until)
    q = pg_tsquery(f.query, p)
    limit = f"LIMIT {p.add(cap + 1)}"
    if not pg_walks(words, docs, cap):
        tune_postgres_fts(conn)
        conds = [f"t.tsv @@ {q}"] + between("t.sort_at", since, until, p)
        conds += exists_checks(f, (), "t.article_id", p)
        sql = f"SELECT t.article_id AS id FROM article_texts t{where_clause(conds)}"
        return f"{sql} ORDER BY t.sort_at DESC {limit}", None
    tune_postgres_fts(conn, walk=True)
    checks = bool(f.countries or f.topics or f.sources or f.languages)
    reach = cap * PG_FTS_REACH if checks else cap + 1
    # The inner LIMIT bounds the docs checked when the words are rarer than estimated.
    span = where_clause(between("t.sort_at", since, until, p))
    newest = (
        f"SELECT t.article_id, t.sort_at, t.tsv FROM article_texts t{span} "
        f"ORDER BY t.sort_at DESC LIMIT {p.add(pg_reach(words, docs, reach))}"
    )
    walk = f"SELECT r.article_id, r.sort_at FROM ({newest}) r WHERE r.tsv @@ {q} ORDER BY r.sort_at DESC"
    if not checks:
        return f"SELECT w.article_id AS id FROM ({walk} {limit}) w", None
    passing = where_clause(exists_checks(f, (), "w.article_id", p))
    sql = f"SELECT w.article_id AS id FROM ({walk} LIMIT {p.add(reach)}) w{passing}"
    return f"{sql} ORDER BY w.sort_at DESC {limit}", (reach if words > reach else None)


# PostgreSQL samples at most PG_SAMPLE matches and probes at most PG_SAMPLE_PROBES docs for them (each
# costs a heap visit, and a detoasted tsvector, ~10 us, when in the time range); a sample expected to
# hold under half PG_SAMPLE_MIN matches (or of the sample asked for) is too thin: every match is counted.
PG_SAMPLE = 5_000
PG_SAMPLE_PROBES = 10_000
PG_SAMPLE_MIN = 2_000


def _sampled_pg_sql(
    conn: Connection, f: Filters, since, until, p: Params, size: int
) -> tuple[str, int] | None:  # type: ignore[no-untyped-def]
    """Every `stride`-th doc (doc % stride = 0), probed by primary key, that holds the words and passes
    the filters, the stride set from the planner's estimate of the words' docs; None (count every
    match through the GIN bitmap) when that is cheaper or the sample would be too thin. Docs over the
    whole table are probed, the time range checked first: docs need not follow time order (backfills)."""
    words, _ = pg_estimate(conn, f.query, since, until)
    lo, hi = conn.execute(text("SELECT MIN(doc), MAX(doc) FROM article_texts")).one()
    if lo is None:
        return None
    stride = max(-(-words // min(size, PG_SAMPLE)), -(-(hi - lo + 1) // PG_SAMPLE_PROBES))
    probes = (hi - lo + 1) // stride
    if stride <= 1 or words // stride < min(size, PG_SAMPLE_MIN) // 2 or 2 * probes > words:
        return None
    tune_postgres_fts(conn)
    first = -(-lo // stride) * stride
    sample = f"ARRAY(SELECT generate_series(CAST({p.add(first)} AS BIGINT), {p.add(hi)}, {p.add(stride)}))"
    conds = [f"t.doc = ANY({sample})", *between("t.sort_at", since, until, p)]
    conds += [f"t.tsv @@ {pg_tsquery(f.query, p)}", *exists_checks(f, (), "t.article_id", p)]
    day = "substr(t.sort_at, 1, 10) AS day"
    return f"SELECT t.article_id AS id, {day} FROM article_texts t{where_clause(conds)}", stride
