"""Ingest runs: when each started and finished, its totals and its per-item problems."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from dateline.models import Problem
from dateline.store.dml import insert_rows, transaction


def start_run(engine: Engine | Connection, sources: Sequence[str], *, now: datetime | None = None) -> int:
    """Record the start of an ingest run; returns its id."""
    started = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with transaction(engine) as conn:
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
    with transaction(engine) as conn:
        conn.execute(
            text(
                "UPDATE ingest_runs SET finished_at = :at, new = :new, updated = :updated, "
                "unchanged = :unchanged, failed = :failed WHERE run_id = :run_id"
            ),
            {**values, "at": finished, "run_id": run_id},
        )
        insert_rows(
            conn,
            "ingest_problems",
            [{"run_id": run_id, "source": p.source, "item": p.item, "reason": p.reason} for p in problems],
        )


# PostgreSQL picks its text-search plans from the planner's statistics of the words (pg_matching.py);
# until autovacuum's next ANALYZE, a run that grew the store by this share leaves them describing a
# smaller, different store.
STALE_GROWTH = 0.1
ANALYZED_TABLES = ("articles", "article_texts", "article_countries", "article_topics")


def refresh_statistics(engine: Engine, added: int) -> bool:
    """ANALYZE the tables a run grew by STALE_GROWTH or more (PostgreSQL); whether it did."""
    if engine.dialect.name != "postgresql" or added <= 0:
        return False
    with engine.connect() as conn:
        # reltuples: the row count at the last ANALYZE or VACUUM (-1: never), read without a scan
        known = conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'articles'")).scalar()
    before = max(float(known or 0), 0.0)
    if before and added < STALE_GROWTH * before:
        return False
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"ANALYZE {', '.join(ANALYZED_TABLES)}"))
    return True
