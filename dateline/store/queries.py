"""The read API of the dashboard: counts from daily aggregates when the filters allow, else from tag rows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, text

from dateline.filters import Filters
from dateline.models import Article, CountryTag, TopicTag

ARTICLE_LIST_COLUMNS = ["id", "title", "source", "published_at", "url", "language", "countries", "topics"]
SEARCH_COLUMNS = ["id", "title", "source", "published_at", "url", "snippet", "rank"]
SPLITS = {"topic": "topic", "country": "country", "source": "source"}
PG_CANDIDATES = 1000  # PostgreSQL ranks only the newest matches (QUERY-PERF.md, F4)


@contextmanager
def _connected(target: Connection | Engine) -> Iterator[Connection]:
    if isinstance(target, Engine):
        with target.connect() as conn:
            yield conn
    else:
        yield target


class _Params(dict):
    """Bound parameters with generated names, so SQL text never carries a value."""

    def add(self, value: object) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return ":" + name

    def add_list(self, values: Sequence[object]) -> str:
        return ", ".join(self.add(v) for v in values)


def _stamp(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def _between(col: str, since: datetime | None, until: datetime | None, p: _Params) -> list[str]:
    conds = [f"{col} >= {p.add(_stamp(since))}"] if since else []
    return conds + ([f"{col} < {p.add(_stamp(until))}"] if until else [])


def _where(conds: list[str]) -> str:
    return (" WHERE " + " AND ".join(conds)) if conds else ""


# ---- full-text query syntax ----------------------------------------------------------------------

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
    p = _Params()
    where = _where(_between("sort_at", since, until, p))
    lo, hi, n = conn.execute(text(f"SELECT MIN(doc), MAX(doc), COUNT(*) FROM article_texts{where}"), p).one()
    return (lo, hi, hi - lo + 1 == n) if lo is not None else (0, -1, True)


def _fts_conditions(conn: Connection, match: str, since, until, p: _Params) -> tuple[list[str], bool]:  # type: ignore[no-untyped-def]
    """FTS5 conditions for `match` in [since, until); the flag says the `t.sort_at` check is needed."""
    conds = [f"articles_fts MATCH {p.add(match)}"]
    if not (since or until):
        return conds, False
    lo, hi, exact = _doc_bounds(conn, since, until)
    conds.append(f"articles_fts.rowid BETWEEN {p.add(lo)} AND {p.add(hi)}")
    return (conds, False) if exact else (conds + _between("t.sort_at", since, until, p), True)


# A thin (doc, sort_at, article_id) index: reaching the article id of each match through it instead
# of the ~3 KB body rows is ~5x faster for common words (measured at 1M).
_DOC_INDEX = "article_texts t INDEXED BY ix_article_texts_doc ON t.doc = articles_fts.rowid"


def _tune_postgres_fts(conn: Connection) -> None:
    """Enough work_mem for exact bitmaps, and the GIN-and-date bitmap plan (F4); undone at transaction end."""
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    conn.execute(text("SET LOCAL enable_indexscan = off"))


def _fts_part(
    conn: Connection, query: str, since: datetime | None, until: datetime | None, p: _Params
) -> str:
    if conn.dialect.name == "postgresql":
        _tune_postgres_fts(conn)
        conds = [f"tsv @@ websearch_to_tsquery('simple', {p.add(query)})"] + _between(
            "sort_at", since, until, p
        )
        return f"SELECT article_id AS id FROM article_texts{_where(conds)}"
    match = fts5_query(query)
    if not match:
        return "SELECT id FROM articles WHERE 1 = 0"  # nothing left to look for after sanitising
    conds, _ = _fts_conditions(conn, match, since, until, p)
    return f"SELECT t.article_id AS id FROM articles_fts JOIN {_DOC_INDEX}{_where(conds)}"


# ---- the set of matching articles ----------------------------------------------------------------


def _has_dimensions(f: Filters) -> bool:
    return bool(f.countries or f.topics or f.sources or f.languages or f.query.strip())


def _ids_sql(
    conn: Connection,
    f: Filters,
    since: datetime | None,
    until: datetime | None,
    p: _Params,
    extra_country: str | None = None,
) -> str:
    """SQL selecting the distinct `id`s of matching articles, each part driven by its own index."""
    parts = []
    about = " AND about = 1" if f.country_mode == "about" else ""
    for codes in (f.countries, (extra_country,) if extra_country else ()):
        if codes:
            conds = [f"code IN ({p.add_list(codes)}){about}"] + _between("sort_at", since, until, p)
            parts.append(f"SELECT DISTINCT article_id AS id FROM article_countries{_where(conds)}")
    if f.topics:
        conds = [f"code IN ({p.add_list(f.topics)})"] + _between("sort_at", since, until, p)
        parts.append(f"SELECT DISTINCT article_id AS id FROM article_topics{_where(conds)}")
    if f.query.strip():
        parts.append(_fts_part(conn, f.query, since, until, p))
    checks = [
        f"a.{column} IN ({p.add_list(values)})"
        for column, values in (("source", f.sources), ("language", f.languages))
        if values
    ]
    if parts and checks:
        # Source and language are checked on the (smaller) tag/text matches by primary key, rather
        # than materialising every article of a big language or source and intersecting.
        core = " INTERSECT ".join(parts)
        return f"SELECT a.id FROM ({core}) c {_join(conn)} articles a ON a.id = c.id{_where(checks)}"
    return " INTERSECT ".join(
        parts or [f"SELECT a.id FROM articles a{_where(checks + _between('a.sort_at', since, until, p))}"]
    )


def _join(conn: Connection) -> str:
    # SQLite keeps the written join order only for CROSS JOIN; Debian's build lacks STAT4 and
    # otherwise drives skewed filters from the wrong side (QUERY-PERF.md).
    return "CROSS JOIN" if conn.dialect.name == "sqlite" else "JOIN"


# ---- counts: aggregates when one dimension (plus time) is filtered, else tag rows ----------------

_AGG_TABLES = {
    frozenset(): ("daily_totals", {}),
    frozenset({"topic"}): ("daily_topics", {"topic": "code"}),
    frozenset({"country"}): ("daily_countries", {"country": "code"}),
    frozenset({"source"}): ("daily_sources", {"source": "source"}),
    frozenset({"language"}): ("daily_languages", {"language": "language"}),
    frozenset({"country", "topic"}): ("daily_country_topics", {"country": "code", "topic": "topic"}),
    frozenset({"country", "other"}): ("daily_country_pairs", {"country": "code", "other": "other"}),
}
_ROW_KEYS = {
    "topic": "kt.code",
    "country": "kc.code",
    "other": "ko.code",
    "source": "COALESCE(a.source, '')",
    "language": "COALESCE(a.language, '')",
}


def _key_expr(column: str, keep: Sequence[str] | None, p: _Params) -> str:
    if keep is None:
        return column
    return f"CASE WHEN {column} IN ({p.add_list(keep) or 'NULL'}) THEN {column} ELSE 'other' END"


def _agg_plan(f: Filters, keys: Sequence[str], extra_country: str | None) -> list[tuple[str, str]] | None:
    """The (dimension, value) filters an aggregate table can answer exactly, or None."""
    if f.query.strip():
        return None
    filters = [(d, v[0]) for d, v in _dims(f) if len(v) == 1]
    if len(filters) != len(_dims(f)):
        return None  # "any of" several codes would count an article once per code
    filters += [("country", extra_country)] if extra_country else []
    names = [d for d, _ in filters] + list(keys)
    if len(set(names)) != len(names) or frozenset(names) not in _AGG_TABLES:
        return None
    return filters


def _dims(f: Filters) -> list[tuple[str, tuple[str, ...]]]:
    pairs = [("country", f.countries), ("topic", f.topics), ("source", f.sources), ("language", f.languages)]
    return [(d, v) for d, v in pairs if v]


def _agg_counts(conn, plan, keys, by_day, mode, keep, day_from, day_to) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    p = _Params()
    table, columns = _AGG_TABLES[frozenset([d for d, _ in plan] + list(keys))]
    count = (
        f"n_{mode}" if table in ("daily_countries", "daily_country_topics", "daily_country_pairs") else "n"
    )
    conds = [f"{columns[d]} = {p.add(v)}" for d, v in plan]
    conds += [f"day >= {p.add(day_from)}"] if day_from else []
    conds += [f"day < {p.add(day_to)}"] if day_to else []
    day = "day" if by_day else "''"
    total = f"CAST(SUM({count}) AS BIGINT)"
    if keep is not None and len(keys) == 1:
        # Two index-friendly halves instead of a CASE per row: the kept keys, then the rest as "other".
        col, kept = columns[keys[0]], p.add_list(keep)
        inside = _where([*conds, f"{col} IN ({kept})" if keep else "1 = 0"])
        outside = _where([*conds, f"{col} NOT IN ({kept})" if keep else "1 = 1"])
        sql = (
            f"SELECT {day}, {col}, {total} FROM {table}{inside}{_group(1, by_day)} UNION ALL "
            f"SELECT {day}, 'other', {total} FROM {table}{outside}{_group(0, by_day)}"
        )
        return _frame(conn.execute(text(sql), p).all(), keys)
    selects = [day] + [_key_expr(columns[k], None, p) for k in keys]
    sql = f"SELECT {', '.join(selects)}, {total} FROM {table}{_where(conds)}{_group(len(keys), by_day)}"
    return _frame(conn.execute(text(sql), p).all(), keys)


def _group(n_keys: int, by_day: bool) -> str:
    """GROUP BY the keys, then the day: the aggregates' primary-key order, so no sort is needed."""
    positions = [str(i + 2) for i in range(n_keys)] + (["1"] if by_day else [])
    return f" GROUP BY {', '.join(positions)}" if positions else " HAVING COUNT(*) > 0"


