"""Counts per day, country, topic, source or language: from daily aggregates when the filters allow."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, text

from dateline.filters import Filters
from dateline.store.fulltext import count_docs, fts5_query, fts_conditions
from dateline.store.matching import cross_join, ids_sql, newest_ids_sql, sampled_ids_sql
from dateline.store.schema import AGGREGATES, ROLLUPS, rollup_name
from dateline.store.spans import rollup_spans
from dateline.store.sql import Params, connected, stamp, where_clause

SPLITS = {"topic": "topic", "country": "country", "source": "source"}
# Facet counts that no aggregate answers are taken over at most this many of the newest matches.
CAP = 1_000
# Counts under a text query whose words are in more docs than this are estimated from an even sample
# of about this many of them (`attrs["estimated"]`); below it they are exact.
SAMPLE = 10_000
RETRY_SAMPLE = 8
FEW_HITS = 50  # sampled matches below which a total's estimate is off by more than ~15 %: retried larger

# ---- counts: aggregates when one dimension (plus time) is filtered, else tag rows ----------------

_AGG_TABLES = {
    frozenset(): ("daily_totals", {}),
    frozenset({"topic"}): ("daily_topics", {"topic": "code"}),
    frozenset({"country"}): ("daily_countries", {"country": "code"}),
    frozenset({"source"}): ("daily_sources", {"source": "source"}),
    frozenset({"language"}): ("daily_languages", {"language": "language"}),
    frozenset({"country", "topic"}): ("daily_country_topics", {"country": "code", "topic": "topic"}),
    frozenset({"country", "other"}): ("daily_country_pairs", {"country": "code", "other": "other"}),
    frozenset({"topic", "topic2"}): ("daily_topic_pairs", {"topic": "code", "topic2": "other"}),
    frozenset({"country", "topic", "topic2"}): (
        "daily_country_topic_pairs",
        {"country": "code", "topic": "topic", "topic2": "other"},
    ),
}
_ROW_KEYS = {
    "topic": "kt.code",
    "country": "kc.code",
    "other": "ko.code",
    "source": "COALESCE(a.source, '')",
    "language": "COALESCE(a.language, '')",
}


def _key_expr(column: str, keep: Sequence[str] | None, p: Params) -> str:
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
    """Counts from the aggregates over whole days [day_from, day_to): per day from the daily tables,
    else summed from the coarsest rollups that cover the span (years, months, then loose days)."""
    if by_day:
        return _agg_part(conn, plan, keys, True, mode, keep, "daily", day_from, day_to)
    lo, hi = (date.fromisoformat(d) if d else None for d in (day_from, day_to))
    frames = [
        _agg_part(conn, plan, keys, False, mode, keep, level, start, end)
        for level, start, end in rollup_spans(lo, hi)
    ]
    return _summed([x for x in frames if len(x)], keys)


def _summed(frames: list[pd.DataFrame], keys: Sequence[str]) -> pd.DataFrame:
    if len(frames) <= 1:
        return frames[0] if frames else _frame([], keys)
    return pd.concat(frames).groupby(["day", *keys], as_index=False)["n"].sum()


def _agg_part(conn, plan, keys, by_day, mode, keep, level, start, end) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    p = Params()
    daily, columns = _AGG_TABLES[frozenset([d for d, _ in plan] + list(keys))]
    table = rollup_name(daily, level)
    _, column, width = next(r for r in ROLLUPS if r[0] == level)
    count = f"n_{mode}" if "n_about" in AGGREGATES[table][1] else "n"
    conds = [f"{columns[d]} = {p.add(v)}" for d, v in plan]
    conds += [f"{column} >= {p.add(str(start)[:width])}"] if start else []
    conds += [f"{column} < {p.add(str(end)[:width])}"] if end else []
    day = column if by_day else "''"
    total = f"CAST(SUM({count}) AS BIGINT)"
    if keep is not None and len(keys) == 1:
        # Two index-friendly halves instead of a CASE per row: the kept keys, then the rest as "other".
        col, kept = columns[keys[0]], p.add_list(keep)
        inside = where_clause([*conds, f"{col} IN ({kept})" if keep else "1 = 0"])
        outside = where_clause([*conds, f"{col} NOT IN ({kept})" if keep else "1 = 1"])
        sql = (
            f"SELECT {day}, {col}, {total} FROM {table}{inside}{_group(1, by_day)} UNION ALL "
            f"SELECT {day}, 'other', {total} FROM {table}{outside}{_group(0, by_day)}"
        )
        return _frame(conn.execute(text(sql), p).all(), keys)
    selects = [day] + [_key_expr(columns[k], None, p) for k in keys]
    sql = f"SELECT {', '.join(selects)}, {total} FROM {table}{where_clause(conds)}{_group(len(keys), by_day)}"
    return _frame(conn.execute(text(sql), p).all(), keys)


def _group(n_keys: int, by_day: bool) -> str:
    """GROUP BY the keys, then the day: the aggregates' primary-key order, so no sort is needed."""
    positions = [str(i + 2) for i in range(n_keys)] + (["1"] if by_day else [])
    return f" GROUP BY {', '.join(positions)}" if positions else " HAVING COUNT(*) > 0"


