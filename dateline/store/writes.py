"""Batch upserts of articles with their tag rows, daily aggregates kept exact in the same transaction."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from dateline.models import Article, Problem
from dateline.store.schema import AGGREGATES, DAILY, ROLLUPS, rollup_name

CHUNK = 500  # ids per IN (...) list: far below SQLite's bound-parameter limit


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, kw_only=True)
class Footprint:
    """What one stored article adds to the daily aggregates."""

    day: str
    source: str
    language: str
    countries: tuple[tuple[str, bool], ...]  # (code, about)
    topics: tuple[str, ...]


def sort_key(published_at: str | None, first_seen: str) -> str:
    """'YYYY-MM-DDTHH:MM:SS' in the article's own clock; the first-seen time when undated."""
    for value in (published_at, first_seen):
        try:
            moment = datetime.fromisoformat(value) if value else None
        except ValueError:
            continue
        if moment is not None:
            return moment.replace(tzinfo=None).isoformat(timespec="seconds")
    raise ValueError(f"first_seen is not an ISO time: {first_seen!r}")


def content_hash(article: Article) -> str:
    """Hash of everything stored about an article except when it was seen."""
    payload = json.dumps(_article_row(article, ""), sort_keys=True, ensure_ascii=False)
    tags = [
        sorted((c.code, c.name, c.mentions, c.salience, c.about, c.offsets) for c in article.countries),
        sorted((t.code, t.label, t.score, t.primary) for t in article.topics if t.about),
    ]
    mentioned = sorted((t.code, t.label, t.score) for t in article.topics if not t.about)
    if mentioned:  # only then, so articles without mentions keep the hash they were stored with
        tags.append(mentioned)
    return hashlib.sha256((payload + json.dumps(tags) + article.text).encode()).hexdigest()