def _row_counts(conn, f, keys, by_day, mode, keep, since, until, extra_country) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    p = _Params()
    ids = _ids_sql(conn, f, since, until, p, extra_country)
    join = _join(conn)
    sql = f"FROM ({ids}) m"
    if by_day or {"source", "language"} & set(keys):
        sql += f" {join} articles a ON a.id = m.id"  # only these need the article row itself
    if "topic" in keys:
        sql += f" {join} article_topics kt ON kt.article_id = m.id"
    if "country" in keys:
        sql += f" {join} article_countries kc ON kc.article_id = m.id" + (
            " AND kc.about = 1" if mode == "about" else ""
        )
    if "other" in keys:
        sql += f" {join} article_countries ko ON ko.article_id = m.id AND ko.code <> {p.add(extra_country)}"
    selects = ["a.published_day" if by_day else "''"] + [
        _key_expr(_ROW_KEYS[k], keep if i == 0 else None, p) for i, k in enumerate(keys)
    ]
    group = _group(len(keys), by_day)
    return _frame(conn.execute(text(f"SELECT {', '.join(selects)}, COUNT(*) {sql}{group}"), p).all(), keys)


def _frame(rows: Sequence, keys: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(r) for r in rows], columns=["day", *keys, "n"])
    frame["n"] = frame["n"].astype("int64")
    return frame


