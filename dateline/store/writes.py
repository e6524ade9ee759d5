"""Batch upserts of articles with their tag rows, daily aggregates kept exact in the same transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from dateline.models import Article
from dateline.store.aggregates import (
    aggregate_deltas,
    apply_deltas,
    footprint,
    rebuild_aggregates,
    stored_footprints,
)
from dateline.store.dml import chunks, in_list, insert_rows, transaction


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


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


def stored_hashes(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    return _column_by_id(conn, ids, "content_hash")


def _column_by_id(conn: Connection, ids: Sequence[str], column: str) -> dict[str, str]:
    """One `articles` column for the stored ids among `ids` (column names are ours, never user input)."""
    found: dict[str, str] = {}
    for chunk in chunks(ids):
        marks, params = in_list("i", chunk)
        rows = conn.execute(text(f"SELECT id, {column} FROM articles WHERE id IN ({marks})"), params)
        found.update({r[0]: r[1] for r in rows})
    return found


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


def _delete_tags(conn: Connection, ids: Sequence[str]) -> None:
    for chunk in chunks(ids):
        marks, params = in_list("i", chunk)
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
    insert_rows(conn, "article_countries", countries)
    insert_rows(conn, "article_topics", topics)
    insert_rows(conn, "article_topic_mentions", mentions)


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
    with transaction(engine) as conn:
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
    insert_rows(
        conn, "articles", [{**_article_row(a, s), "content_hash": hashes[a.id], **meta} for a, s in prepared]
    )
    insert_rows(
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


def delete_articles(engine: Engine | Connection, ids: Sequence[str]) -> int:
    """Delete articles (body, tags, FTS entry) and take them out of the aggregates; returns how many."""
    with transaction(engine) as conn:
        ids = list(dict.fromkeys(ids))
        old = stored_footprints(conn, ids)
        apply_deltas(conn, aggregate_deltas(old, sign=-1))
        for chunk in chunks(ids):
            marks, params = in_list("i", chunk)
            conn.execute(text(f"DELETE FROM article_texts WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM article_countries WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM article_topics WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM article_topic_mentions WHERE article_id IN ({marks})"), params)
            conn.execute(text(f"DELETE FROM articles WHERE id IN ({marks})"), params)
    return len(old)


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
        with transaction(engine) as conn:
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
