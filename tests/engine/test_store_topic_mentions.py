"""Mention-level topics (TopicTag.about False): stored apart, read back with the article, never counted."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import text

from dateline.filters import Filters
from dateline.models import Article, TopicTag
from dateline.process.topics import tag_topics
from dateline.settings import SAMPLES_DIR
from dateline.store import aggregates, queries, writes
from dateline.store.migrations import MIGRATIONS, applied_migrations, migrate

NOW = datetime(2024, 4, 1, 12, 0, tzinfo=UTC)
POLITICS, DIPLOMACY = "medtop:11000000", "medtop:20000639"
ECONOMY, CONFLICT, SPORT = "medtop:04000000", "medtop:16000000", "medtop:15000000"

CONFLICT_MENTION = TopicTag(
    code=CONFLICT, label="conflict, war and peace", score=0.1, primary=False, about=False
)
SPORT_MENTION = TopicTag(code=SPORT, label="sport", score=0.05, primary=False, about=False)


def rows(engine, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(text(sql)))


def with_mentions(article: Article, *mentions: TopicTag) -> Article:
    return dataclasses.replace(article, topics=(*article.topics, *mentions))


def test_mentions_round_trip_and_stay_out_of_topic_rows_and_counts(db, article, snapshot):
    plain = [article(n) for n in range(6)]
    writes.save_batch(db, plain, run_id=None, now=NOW)
    counts_without = snapshot(db)
    writes.delete_articles(db, [a.id for a in plain])

    tagged = [with_mentions(a, CONFLICT_MENTION) if n % 2 else a for n, a in enumerate(plain)]
    assert writes.save_batch(db, tagged, run_id=None, now=NOW) == writes.BatchResult(new=6)
    assert snapshot(db) == counts_without  # every aggregate is about-only
    assert rows(db, "SELECT article_id, code, label, score FROM article_topic_mentions") == [
        (f"art-{n}", CONFLICT, "conflict, war and peace", 0.1) for n in (1, 3, 5)
    ]
    assert CONFLICT not in {r[0] for r in rows(db, "SELECT code FROM article_topics")}
    assert queries.get_article(db, "art-1") == tagged[1]
    assert queries.get_article(db, "art-2") == tagged[2]
    assert queries.topic_counts(db, Filters(), NOW)["code"].tolist().count(CONFLICT) == 0


def test_identical_reingest_is_unchanged_and_a_mentions_only_edit_is_stored(db, article, snapshot):
    first = with_mentions(article(1), CONFLICT_MENTION)
    writes.save_batch(db, [first], run_id=None, now=NOW)
    assert writes.save_batch(db, [first], run_id=None, now=NOW) == writes.BatchResult(unchanged=1)
    counts = snapshot(db)

    retagged = with_mentions(article(1), SPORT_MENTION)
    assert writes.save_batch(db, [retagged], run_id=None, now=NOW) == writes.BatchResult(updated=1)
    assert rows(db, "SELECT code FROM article_topic_mentions") == [(SPORT,)]
    assert queries.get_article(db, "art-1") == retagged
    assert snapshot(db) == counts  # the about topics did not change, so neither do the counts

    dropped = article(1)
    assert writes.save_batch(db, [dropped], run_id=None, now=NOW) == writes.BatchResult(updated=1)
    assert rows(db, "SELECT code FROM article_topic_mentions") == []


def test_articles_without_mentions_keep_the_hash_they_were_stored_with(article):
    # Stores filled before mention-level topics existed re-ingest such articles as "unchanged".
    plain = article(2)
    assert writes.content_hash(plain) != writes.content_hash(with_mentions(plain, SPORT_MENTION))
    assert writes.content_hash(plain) == writes.content_hash(dataclasses.replace(plain))


def test_delete_and_retag_replace_mentions(db, article, snapshot):
    writes.save_batch(
        db, [with_mentions(article(n), CONFLICT_MENTION) for n in range(5)], run_id=None, now=NOW
    )
    writes.delete_articles(db, ["art-0"])
    assert len(rows(db, "SELECT article_id FROM article_topic_mentions")) == 4

    done = writes.retag(
        db, lambda a: with_mentions(dataclasses.replace(a, topics=a.topics[:1]), SPORT_MENTION)
    )
    assert done == 4
    assert rows(db, "SELECT article_id, code FROM article_topic_mentions") == [
        (f"art-{n}", SPORT) for n in range(1, 5)
    ]
    stored = queries.get_article(db, "art-3")
    assert stored is not None and [(t.code, t.about) for t in stored.topics] == [
        (ECONOMY, True),
        (SPORT, False),
    ]
    incremental = snapshot(db)
    aggregates.rebuild_aggregates(db)
    assert snapshot(db) == incremental


def test_export_stream_carries_both_levels(db, article):
    writes.save_batch(
        db, [with_mentions(article(n), CONFLICT_MENTION) for n in range(3)], run_id=None, now=NOW
    )
    exported = list(queries.iter_articles(db, Filters(), NOW, batch=2))
    assert len(exported) == 3
    assert all([t.about for t in a.topics][-1] is False for a in exported)


def test_seed_story_stores_and_reads_back_its_mentions(db):
    dump = (SAMPLES_DIR / "seed_urdupoint_2023-06-17.txt").read_text(encoding="utf-8")
    start = dump.index("US Secretary of State Antony Blinken will travel to Beijing")
    body = dump[start : dump.index("in London.", start) + len("in London.")]
    title = "Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts Amid Rising Tensions"
    seed = Article(id="seed", url=None, title=title, text=body, topics=tag_topics(title, body))
    writes.save_batch(db, [seed], run_id=None, now=NOW)
    stored = queries.get_article(db, "seed")
    assert stored is not None and stored.topics == seed.topics
    assert {t.code for t in stored.topics if not t.about} >= {ECONOMY, CONFLICT}
    assert rows(db, "SELECT code FROM article_topics") == [(POLITICS,), (DIPLOMACY,)]


def test_a_store_at_0007_migrates_and_keeps_its_articles(db, article):
    # Put the store back to where 0007 left it: no mentions table, 0008 not in the ledger.
    writes.save_batch(db, [article(1)], run_id=None, now=NOW)
    with db.begin() as conn:
        conn.execute(text("DROP TABLE article_topic_mentions"))
        conn.execute(text("DELETE FROM schema_migrations WHERE name = '0008_article_topic_mentions'"))
    assert applied_migrations(db)[-1] == "0007_articles_source_seen_index"

    assert migrate(db) == ["0008_article_topic_mentions"]
    assert applied_migrations(db) == [name for name, _ in MIGRATIONS]
    assert queries.get_article(db, "art-1") == article(1)
    assert writes.save_batch(db, [article(1)], run_id=None, now=NOW) == writes.BatchResult(unchanged=1)
    updated = with_mentions(article(1), CONFLICT_MENTION)
    assert writes.save_batch(db, [updated], run_id=None, now=NOW) == writes.BatchResult(updated=1)
    assert queries.get_article(db, "art-1") == updated