def _row_counts(
    conn, f, keys, by_day, mode, keep, since, until, extra_country, cap=None, sample=None
) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    p = Params()
    bounded = _bounded_filters(f, extra_country) if cap else None
    newest = newest_ids_sql(conn, bounded, since, until, p, cap) if bounded else None
    sampled = (
        sampled_ids_sql(conn, f, since, until, p, sample)
        if sample and not cap and not extra_country
        else None
    )
    scope, stride = {}, 1
    if sampled:
        ids, stride = sampled
    elif newest:
        # Walk once, into Python: one id past the cap tells whether matches were left out.
        walk, reach = newest
        found = [r[0] for r in conn.execute(text(walk), p)]
        if len(found) > cap:
            scope = {"newest": cap}
        elif reach:
            scope = {"newest_with_words": reach}
        p = Params()
        ids = _listed_ids(conn, found[:cap], p)
    else:
        ids = ids_sql(conn, f, since, until, p, extra_country)
    join = cross_join(conn)
    sql = f"FROM ({ids}) m"
    day = "m.day" if sampled else "a.published_day"
    if (by_day and not sampled) or {"source", "language"} & set(keys):
        sql += f" {join} articles a ON a.id = m.id"  # only these need the article row itself
    if "topic" in keys:
        sql += f" {join} article_topics kt ON kt.article_id = m.id"
    if "country" in keys:
        sql += f" {join} article_countries kc ON kc.article_id = m.id" + (
            " AND kc.about = 1" if mode == "about" else ""
        )
    if "other" in keys:
        sql += f" {join} article_countries ko ON ko.article_id = m.id AND ko.code <> {p.add(extra_country)}"
    selects = [day if by_day else "''"] + [
        _key_expr(_ROW_KEYS[k], keep if i == 0 else None, p) for i, k in enumerate(keys)
    ]
    group = _group(len(keys), by_day)
    frame = _frame(conn.execute(text(f"SELECT {', '.join(selects)}, COUNT(*) {sql}{group}"), p).all(), keys)
    if stride > 1:
        frame["n"] *= stride
        # scaled up from every stride-th match; `hits`: how many sampled docs passed, for its precision
        frame.attrs.update(estimated=True, hits=int(frame["n"].sum()) // stride)
    frame.attrs.update(scope)  # counted over the newest `cap` matches, or within the newest docs
    return frame


def _bounded_filters(f: Filters, extra_country: str | None) -> Filters | None:
    """`f` with `extra_country` folded in, when that is still one filter set; else None."""
    if extra_country is None or f.countries == (extra_country,):
        return f
    return replace(f, countries=(extra_country,)) if not f.countries else None


def _listed_ids(conn: Connection, ids: list[str], p: Params) -> str:
    """SQL selecting `ids`, bound as one JSON array (any length, one parameter)."""
    array = p.add(json.dumps(ids))
    if conn.dialect.name == "postgresql":
        return f"SELECT jsonb_array_elements_text(CAST({array} AS jsonb)) AS id"
    return f"SELECT value AS id FROM json_each({array})"


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
    cap: int | None = None,
    sample: int | None = None,
) -> pd.DataFrame:
    """Counts per (day?, keys...): whole days from aggregates, partial edge days from tag rows.

    With `cap`, counts that no aggregate answers are taken over the newest `cap` matches only
    (flagged in `attrs["newest"]`; under a text query that finds fewer, the matches among the newest
    docs holding its words: `attrs["newest_with_words"]`), so a facet over a huge match set stays
    fast; with `sample`, counts under a text query are estimated from an even sample of its matches
    (`attrs["estimated"]`, and `attrs["hits"]`: how many sampled docs passed)."""
    since, until = f.time_range(now)
    rows = lambda s, u: _row_counts(conn, f, keys, by_day, mode, keep, s, u, extra_country)  # noqa: E731
    day_from = _day_ceil(since)
    day_to = until.replace(hour=0, minute=0, second=0, microsecond=0) if until else None
    whole = None
    if not (day_from and day_to and day_from >= day_to):
        days = (day_from and stamp(day_from)[:10], day_to and stamp(day_to)[:10])
        whole = _whole_days(conn, f, keys, by_day, mode, keep, extra_country, days)
    if whole is None:
        return _row_counts(conn, f, keys, by_day, mode, keep, since, until, extra_country, cap, sample)
    frames = [whole]
    if since and day_from and since < day_from:
        frames.append(rows(since, day_from))
    if until and day_to and day_to < until:
        frames.append(rows(day_to, until))
    return _summed([x for x in frames if len(x)], keys)