def _counts(
    conn: Connection,
    f: Filters,
    now: datetime,
    keys: Sequence[str] = (),
    *,
    by_day: bool = False,
    mode: str = "about",
    keep: Sequence[str] | None = None,
    extra_country: str | None = None,
) -> pd.DataFrame:
    """Counts per (day?, keys...): whole days from aggregates, partial edge days from tag rows."""
    since, until = f.time_range(now)
    plan = _agg_plan(f, keys, extra_country)
    rows = lambda s, u: _row_counts(conn, f, keys, by_day, mode, keep, s, u, extra_country)  # noqa: E731
    day_from = _day_ceil(since)
    day_to = until.replace(hour=0, minute=0, second=0, microsecond=0) if until else None
    if plan is None or (day_from and day_to and day_from >= day_to):
        return rows(since, until)
    agg_mode = f.country_mode if any(d == "country" for d, _ in plan) else mode
    frames = [
        _agg_counts(
            conn,
            plan,
            keys,
            by_day,
            agg_mode,
            keep,
            day_from and _stamp(day_from)[:10],
            day_to and _stamp(day_to)[:10],
        )
    ]
    if since and day_from and since < day_from:
        frames.append(rows(since, day_from))
    if until and day_to and day_to < until:
        frames.append(rows(day_to, until))
    frames = [x for x in frames if len(x)]
    if len(frames) <= 1:
        return frames[0] if frames else _frame([], keys)
    return pd.concat(frames).groupby(["day", *keys], as_index=False)["n"].sum()