def _article_row(a: Article, sort_at: str) -> dict[str, object]:
    return {
        "id": a.id,
        "url": a.url,
        "title": a.title,
        "author": a.author,
        "published_at": a.published_at,
        "sort_at": sort_at,
        "published_day": sort_at[:10],
        "source": a.source,
        "dateline": a.dateline,
        "agency": a.agency,
        "language": a.language,
        "site_tags": json.dumps(list(a.site_tags), ensure_ascii=False),
        "story_id": a.story_id,
        "summary_only": int(a.summary_only),
        "origin": a.origin,
    }


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
        _executemany(
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


def _executemany(conn: Connection, sql: str, rows: Sequence[Mapping[str, object]]) -> None:
    """executemany straight through the driver: SQLAlchemy's per-row parameter processing costs ~20 %."""
    if conn.dialect.paramstyle == "pyformat":
        sql = re.sub(r":(\w+)", r"%(\1)s", sql)
    conn.exec_driver_sql(sql, list(rows))  # type: ignore[arg-type]


def _in_list(prefix: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(":" + n for n in names), dict(zip(names, values, strict=True))


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def stored_hashes(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    return _column_by_id(conn, ids, "content_hash")


def _column_by_id(conn: Connection, ids: Sequence[str], column: str) -> dict[str, str]:
    """One `articles` column for the stored ids among `ids` (column names are ours, never user input)."""
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        marks, params = _in_list("i", chunk)
        rows = conn.execute(text(f"SELECT id, {column} FROM articles WHERE id IN ({marks})"), params)
        found.update({r[0]: r[1] for r in rows})
    return found


def stored_footprints(conn: Connection, ids: Sequence[str]) -> list[Footprint]:
    """Footprints of stored articles, read back from their rows (for updates and deletes)."""
    result = []
    for chunk in _chunks(ids):
        marks, params = _in_list("i", chunk)
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


def _tag_rows(article: Article, sort_at: str) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows for article_countries, article_topics (about topics) and article_topic_mentions."""
    day = sort_at[:10]
    countries = [
        {
            "article_id": article.id,
            "code": c.code,
            "name": c.name,
            "mentions": c.mentions,
            "salience": c.salience,
            "about": int(c.about),
            "offsets": json.dumps([list(span) for span in c.offsets]),
            "sort_at": sort_at,
            "published_day": day,
        }
        for c in article.countries
    ]
    topics = [
        {
            "article_id": article.id,
            "code": t.code,
            "label": t.label,
            "score": t.score,
            "is_primary": int(t.primary),
            "sort_at": sort_at,
            "published_day": day,
        }
        for t in article.topics
        if t.about
    ]
    mentions = [
        {"article_id": article.id, "code": t.code, "label": t.label, "score": t.score}
        for t in article.topics
        if not t.about
    ]
    return countries, topics, mentions


def _insert(conn: Connection, table: str, rows: list[dict]) -> None:
    if rows:
        cols = list(rows[0])
        _executemany(
            conn, f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})", rows
        )


def _delete_tags(conn: Connection, ids: Sequence[str]) -> None:
    for chunk in _chunks(ids):
        marks, params = _in_list("i", chunk)
        conn.execute(text(f"DELETE FROM article_countries WHERE article_id IN ({marks})"), params)
        conn.execute(text(f"DELETE FROM article_topics WHERE article_id IN ({marks})"), params)
        conn.execute(text(f"DELETE FROM article_topic_mentions WHERE article_id IN ({marks})"), params)


def _write_tags(conn: Connection, prepared: Sequence[tuple[Article, str]]) -> None:
    countries: list[dict] = []
    topics: list[dict] = []
    mentions: list[dict] = []
    for article, sort_at in prepared:
        c_rows, t_rows, m_rows = _tag_rows(article, sort_at)
        countries += c_rows
        topics += t_rows
        mentions += m_rows
    _insert(conn, "article_countries", countries)
    _insert(conn, "article_topics", topics)
    _insert(conn, "article_topic_mentions", mentions)


def save_batch(
    engine: Engine | Connection,
    articles: Sequence[Article],
    *,
    run_id: int | None,
    now: datetime | None = None,
) -> BatchResult:
    """Upsert a batch by stable id in one transaction; unchanged articles only get `last_seen` bumped.

    New and edited articles move the daily aggregates in the same transaction (an edit takes the old
    version's counts out first). `run_id` names the ingest run the batch belongs to; its totals and
    problems are recorded by `finish_run`.
    """
    seen = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    batch = list({a.id: a for a in articles}.values())  # the last copy of a repeated id wins
    with _transaction(engine) as conn:
        stored = stored_hashes(conn, [a.id for a in batch])
        hashes = {a.id: content_hash(a) for a in batch}
        fresh = [a for a in batch if a.id not in stored]
        edited = [a for a in batch if a.id in stored and stored[a.id] != hashes[a.id]]
        same = [a.id for a in batch if a.id in stored and stored[a.id] == hashes[a.id]]
        old = stored_footprints(conn, [a.id for a in edited])
        written = _insert_new(conn, fresh, seen, hashes) + _update_edited(conn, edited, seen, hashes)
        deltas = aggregate_deltas(footprint(a, s) for a, s in written)
        for table, counter in aggregate_deltas(old, sign=-1).items():
            deltas[table].update(counter)
        apply_deltas(conn, deltas)
        if same:
            conn.execute(
                text("UPDATE articles SET last_seen = :seen WHERE id = :id"),
                [{"seen": seen, "id": aid} for aid in same],
            )
    return BatchResult(new=len(fresh), updated=len(edited), unchanged=len(same))


def _insert_new(
    conn: Connection, fresh: list[Article], seen: str, hashes: Mapping[str, str]
) -> list[tuple[Article, str]]:
    # Time order keeps FTS doc numbers close to time order, which the search date bound relies on.
    prepared = sorted(((a, sort_key(a.published_at, seen)) for a in fresh), key=lambda p: p[1])
    meta = {"first_seen": seen, "last_seen": seen, "updated_at": seen}
    _insert(
        conn, "articles", [{**_article_row(a, s), "content_hash": hashes[a.id], **meta} for a, s in prepared]
    )
    _insert(
        conn,
        "article_texts",
        [{"article_id": a.id, "sort_at": s, "title": a.title, "text": a.text} for a, s in prepared],
    )
    _write_tags(conn, prepared)
    return prepared


def _update_edited(
    conn: Connection, edited: list[Article], seen: str, hashes: Mapping[str, str]
) -> list[tuple[Article, str]]:
    if not edited:
        return []
    firsts = _first_seen(conn, [a.id for a in edited])
    prepared = [(a, sort_key(a.published_at, firsts[a.id])) for a in edited]
    rows = [
        {**_article_row(a, s), "content_hash": hashes[a.id], "last_seen": seen, "updated_at": seen}
        for a, s in prepared
    ]
    sets = ", ".join(f"{c} = :{c}" for c in rows[0] if c != "id")
    conn.execute(text(f"UPDATE articles SET {sets} WHERE id = :id"), rows)
    conn.execute(
        text(
            "UPDATE article_texts SET sort_at = :sort_at, title = :title, text = :text WHERE article_id = :id"
        ),
        [{"id": a.id, "sort_at": s, "title": a.title, "text": a.text} for a, s in prepared],
    )
    _delete_tags(conn, [a.id for a in edited])
    _write_tags(conn, prepared)
    return prepared


def _first_seen(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    return _column_by_id(conn, ids, "first_seen")


@contextmanager
def _transaction(target: Engine | Connection) -> Iterator[Connection]:
    """A write transaction: `engine.begin()` for an Engine, else a transaction (or savepoint) on the Connection."""
    if isinstance(target, Engine):
        with target.execution_options(sqlite_begin="immediate").begin() as conn:
            _one_writer_at_a_time(conn)
            yield conn
    else:
        with target.begin_nested() if target.in_transaction() else target.begin():
            _one_writer_at_a_time(target)
            yield target


def _one_writer_at_a_time(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Overlapping ingest workers write one batch at a time: two inserts of the same new id
        # would otherwise collide, and each batch's aggregate deltas assume it saw the latest rows.
        conn.execute(text("SELECT pg_advisory_xact_lock(724202)"))


def delete_articles(engine: Engine | Connection, ids: Sequence[str]) -> int:
    """Delete articles (body, tags, FTS entry) and take them out of the aggregates; returns how many."""
    with _transaction(engine) as conn:
        ids = list(dict.fromkeys(ids))
        old = stored_footprints(conn, ids)
        apply_deltas(conn, aggregate_deltas(old, sign=-1))
        for chunk in _chunks(ids):
            marks, params = _in_list("i", chunk)
            conn.execute(text(f"DELETE FROM article_texts WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM article_countries WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM article_topics WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM article_topic_mentions WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM articles WHERE id IN ({marks})"), params)
    return len(old)


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
    with _transaction(engine) as conn:
        for table, select in REBUILD.items():
            keys, counts = AGGREGATES[table]
            conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text(f"INSERT INTO {table} ({', '.join(keys + counts)}) {select}"))


def retag(
    engine: Engine,
    tag_fn: Callable[[Article], Article],
    progress: Callable[[int], None] | None = None,
    *,
    batch: int = 1000,
) -> int:
    """Re-tag every stored article with `tag_fn` in batches, then rebuild the aggregates; returns the count."""
    from dateline.store.queries import load_articles

    done, after = 0, ""
    while True:
        with _transaction(engine) as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    text("SELECT id FROM articles WHERE id > :after ORDER BY id LIMIT :n"),
                    {"after": after, "n": batch},
                )
            ]
            if not ids:
                break
            articles = [tag_fn(a) for a in load_articles(conn, ids)]
            _delete_tags(conn, ids)
            firsts = _first_seen(conn, ids)
            _write_tags(conn, [(a, sort_key(a.published_at, firsts[a.id])) for a in articles])
            conn.execute(
                text("UPDATE articles SET content_hash = :h WHERE id = :id"),
                [{"h": content_hash(a), "id": a.id} for a in articles],
            )
        done, after = done + len(ids), ids[-1]
        if progress:
            progress(done)
    rebuild_aggregates(engine)
    return done


def start_run(engine: Engine | Connection, sources: Sequence[str], *, now: datetime | None = None) -> int:
    """Record the start of an ingest run; returns its id."""
    started = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with _transaction(engine) as conn:
        row = conn.execute(
            text("INSERT INTO ingest_runs (started_at, sources) VALUES (:at, :sources) RETURNING run_id"),
            {"at": started, "sources": json.dumps(list(sources), ensure_ascii=False)},
        ).one()
    return int(row[0])


def finish_run(
    engine: Engine | Connection,
    run_id: int,
    counts: object,
    problems: Sequence[Problem] | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """Record a run's totals and problems.

    `counts` is a mapping or any object with `new`/`updated`/`unchanged` (and optionally `failed` and
    `problems`) attributes, such as a BatchResult or the ingest report; `failed` defaults to the
    number of problems.
    """
    if problems is None:
        problems = tuple(getattr(counts, "problems", ()))
    get = counts.get if isinstance(counts, Mapping) else lambda k, d=0: getattr(counts, k, d)
    values = {k: int(get(k, 0)) for k in ("new", "updated", "unchanged")}
    values["failed"] = int(get("failed", len(problems)))
    finished = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with _transaction(engine) as conn:
        conn.execute(
            text(
                "UPDATE ingest_runs SET finished_at = :at, new = :new, updated = :updated, "
                "unchanged = :unchanged, failed = :failed WHERE run_id = :run_id"
            ),
            {**values, "at": finished, "run_id": run_id},
        )
        _insert(
            conn,
            "ingest_problems",
            [{"run_id": run_id, "source": p.source, "item": p.item, "reason": p.reason} for p in problems],
        )