def _whole_days(conn, f, keys, by_day, mode, keep, extra_country, days) -> pd.DataFrame | None:  # type: ignore[no-untyped-def]
    """Counts over whole days from the aggregates, or None when no aggregate answers exactly."""
    plan = _agg_plan(f, keys, extra_country)
    if plan is not None:
        return _agg_counts(conn, plan, keys, by_day, _agg_mode(plan, f, mode), keep, *days)
    if "topic" not in keys or len(f.topics) != 1:
        return None
    # Split by topic under a one-topic filter: the co-topics from the topic-pair aggregates, plus
    # the filter's own topic (every match) from the aggregate without the topic key.
    paired = ["topic2" if k == "topic" else k for k in keys]
    rest = [k for k in keys if k != "topic"]
    pair_plan, self_plan = _agg_plan(f, paired, extra_country), _agg_plan(f, rest, extra_country)
    if pair_plan is None or self_plan is None:
        return None
    others = _agg_counts(conn, pair_plan, paired, by_day, _agg_mode(pair_plan, f, mode), keep, *days)
    topic = f.topics[0]
    label = topic if keep is None or topic in keep else "other"
    itself = _agg_counts(conn, self_plan, rest, by_day, _agg_mode(self_plan, f, mode), None, *days)
    frames = [others.rename(columns={"topic2": "topic"}), itself.assign(topic=label)[["day", *keys, "n"]]]
    return _summed([x for x in frames if len(x)], keys)


def _agg_mode(plan: list[tuple[str, str]], f: Filters, mode: str) -> str:
    """A country filter counts in its own mode; otherwise the mode asked for the country key."""
    return f.country_mode if any(d == "country" for d, _ in plan) else mode