def _day_ceil(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight if midnight == moment else midnight + timedelta(days=1)


def _ranked(frame: pd.DataFrame, key: str, out: str) -> pd.DataFrame:
    frame = frame[frame["n"] > 0].rename(columns={key: out})[[out, "n"]]
    return frame.sort_values(["n", out], ascending=[False, True], kind="stable").reset_index(drop=True)


def count_articles(conn: Connection | Engine, f: Filters, now: datetime) -> int:
    with _connected(conn) as c:
        if (
            c.dialect.name == "sqlite"
            and f.query.strip()
            and not (f.countries or f.topics or f.sources or f.languages)
        ):
            counted = _fts_count(c, f, now)
            if counted is not None:
                return counted
        return int(_counts(c, f, now)["n"].sum())


def _fts_count(conn: Connection, f: Filters, now: datetime) -> int | None:
    """Matches counted inside FTS5 alone, when the doc range is exactly the time range; else None."""
    match = fts5_query(f.query)
    if not match:
        return 0
    p = _Params()
    conds, check_time = _fts_conditions(conn, match, *f.time_range(now), p)
    if check_time:
        return None
    return int(conn.execute(text(f"SELECT COUNT(*) FROM articles_fts{_where(conds)}"), p).scalar_one())


def period_counts(
    conn: Connection | Engine,
    f: Filters,
    now: datetime,
    *,
    granularity: str = "day",
    split: str | None = None,
    top: int = 8,
) -> pd.DataFrame:
    """Articles per period (day, Monday-week or month start) and split key; the rest summed as "other"."""
    with _connected(conn) as c:
        if split is None:
            days = _counts(c, f, now, by_day=True).assign(key="")
        else:
            key = SPLITS[split]
            totals = _ranked(_counts(c, f, now, (key,), mode=f.country_mode), key, "key")
            keep = list(totals["key"][:top]) if len(totals) > top else None
            days = _counts(c, f, now, (key,), by_day=True, mode=f.country_mode, keep=keep).rename(
                columns={key: "key"}
            )
    days = days[days["n"] > 0]
    period = _period(days["day"], granularity)
    result = days.assign(period=period).groupby(["period", "key"], as_index=False)["n"].sum()
    result = result[["period", "key", "n"]].sort_values(["period", "key"]).reset_index(drop=True)
    result["n"] = result["n"].astype("int64")
    return result


def _period(days: pd.Series, granularity: str) -> pd.Series:
    stamps = pd.to_datetime(days, format="%Y-%m-%d")
    if granularity == "week":
        return stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")
    if granularity == "month":
        return stamps.dt.to_period("M").dt.to_timestamp()
    if granularity != "day":
        raise ValueError(f"granularity must be day, week or month, not {granularity!r}")
    return stamps


def period_totals(
    conn: Connection | Engine, f: Filters, now: datetime, granularity: str = "day"
) -> pd.DataFrame:
    """All articles per period under `f` (the caller drops the split filters), for share-of-total."""
    return period_counts(conn, f, now, granularity=granularity)[["period", "n"]]


def country_counts(
    conn: Connection | Engine, f: Filters, now: datetime, *, mode: str = "about"
) -> pd.DataFrame:
    with _connected(conn) as c:
        return _ranked(_counts(c, f, now, ("country",), mode=mode), "country", "code")


def topic_counts(conn: Connection | Engine, f: Filters, now: datetime) -> pd.DataFrame:
    with _connected(conn) as c:
        return _ranked(_counts(c, f, now, ("topic",)), "topic", "code")


def source_counts(conn: Connection | Engine, f: Filters, now: datetime) -> pd.DataFrame:
    with _connected(conn) as c:
        return _ranked(_counts(c, f, now, ("source",)), "source", "source")


def language_counts(conn: Connection | Engine, f: Filters, now: datetime) -> pd.DataFrame:
    with _connected(conn) as c:
        return _ranked(_counts(c, f, now, ("language",)), "language", "language")


def top_topics_by_country(
    conn: Connection | Engine, f: Filters, now: datetime, *, per_country: int = 3
) -> pd.DataFrame:
    with _connected(conn) as c:
        frame = _counts(c, f, now, ("country", "topic"), mode=f.country_mode)
    frame = frame[frame["n"] > 0].rename(columns={"country": "code"})
    frame = frame.sort_values(["code", "n", "topic"], ascending=[True, False, True], kind="stable")
    return frame.groupby("code").head(per_country)[["code", "topic", "n"]].reset_index(drop=True)


def co_countries(
    conn: Connection | Engine, f: Filters, now: datetime, *, country: str, limit: int = 20
) -> pd.DataFrame:
    """Other countries tagged on the articles (under `f`) tagged with `country` in `f.country_mode`."""
    with _connected(conn) as c:
        frame = _counts(c, f, now, ("other",), extra_country=country)
    return _ranked(frame, "other", "code").head(limit).reset_index(drop=True)


# ---- article lists and search --------------------------------------------------------------------


def _page_ids(
    conn: Connection, f: Filters, now: datetime, limit: int, offset: int, newest: bool
) -> list[str]:
    since, until = f.time_range(now)
    p = _Params()
    order = "DESC" if newest else "ASC"
    paging = f" ORDER BY a.sort_at {order}, a.id {order} LIMIT {p.add(limit)} OFFSET {p.add(offset)}"
    drive = _driving_tag(f)
    if not _has_dimensions(f):
        sql = f"SELECT a.id FROM articles a{_where(_between('a.sort_at', since, until, p))}{paging}"
    elif drive:
        # Walk one code's (code, sort_at) index from the newest end, checking the other filters per
        # row, and stop after `limit`: no sort of every match (QUERY-PERF Q3).
        table, code, about = drive
        conds = [f"d.code = {p.add(code)}", *_between("d.sort_at", since, until, p)]
        conds += (["d.about = 1"] if about else []) + _exists(f, table, p)
        sql = (
            f"SELECT d.article_id FROM {table} d{_where(conds)} "
            f"ORDER BY d.sort_at {order}, d.article_id {order} LIMIT {p.add(limit)} OFFSET {p.add(offset)}"
        )
    else:
        ids = _ids_sql(conn, f, since, until, p)
        sql = f"SELECT a.id FROM ({ids}) m {_join(conn)} articles a ON a.id = m.id{paging}"
    return [r[0] for r in conn.execute(text(sql), p)]


def _driving_tag(f: Filters) -> tuple[str, str, bool] | None:
    """(table, code, about-only) of a one-code country or topic filter that can drive a list query."""
    if f.query.strip():
        return None
    if len(f.countries) == 1:
        return "article_countries", f.countries[0], f.country_mode == "about"
    return ("article_topics", f.topics[0], False) if len(f.topics) == 1 else None


def _exists(f: Filters, driving: str, p: _Params) -> list[str]:
    """Per-row checks of the filters other than the driving tag (`d.article_id`)."""
    conds = []
    if f.countries and driving != "article_countries":
        about = " AND x.about = 1" if f.country_mode == "about" else ""
        conds.append(
            "EXISTS (SELECT 1 FROM article_countries x WHERE x.article_id = d.article_id "
            f"AND x.code IN ({p.add_list(f.countries)}){about})"
        )
    if f.topics and driving != "article_topics":
        conds.append(
            "EXISTS (SELECT 1 FROM article_topics x WHERE x.article_id = d.article_id "
            f"AND x.code IN ({p.add_list(f.topics)}))"
        )
    for column, values in (("source", f.sources), ("language", f.languages)):
        if values:
            conds.append(
                f"EXISTS (SELECT 1 FROM articles x WHERE x.id = d.article_id AND x.{column} IN ({p.add_list(values)}))"
            )
    return conds


def _tag_lists(conn: Connection, ids: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Comma-separated country codes (about ones first) and topic codes (primary first) per article."""
    p = _Params()
    marks = p.add_list(ids)
    countries: dict[str, list[str]] = {}
    for aid, code in conn.execute(
        text(
            f"SELECT article_id, code FROM article_countries WHERE article_id IN ({marks}) "
            "ORDER BY article_id, about DESC, salience DESC, code"
        ),
        p,
    ):
        countries.setdefault(aid, []).append(code)
    topics: dict[str, list[str]] = {}
    for aid, code in conn.execute(
        text(
            f"SELECT article_id, code FROM article_topics WHERE article_id IN ({marks}) "
            "ORDER BY article_id, is_primary DESC, score DESC, code"
        ),
        p,
    ):
        topics.setdefault(aid, []).append(code)
    return {k: ",".join(v) for k, v in countries.items()}, {k: ",".join(v) for k, v in topics.items()}


def _rows_by_id(conn: Connection, ids: Sequence[str], columns: str) -> dict[str, tuple]:
    p = _Params()
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
    with _connected(conn) as c:
        ids = _page_ids(c, f, now, limit, offset, sort == "newest")
        if not ids:
            return pd.DataFrame(columns=ARTICLE_LIST_COLUMNS)
        rows = _rows_by_id(c, ids, "a.title, a.source, a.published_at, a.url, a.language")
        countries, topics = _tag_lists(c, ids)
    records = [(*rows[i], countries.get(i, ""), topics.get(i, "")) for i in ids]
    return pd.DataFrame(records, columns=ARTICLE_LIST_COLUMNS)


def search_articles(
    conn: Connection | Engine, f: Filters, now: datetime, *, limit: int = 50, offset: int = 0
) -> tuple[pd.DataFrame, int]:
    """Full-text matches for `f.query` under the other filters, best first, with highlighted snippets."""
    empty = pd.DataFrame(columns=SEARCH_COLUMNS)
    with _connected(conn) as c:
        if c.dialect.name == "sqlite" and not fts5_query(f.query):
            return empty, 0
        total = count_articles(c, f, now) if f.query.strip() else 0
        if not total:
            return empty, 0
        search = _search_postgres if c.dialect.name == "postgresql" else _search_sqlite
        rows = search(c, f, now, limit, offset)
    frame = pd.DataFrame([tuple(r) for r in rows], columns=SEARCH_COLUMNS)
    frame["rank"] = frame["rank"].astype("float64")
    return frame, total


def _other_filters(conn: Connection, f: Filters, since, until, p: _Params) -> list[str]:  # type: ignore[no-untyped-def]
    plain = Filters(
        countries=f.countries,
        country_mode=f.country_mode,
        topics=f.topics,
        sources=f.sources,
        languages=f.languages,
    )
    return [f"t.article_id IN ({_ids_sql(conn, plain, since, until, p)})"] if _has_dimensions(plain) else []


def _search_sqlite(conn: Connection, f: Filters, now: datetime, limit: int, offset: int) -> Sequence:
    since, until = f.time_range(now)
    p = _Params()
    match = p.add(fts5_query(f.query))
    conds, check_time = _fts_conditions(conn, fts5_query(f.query), since, until, p)
    others = _other_filters(conn, f, since, until, p)
    join = f" JOIN {_DOC_INDEX}" if check_time or others else ""
    # Rank first and make snippets only for the page: SQLite would otherwise build a snippet for
    # every match before sorting.
    top = (
        f"SELECT articles_fts.rowid AS doc, bm25(articles_fts, 5.0, 1.0) AS score FROM articles_fts{join}"
        f"{_where(conds + others)} ORDER BY score, articles_fts.rowid DESC LIMIT {p.add(limit)} OFFSET {p.add(offset)}"
    )
    sql = (
        "SELECT a.id, a.title, a.source, a.published_at, a.url, "
        "snippet(articles_fts, -1, char(2), char(3), '…', 24), -top.score "
        f"FROM ({top}) top {_join(conn)} articles_fts ON articles_fts.rowid = top.doc "
        "JOIN article_texts t ON t.doc = top.doc JOIN articles a ON a.id = t.article_id "
        f"WHERE articles_fts MATCH {match} ORDER BY top.score, top.doc DESC"
    )
    return conn.execute(text(sql), p).all()


def _search_postgres(conn: Connection, f: Filters, now: datetime, limit: int, offset: int) -> Sequence:
    since, until = f.time_range(now)
    _tune_postgres_fts(conn)
    p = _Params()
    q = f"websearch_to_tsquery('simple', {p.add(f.query)})"
    conds = (
        [f"t.tsv @@ {q}"] + _between("t.sort_at", since, until, p) + _other_filters(conn, f, since, until, p)
    )
    candidates = (
        f"SELECT t.doc, t.article_id, t.sort_at, ts_rank(t.tsv, {q}) AS score FROM article_texts t"
        f"{_where(conds)} ORDER BY t.sort_at DESC LIMIT {p.add(PG_CANDIDATES)}"
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


# ---- whole articles ------------------------------------------------------------------------------

_ARTICLE_COLUMNS = (
    "a.url, a.title, t.text, a.author, a.published_at, a.source, a.dateline, a.agency, a.language, "
    "a.site_tags, a.story_id, a.summary_only, a.origin"
)


def load_articles(conn: Connection, ids: Sequence[str]) -> list[Article]:
    """Full Articles (text, tags with offsets) for `ids`, in that order; missing ids are skipped."""
    if not ids:
        return []
    p = _Params()
    marks = p.add_list(ids)
    rows = {
        r[0]: r
        for r in conn.execute(
            text(
                f"SELECT a.id, {_ARTICLE_COLUMNS} FROM articles a JOIN article_texts t ON t.article_id = a.id "
                f"WHERE a.id IN ({marks})"
            ),
            p,
        )
    }
    countries: dict[str, list[CountryTag]] = {}
    for r in conn.execute(
        text(
            "SELECT article_id, code, name, mentions, salience, about, offsets FROM article_countries "
            f"WHERE article_id IN ({marks}) ORDER BY article_id, about DESC, salience DESC, code"
        ),
        p,
    ):
        offsets = tuple((int(s), int(e)) for s, e in json.loads(r[6]))
        tag = CountryTag(
            code=r[1], name=r[2] or "", mentions=r[3], salience=r[4], about=bool(r[5]), offsets=offsets
        )
        countries.setdefault(r[0], []).append(tag)
    topics: dict[str, list[TopicTag]] = {}
    for r in conn.execute(
        text(
            "SELECT article_id, code, label, score, is_primary FROM article_topics "
            f"WHERE article_id IN ({marks}) ORDER BY article_id, is_primary DESC, score DESC, code"
        ),
        p,
    ):
        topics.setdefault(r[0], []).append(
            TopicTag(code=r[1], label=r[2] or "", score=r[3], primary=bool(r[4]))
        )
    return [_article(rows[i], countries.get(i, []), topics.get(i, [])) for i in ids if i in rows]


def _article(r: Sequence, countries: list[CountryTag], topics: list[TopicTag]) -> Article:
    return Article(
        id=r[0],
        url=r[1],
        title=r[2],
        text=r[3],
        author=r[4],
        published_at=r[5],
        source=r[6],
        dateline=r[7],
        agency=r[8],
        language=r[9],
        site_tags=tuple(json.loads(r[10])),
        story_id=r[11],
        summary_only=bool(r[12]),
        origin=r[13],
        countries=tuple(countries),
        topics=tuple(topics),
    )


def get_article(conn: Connection | Engine, article_id: str) -> Article | None:
    with _connected(conn) as c:
        found = load_articles(c, [article_id])
    return found[0] if found else None


def iter_articles(
    conn: Connection | Engine, f: Filters, now: datetime, *, batch: int = 1000
) -> Iterator[Article]:
    """Every matching article, oldest first: ids come from one streamed (server-side) cursor and the
    articles are loaded `batch` at a time, so memory stays constant whatever the size."""
    with _connected(conn) as c:
        since, until = f.time_range(now)
        p = _Params()
        if _has_dimensions(f):
            source = f"({_ids_sql(c, f, since, until, p)}) m {_join(c)} articles a ON a.id = m.id"
        else:
            source = f"articles a{_where(_between('a.sort_at', since, until, p))}"
        result = c.execute(
            text(f"SELECT a.id FROM {source} ORDER BY a.sort_at, a.id"),
            p,
            execution_options={"stream_results": True, "yield_per": batch},
        )
        for part in result.partitions(batch):
            yield from load_articles(c, [r[0] for r in part])


def related_articles(conn: Connection | Engine, article: Article, *, limit: int = 8) -> pd.DataFrame:
    """Articles sharing the story first, then those sharing most countries and topics within ±7 days."""
    columns = ["id", "title", "source", "published_at", "score"]
    with _connected(conn) as c:
        row = c.execute(text("SELECT sort_at FROM articles WHERE id = :id"), {"id": article.id}).first()
        center = datetime.fromisoformat(row[0]) if row else None
        p = _Params()
        parts = []
        if center:
            window = _between("sort_at", center - timedelta(days=7), center + timedelta(days=7), p)
            for table, codes in (
                ("article_countries", [t.code for t in article.countries]),
                ("article_topics", [t.code for t in article.topics]),
            ):
                if codes:
                    parts.append(
                        f"SELECT article_id AS id, 1.0 AS w FROM {table}{_where([f'code IN ({p.add_list(codes)})', *window])}"
                    )
        if article.story_id:
            parts.append(f"SELECT id, 10.0 AS w FROM articles WHERE story_id = {p.add(article.story_id)}")
        if not parts:
            return pd.DataFrame(columns=columns)
        scored = (
            f"SELECT m.id, SUM(m.w) AS score FROM ({' UNION ALL '.join(parts)}) m WHERE m.id <> {p.add(article.id)} "
            "GROUP BY m.id"
        )
        sql = (
            f"SELECT a.id, a.title, a.source, a.published_at, s.score FROM ({scored}) s JOIN articles a ON a.id = s.id "
            f"ORDER BY s.score DESC, a.sort_at DESC, a.id LIMIT {p.add(limit)}"
        )
        frame = pd.DataFrame([tuple(r) for r in c.execute(text(sql), p)], columns=columns)
    frame["score"] = frame["score"].astype("float64")
    return frame


# ---- sources, runs, bounds -----------------------------------------------------------------------


def source_stats(conn: Connection | Engine) -> pd.DataFrame:
    columns = ["source", "n", "first_published", "last_published", "last_ingested"]
    sql = (
        "SELECT COALESCE(source, ''), COUNT(*), MIN(sort_at), MAX(sort_at), MAX(last_seen) FROM articles "
        "GROUP BY COALESCE(source, '') ORDER BY 2 DESC, 1"
    )
    with _connected(conn) as c:
        frame = pd.DataFrame([tuple(r) for r in c.execute(text(sql))], columns=columns)
    frame["n"] = frame["n"].astype("int64")
    return frame


def ingest_runs(conn: Connection | Engine, limit: int = 20) -> pd.DataFrame:
    columns = ["run_id", "started_at", "finished_at", "sources", "new", "updated", "unchanged", "failed"]
    sql = f"SELECT {', '.join(columns)} FROM ingest_runs ORDER BY run_id DESC LIMIT :limit"
    with _connected(conn) as c:
        rows = [(*r[:3], ", ".join(json.loads(r[3])), *r[4:]) for r in c.execute(text(sql), {"limit": limit})]
    return pd.DataFrame(rows, columns=columns)


def run_problems(conn: Connection | Engine, run_id: int) -> pd.DataFrame:
    sql = "SELECT source, COALESCE(item, ''), reason FROM ingest_problems WHERE run_id = :run_id ORDER BY source, item"
    with _connected(conn) as c:
        rows = [tuple(r) for r in c.execute(text(sql), {"run_id": run_id})]
    return pd.DataFrame(rows, columns=["source", "item", "reason"])


def date_bounds(conn: Connection | Engine) -> tuple[str | None, str | None]:
    """Earliest and latest article time (`sort_at`: published time as written, first-seen if undated)."""
    with _connected(conn) as c:
        row = c.execute(text("SELECT MIN(sort_at), MAX(sort_at) FROM articles")).one()
    return row[0], row[1]


def latest_published(conn: Connection | Engine) -> datetime | None:
    latest = date_bounds(conn)[1]
    return datetime.fromisoformat(latest) if latest else None
