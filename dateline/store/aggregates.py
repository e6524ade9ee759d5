"""Daily aggregates and their monthly/yearly rollups: deltas kept exact per batch, and a full rebuild."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from dateline.models import Article
from dateline.store.dml import chunks, executemany, in_list, transaction
from dateline.store.schema import AGGREGATES, DAILY, ROLLUPS, rollup_name


@dataclass(frozen=True, kw_only=True)
class Footprint:
    """What one stored article adds to the daily aggregates."""

    day: str
    source: str
    language: str
    countries: tuple[tuple[str, bool], ...]  # (code, about)
    topics: tuple[str, ...]


def footprint(article: Article, sort_at: str) -> Footprint:
    return Footprint(
        day=sort_at[:10],
        source=article.source or "",
        language=article.language or "",
        countries=tuple((c.code, c.about) for c in article.countries),
        topics=tuple(t.code for t in article.topics if t.about),  # mentions are never counted
    )


def aggregate_deltas(footprints: Iterable[Footprint], sign: int = 1) -> dict[str, Counter]:
    """Per aggregate table, the change to each row's counts: {table: Counter{(keys, column): delta}}."""
    deltas: dict[str, Counter] = {table: Counter() for table in DAILY}
    for fp in footprints:
        d = fp.day
        deltas["daily_totals"][((d,), "n")] += sign
        deltas["daily_sources"][((fp.source, d), "n")] += sign
        deltas["daily_languages"][((fp.language, d), "n")] += sign
        for topic in fp.topics:
            deltas["daily_topics"][((topic, d), "n")] += sign
            for other in fp.topics:
                if other != topic:
                    deltas["daily_topic_pairs"][((topic, d, other), "n")] += sign
        for code, about in fp.countries:
            _count_country(deltas["daily_countries"], (code, d), about, sign)
            for topic in fp.topics:
                _count_country(deltas["daily_country_topics"], (code, topic, d), about, sign)
                for other in fp.topics:
                    if other != topic:
                        _count_country(
                            deltas["daily_country_topic_pairs"], (code, topic, d, other), about, sign
                        )
            for other, _ in fp.countries:
                if other != code:
                    _count_country(deltas["daily_country_pairs"], (code, d, other), about, sign)
    return {**deltas, **_rolled_up(deltas)}


def _rolled_up(daily: Mapping[str, Counter]) -> dict[str, Counter]:
    """The monthly and yearly deltas: each daily delta added to its month's and year's row."""
    rolled: dict[str, Counter] = {}
    for table, counter in daily.items():
        at = DAILY[table][0].index("day")
        for level, _, width in ROLLUPS[1:]:
            target = rolled[rollup_name(table, level)] = Counter()
            for (key, column), delta in counter.items():
                target[((*key[:at], key[at][:width], *key[at + 1 :]), column)] += delta
    return rolled


def _count_country(counter: Counter, key: tuple[str, ...], about: bool, sign: int) -> None:
    counter[(key, "n_mentioned")] += sign
    counter[(key, "n_about")] += sign if about else 0


def apply_deltas(conn: Connection, deltas: Mapping[str, Counter]) -> None:
    """Upsert `n = n + delta` per row, then drop rows whose counts all fell to zero."""
    for table, counter in deltas.items():
        keys, counts = AGGREGATES[table]
        rows: dict[tuple[str, ...], dict[str, object]] = {}
        for (key, column), delta in counter.items():
            row = rows.setdefault(key, {**dict(zip(keys, key, strict=True)), **dict.fromkeys(counts, 0)})
            row[column] = int(row[column]) + delta  # type: ignore[call-overload]
        changed = [r for r in rows.values() if any(r[c] for c in counts)]
        if not changed:
            continue
        sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts)
        executemany(
            conn,
            f"INSERT INTO {table} ({', '.join(keys + counts)}) "
            f"VALUES ({', '.join(':' + c for c in keys + counts)}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}",
            changed,
        )
        shrunk = [{k: r[k] for k in keys} for r in changed if any(int(r[c]) < 0 for c in counts)]  # type: ignore[call-overload]
        if shrunk:
            where = " AND ".join(f"{k} = :{k}" for k in keys) + "".join(f" AND {c} <= 0" for c in counts)
            conn.execute(text(f"DELETE FROM {table} WHERE {where}"), shrunk)