def _day_ceil(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight if midnight == moment else midnight + timedelta(days=1)


def _ranked(frame: pd.DataFrame, key: str, out: str) -> pd.DataFrame:
    frame = frame[frame["n"] > 0].rename(columns={key: out})[[out, "n"]]
    return frame.sort_values(["n", out], ascending=[False, True], kind="stable").reset_index(drop=True)


def count_articles(conn: Connection | Engine, f: Filters, now: datetime) -> int:
    """The exact number of matching articles."""
    return count_articles_estimate(conn, f, now, sample=None)[0]


def count_articles_estimate(
    conn: Connection | Engine, f: Filters, now: datetime, *, sample: int | None = SAMPLE
) -> tuple[int, bool]:
    """The number of matching articles and whether it is an estimate: under a text query in more than
    `sample` docs and other filters, scaled up from an even sample of the matches (SQLite; on
    PostgreSQL, under any text query whose words the planner puts in many docs: `sampled_ids_sql`)."""
    with connected(conn) as c:
        if (
            c.dialect.name == "sqlite"
            and f.query.strip()
            and not (f.countries or f.topics or f.sources or f.languages)
        ):
            counted = _fts_count(c, f, now)
            if counted is not None:
                return counted, False
        frame = _enough_sampled(c, lambda size: _counts(c, f, now, sample=size), sample)
        if frame.attrs.get("estimated") and not frame["n"].sum():
            # A sample that missed every match must not tell the user there are none: count them
            # (~1-2 s for a 64 % word at 1M).
            frame = _counts(c, f, now)
    return int(frame["n"].sum()), bool(frame.attrs.get("estimated"))


def _enough_sampled(
    conn: Connection, count: Callable[[int | None], pd.DataFrame], sample: int | None
) -> pd.DataFrame:
    """`count(sample)`, or, when fewer than FEW_HITS sampled matches passed the filters (a rare filter
    under common words: its estimate off by more than ~15 %, or none found), `count` over a sample
    RETRY_SAMPLE times larger. Totals and timelines take the same sample, so bars add up to the total.
    SQLite only: PostgreSQL's sample is bounded by the docs it may probe (pg_matching), so a larger
    one would be the same sample again."""
    frame = count(sample)
    if sample and conn.dialect.name == "sqlite" and frame.attrs.get("hits", FEW_HITS) < FEW_HITS:
        frame = count(sample * RETRY_SAMPLE)
    return frame


def _fts_count(conn: Connection, f: Filters, now: datetime) -> int | None:
    """Matches counted inside FTS5 alone, when the doc range is exactly the time range; else None."""
    match = fts5_query(f.query)
    if not match:
        return 0
    p = Params()
    conds, check_time = fts_conditions(conn, match, *f.time_range(now), p)
    if check_time:
        return None
    return count_docs(conn, conds, "", p)


def period_counts(
    conn: Connection | Engine,
    f: Filters,
    now: datetime,
    *,
    granularity: str = "day",
    split: str | None = None,
    top: int = 8,
    sample: int | None = SAMPLE,
) -> pd.DataFrame:
    """Articles per period (day, Monday-week or month start) and split key; the rest summed as "other".

    Under a text query in more than `sample` docs, estimated from an even sample (`attrs["estimated"]`)."""
    with connected(conn) as c:
        if split is None:
            by_day = _enough_sampled(c, lambda size: _counts(c, f, now, by_day=True, sample=size), sample)
            days = by_day.assign(key="")
        elif f.query.strip():
            days = _enough_sampled(
                c, lambda size: _split_in_one_pass(c, f, now, SPLITS[split], top, size), sample
            )
        else:
            key = SPLITS[split]
            counted = _counts(c, f, now, (key,), mode=f.country_mode, sample=sample)
            totals = _ranked(counted, key, "key")
            keep = list(totals["key"][:top]) if len(totals) > top else None
            days = _counts(
                c, f, now, (key,), by_day=True, mode=f.country_mode, keep=keep, sample=sample
            ).rename(columns={key: "key"})
    estimated = bool(days.attrs.get("estimated"))
    days = days[days["n"] > 0]
    period = _period(days["day"], granularity)
    result = days.assign(period=period).groupby(["period", "key"], as_index=False)["n"].sum()
    result = result[["period", "key", "n"]].sort_values(["period", "key"]).reset_index(drop=True)
    result["n"] = result["n"].astype("int64")
    result.attrs = {"estimated": True} if estimated else {}
    return result


def _split_in_one_pass(
    conn: Connection, f: Filters, now: datetime, key: str, top: int, sample: int | None
) -> pd.DataFrame:
    """Per day and split key, the keys past the `top` folded into "other". No aggregate answers a text
    query, so one pass over its (sampled) matches gives the top keys too, rather than a second pass."""
    days = _counts(conn, f, now, (key,), by_day=True, mode=f.country_mode, sample=sample)
    totals = _ranked(days.groupby(key, as_index=False)["n"].sum(), key, "key")
    if len(totals) > top:
        days[key] = days[key].where(days[key].isin(list(totals["key"][:top])), "other")
    sampled = {k: v for k, v in days.attrs.items() if k in ("estimated", "hits")}
    days = days.rename(columns={key: "key"})
    days.attrs = sampled
    return days


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
    counted = period_counts(conn, f, now, granularity=granularity)
    totals = counted[["period", "n"]]
    totals.attrs = dict(counted.attrs)
    return totals


def _ranked_counts(
    conn, f: Filters, now: datetime, key: str, out: str, cap: int | None, **kw
) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    with connected(conn) as c:
        counted = _counts(c, f, now, (key,), cap=cap, **kw)
    ranked = _ranked(counted, key, out)
    ranked.attrs = dict(counted.attrs)
    return ranked


def country_counts(
    conn: Connection | Engine, f: Filters, now: datetime, *, mode: str = "about", cap: int | None = CAP
) -> pd.DataFrame:
    """Articles per country; with `cap`, over the newest `cap` matches when no aggregate fits
    (then `attrs["newest"] == cap`, or `attrs["newest_with_words"]`: see `_counts`). The same holds
    for the other facet counts."""
    return _ranked_counts(conn, f, now, "country", "code", cap, mode=mode)


def topic_counts(
    conn: Connection | Engine, f: Filters, now: datetime, *, cap: int | None = CAP
) -> pd.DataFrame:
    return _ranked_counts(conn, f, now, "topic", "code", cap)


def source_counts(
    conn: Connection | Engine, f: Filters, now: datetime, *, cap: int | None = CAP
) -> pd.DataFrame:
    return _ranked_counts(conn, f, now, "source", "source", cap)


def language_counts(
    conn: Connection | Engine, f: Filters, now: datetime, *, cap: int | None = CAP
) -> pd.DataFrame:
    return _ranked_counts(conn, f, now, "language", "language", cap)


def top_topics_by_country(
    conn: Connection | Engine, f: Filters, now: datetime, *, per_country: int = 3, cap: int | None = CAP
) -> pd.DataFrame:
    with connected(conn) as c:
        counted = _counts(c, f, now, ("country", "topic"), mode=f.country_mode, cap=cap)
    frame = counted[counted["n"] > 0].rename(columns={"country": "code"})
    frame = frame.sort_values(["code", "n", "topic"], ascending=[True, False, True], kind="stable")
    top = frame.groupby("code").head(per_country)[["code", "topic", "n"]].reset_index(drop=True)
    top.attrs = dict(counted.attrs)
    return top


def co_countries(
    conn: Connection | Engine,
    f: Filters,
    now: datetime,
    *,
    country: str,
    limit: int = 20,
    cap: int | None = CAP,
) -> pd.DataFrame:
    """Other countries tagged on the articles (under `f`) tagged with `country` in `f.country_mode`."""
    with connected(conn) as c:
        counted = _counts(c, f, now, ("other",), extra_country=country, cap=cap)
    top = _ranked(counted, "other", "code").head(limit).reset_index(drop=True)
    top.attrs = dict(counted.attrs)
    return top
