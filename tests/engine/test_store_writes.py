"""Batch upserts, updates in place, deletes, re-tagging and runs: aggregates always equal a recount."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from dateline.models import CountryTag, Problem, TopicTag
from dateline.store import aggregates, queries, runs, writes

NOW = datetime(2024, 4, 1, 12, 0, tzinfo=UTC)


def table_count(engine, table: str) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def assert_aggregates_exact(engine, snapshot) -> None:  # type: ignore[no-untyped-def]
    incremental = snapshot(engine)
    aggregates.rebuild_aggregates(engine)
    assert snapshot(engine) == incremental


def test_new_then_identical_batch_is_unchanged(db, article, snapshot):
    batch = [article(n) for n in range(30)]
    assert writes.save_batch(db, batch, run_id=None, now=NOW) == writes.BatchResult(new=30)
    before = snapshot(db)
    again = writes.save_batch(db, batch, run_id=None, now=NOW)
    assert again == writes.BatchResult(unchanged=30)
    assert snapshot(db) == before
    assert table_count(db, "articles") == 30
    assert table_count(db, "article_countries") == 60


def test_repeated_id_in_one_batch_keeps_the_last_copy(db, article):
    result = writes.save_batch(db, [article(1), article(1, title="Second copy")], run_id=None, now=NOW)
    assert result == writes.BatchResult(new=1)
    assert queries.get_article(db, "art-1").title == "Second copy"


def test_edit_updates_in_place_and_moves_aggregates(db, article, snapshot):
    writes.save_batch(db, [article(n) for n in range(12)], run_id=None, now=NOW)
    edited = article(
        4,
        title="Rewritten",
        published_at="2024-03-28T09:00:00",
        source="Elsewhere",
        countries=(CountryTag(code="BR", name="Brazil", mentions=1, salience=1.0, about=True),),
        topics=(TopicTag(code="medtop:15000000", label="sport", score=0.8, primary=True),),
    )
    result = writes.save_batch(db, [edited, article(5)], run_id=None, now=NOW)
    assert result == writes.BatchResult(updated=1, unchanged=1)
    stored = queries.get_article(db, "art-4")
    assert stored is not None
    assert (stored.title, stored.source, [c.code for c in stored.countries]) == (
        "Rewritten",
        "Elsewhere",
        ["BR"],
    )
    assert table_count(db, "articles") == 12
    assert_aggregates_exact(db, snapshot)
    with db.connect() as conn:
        day = conn.execute(text("SELECT n FROM daily_sources WHERE source = 'Elsewhere'")).scalar_one()
    assert day == 1


def test_aggregates_match_hand_count(db, article):
    writes.save_batch(db, [article(n) for n in range(6)], run_id=None, now=NOW)
    with db.connect() as conn:
        us = conn.execute(
            text("SELECT SUM(n_about), SUM(n_mentioned) FROM daily_countries WHERE code = 'US'")
        ).one()
        cn = conn.execute(
            text("SELECT SUM(n_about), SUM(n_mentioned) FROM daily_countries WHERE code = 'CN'")
        ).one()
        pairs = conn.execute(
            text(
                "SELECT SUM(n_about), SUM(n_mentioned) FROM daily_country_pairs WHERE code = 'CN' AND other = 'US'"
            )
        ).one()
        politics = conn.execute(
            text("SELECT SUM(n) FROM daily_topics WHERE code = 'medtop:11000000'")
        ).scalar_one()
    # n = 0..5: CN on n = 0 and 3 (about only when n is even); politics on odd n.
    assert tuple(us) == (6, 6)
    assert tuple(cn) == (1, 2)
    assert tuple(pairs) == (1, 2)
    assert politics == 3


def test_delete_keeps_aggregates_exact(db, article, snapshot):
    writes.save_batch(db, [article(n) for n in range(20)], run_id=None, now=NOW)
    assert writes.delete_articles(db, ["art-3", "art-7", "missing"]) == 2
    assert table_count(db, "articles") == 18
    assert table_count(db, "article_texts") == 18
    assert queries.get_article(db, "art-3") is None
    assert_aggregates_exact(db, snapshot)
    found, total = queries.search_articles(db, queries.Filters(query="Story 3"), NOW)
    assert "art-3" not in set(found["id"])


def test_mixed_history_equals_rebuild(db, article, snapshot):
    writes.save_batch(db, [article(n) for n in range(40)], run_id=None, now=NOW)
    writes.save_batch(
        db, [article(n, language="fr", published_at=None) for n in range(0, 40, 3)], run_id=None, now=NOW
    )
    writes.delete_articles(db, [f"art-{n}" for n in range(0, 40, 7)])
    writes.save_batch(db, [article(n) for n in range(35, 50)], run_id=None, now=NOW)
    assert_aggregates_exact(db, snapshot)


def test_undated_article_sorts_by_first_seen(db, article):
    writes.save_batch(db, [article(1, published_at=None)], run_id=None, now=NOW)
    with db.connect() as conn:
        row = conn.execute(text("SELECT published_at, sort_at, published_day FROM articles")).one()
    assert tuple(row) == (None, "2024-04-01T12:00:00", "2024-04-01")


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2024-03-05T23:30:00-05:00", "2024-03-05T23:30:00"),  # local day kept, never shifted to UTC
        ("2024-03-05", "2024-03-05T00:00:00"),
        ("2024-03-05T07:08", "2024-03-05T07:08:00"),
        ("2024-03-05T07:08:09.123Z", "2024-03-05T07:08:09"),
        ("not a date", "2024-04-01T12:00:00"),
        (None, "2024-04-01T12:00:00"),
    ],
)
def test_sort_key(published, expected):
    assert writes.sort_key(published, "2024-04-01T12:00:00+00:00") == expected


def test_failed_batch_leaves_nothing_half_written(db, article, snapshot, monkeypatch):
    writes.save_batch(db, [article(1)], run_id=None, now=NOW)
    before = snapshot(db)

    def explode(conn, deltas):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(writes, "apply_deltas", explode)
    with pytest.raises(RuntimeError):
        writes.save_batch(db, [article(2), article(1, title="edited")], run_id=None, now=NOW)
    assert table_count(db, "articles") == 1
    assert table_count(db, "article_texts") == 1
    assert queries.get_article(db, "art-1").title == "Headline 1 about markets"
    assert snapshot(db) == before


def test_unicode_round_trip(db, article):
    original = article(
        9,
        title="Über Kyjiw und 北京 — «новости» 🚀",
        text="Ελληνικά κείμενα και 中文 текст.",
        site_tags=("naïve", "日本"),
        author="José Ñúñez",
    )
    writes.save_batch(db, [original], run_id=None, now=NOW)
    assert queries.get_article(db, "art-9") == original


def test_retag_rewrites_tags_and_rebuilds(db, article, snapshot):
    writes.save_batch(db, [article(n) for n in range(25)], run_id=None, now=NOW)
    sport = TopicTag(code="medtop:15000000", label="sport", score=1.0, primary=True)
    seen: list[int] = []
    done = writes.retag(db, lambda a: dataclasses.replace(a, topics=(sport,)), seen.append, batch=10)
    assert done == 25 and seen == [10, 20, 25]
    frame = queries.topic_counts(db, queries.Filters(), NOW)
    assert frame.to_dict("records") == [{"code": "medtop:15000000", "n": 25}]
    assert_aggregates_exact(db, snapshot)
    # Re-saving the re-tagged article as it now is changes nothing.
    again = dataclasses.replace(article(3), topics=(sport,))
    assert writes.save_batch(db, [again], run_id=None, now=NOW) == writes.BatchResult(unchanged=1)


def test_runs_and_problems(db):
    run = runs.start_run(db, ["feeds.opml", "dump.txt"], now=NOW)
    problems = [
        Problem(source="dump.txt", reason="no title", item="line 4"),
        Problem(source="feeds.opml", reason="HTTP 404"),
    ]
    runs.finish_run(db, run, {"new": 3, "updated": 1, "unchanged": 2}, problems, now=NOW)
    listed = queries.ingest_runs(db)
    assert listed.to_dict("records") == [
        {
            "run_id": run,
            "started_at": "2024-04-01T12:00:00+00:00",
            "finished_at": "2024-04-01T12:00:00+00:00",
            "sources": "feeds.opml, dump.txt",
            "new": 3,
            "updated": 1,
            "unchanged": 2,
            "failed": 2,
        }
    ]
    assert queries.run_problems(db, run).to_dict("records") == [
        {"source": "dump.txt", "item": "line 4", "reason": "no title"},
        {"source": "feeds.opml", "item": "", "reason": "HTTP 404"},
    ]
    assert queries.run_problems(db, run + 1).empty


def test_finish_run_takes_any_report_object(db):
    @dataclasses.dataclass
    class Report:
        new: int = 2
        updated: int = 0
        unchanged: int = 5
        failed: int = 1
        problems: tuple = (Problem(source="x.csv", reason="bad row", item="3"),)

    run = runs.start_run(db, ["x.csv"], now=NOW)
    runs.finish_run(db, run, Report(), now=NOW)
    row = queries.ingest_runs(db).iloc[0]
    assert (row["new"], row["unchanged"], row["failed"]) == (2, 5, 1)
    assert list(queries.run_problems(db, run)["reason"]) == ["bad row"]
    runs.finish_run(db, run, writes.BatchResult(new=1), now=NOW)
    assert queries.ingest_runs(db).iloc[0]["failed"] == 0


def test_works_inside_a_callers_connection(db, article):
    with db.connect() as conn:
        result = writes.save_batch(conn, [article(1), article(2)], run_id=None, now=NOW)
        conn.commit()
        assert result == writes.BatchResult(new=2)
        assert queries.count_articles(conn, queries.Filters(), NOW) == 2
        assert queries.get_article(conn, "art-2") is not None


def test_overlapping_writers_keep_counts_exact(db, article, snapshot):
    """Two ingest workers saving overlapping batches at once (idempotent upserts, DESIGN.md scale path)."""
    from concurrent.futures import ThreadPoolExecutor

    batches = [[article(n) for n in range(start, start + 30)] for start in (0, 10, 20, 0, 15)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda b: writes.save_batch(db, b, run_id=None, now=NOW), batches))
    assert sum(r.new for r in results) == 50
    assert sum(r.new + r.updated + r.unchanged for r in results) == 150
    assert table_count(db, "articles") == 50
    assert_aggregates_exact(db, snapshot)


def test_a_run_that_grows_the_store_refreshes_postgresql_statistics(db, article):
    def analyzed() -> int:
        with db.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'article_texts'")
                ).scalar_one()
            )

    writes.save_batch(db, [article(n) for n in range(20)], run_id=None)
    if db.dialect.name != "postgresql":
        assert not runs.refresh_statistics(db, 20)  # SQLite's plans do not depend on statistics
        return
    before = analyzed()
    assert runs.refresh_statistics(db, 20)  # a store never analysed: its statistics say nothing
    assert analyzed() == before + 1
    assert not runs.refresh_statistics(db, 1)  # 1 new of 20: the statistics still describe it
    assert runs.refresh_statistics(db, 2)