def stored_footprints(conn: Connection, ids: Sequence[str]) -> list[Footprint]:
    """Footprints of stored articles, read back from their rows (for updates and deletes)."""
    result = []
    for chunk in chunks(ids):
        marks, params = in_list("i", chunk)
        base = conn.execute(
            text(f"SELECT id, published_day, source, language FROM articles WHERE id IN ({marks})"), params
        ).all()
        countries: dict[str, list[tuple[str, bool]]] = {}
        for aid, code, about in conn.execute(
            text(f"SELECT article_id, code, about FROM article_countries WHERE article_id IN ({marks})"),
            params,
        ):
            countries.setdefault(aid, []).append((code, bool(about)))
        topics: dict[str, list[str]] = {}
        for aid, code in conn.execute(
            text(f"SELECT article_id, code FROM article_topics WHERE article_id IN ({marks})"), params
        ):
            topics.setdefault(aid, []).append(code)
        for aid, day, source, language in base:
            result.append(
                Footprint(
                    day=day,
                    source=source or "",
                    language=language or "",
                    countries=tuple(countries.get(aid, ())),
                    topics=tuple(topics.get(aid, ())),
                )
            )
    return result


REBUILD = {
    "daily_totals": "SELECT published_day, COUNT(*) FROM articles GROUP BY published_day",
    "daily_topics": "SELECT code, published_day, COUNT(*) FROM article_topics GROUP BY code, published_day",
    "daily_countries": "SELECT code, published_day, SUM(about), COUNT(*) FROM article_countries "
    "GROUP BY code, published_day",
    "daily_sources": "SELECT COALESCE(source, ''), published_day, COUNT(*) FROM articles "
    "GROUP BY COALESCE(source, ''), published_day",
    "daily_languages": "SELECT COALESCE(language, ''), published_day, COUNT(*) FROM articles "
    "GROUP BY COALESCE(language, ''), published_day",
    "daily_country_topics": "SELECT c.code, t.code, c.published_day, SUM(c.about), COUNT(*) "
    "FROM article_countries c JOIN article_topics t ON t.article_id = c.article_id "
    "GROUP BY c.code, t.code, c.published_day",
    "daily_country_pairs": "SELECT c.code, c.published_day, o.code, SUM(c.about), COUNT(*) "
    "FROM article_countries c JOIN article_countries o ON o.article_id = c.article_id AND o.code <> c.code "
    "GROUP BY c.code, c.published_day, o.code",
    "daily_topic_pairs": "SELECT t.code, t.published_day, o.code, COUNT(*) FROM article_topics t "
    "JOIN article_topics o ON o.article_id = t.article_id AND o.code <> t.code "
    "GROUP BY t.code, t.published_day, o.code",
    "daily_country_topic_pairs": "SELECT c.code, t.code, t.published_day, o.code, SUM(c.about), COUNT(*) "
    "FROM article_countries c JOIN article_topics t ON t.article_id = c.article_id "
    "JOIN article_topics o ON o.article_id = t.article_id AND o.code <> t.code "
    "GROUP BY c.code, t.code, t.published_day, o.code",
}


def rollup_select(daily_table: str, level: str) -> str:
    """SELECT summing a daily aggregate into its `level` twin (monthly or yearly)."""
    keys, counts = DAILY[daily_table]
    width = next(w for name, _, w in ROLLUPS if name == level)
    cut = [f"SUBSTR(day, 1, {width})" if k == "day" else k for k in keys]
    sums = ", ".join(f"SUM({c})" for c in counts)
    return f"SELECT {', '.join(cut)}, {sums} FROM {daily_table} GROUP BY {', '.join(cut)}"


# Rollups are summed from the daily tables, so they are rebuilt after them (dict order).
REBUILD.update({rollup_name(t, level): rollup_select(t, level) for level, _, _ in ROLLUPS[1:] for t in DAILY})


def rebuild_aggregates(engine: Engine | Connection) -> None:
    """Recompute every daily aggregate from the article and tag rows (the truth), in one transaction."""
    with transaction(engine) as conn:
        for table, select in REBUILD.items():
            keys, counts = AGGREGATES[table]
            conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text(f"INSERT INTO {table} ({', '.join(keys + counts)}) {select}"))
