"""Sources, ingest runs and the stored time span."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, text

from dateline.store.sql import connected

# SQLite without STAT4 would read MIN/MAX(sort_at) through the (source, last_seen) index, one row
# per article of the source: name the index that holds sort_at in order.
_PER_SOURCE = (
    "(SELECT MIN(sort_at) FROM articles{hint} WHERE {w}), (SELECT MAX(sort_at) FROM articles{hint} WHERE {w}), "
    "(SELECT MAX(last_seen) FROM articles WHERE {w})"
)


def source_stats(conn: Connection | Engine) -> pd.DataFrame:
    """Articles per source (missing source as '') with their first, latest and last-ingested times.

    Counts come from the yearly aggregate and each time from one seek in a `(source, ...)` index, so
    the cost follows the number of sources, not of articles."""
    columns = ["source", "n", "first_published", "last_published", "last_ingested"]
    with connected(conn) as c:
        hint = " INDEXED BY ix_articles_source_sort" if c.dialect.name == "sqlite" else ""
        sql = (
            f"SELECT s.source, s.n, {_PER_SOURCE.format(w='source = s.source', hint=hint)} "
            "FROM (SELECT source, SUM(n) AS n FROM yearly_sources GROUP BY source) s"
        )
        rows = [list(r) for r in c.execute(text(sql))]
        unnamed = c.execute(text(f"SELECT {_PER_SOURCE.format(w='source IS NULL', hint=hint)}")).one()
    for row in rows:
        if row[0] == "":  # '' in the aggregate also counts articles without a source
            row[2:] = [
                _pick(min, row[2], unnamed[0]),
                _pick(max, row[3], unnamed[1]),
                _pick(max, row[4], unnamed[2]),
            ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["n"] = frame["n"].astype("int64")
    return frame.sort_values(["n", "source"], ascending=[False, True]).reset_index(drop=True)


def _pick(best, *values: str | None) -> str | None:  # type: ignore[no-untyped-def]
    present = [v for v in values if v is not None]
    return best(present) if present else None


def ingest_runs(conn: Connection | Engine, limit: int = 20) -> pd.DataFrame:
    columns = ["run_id", "started_at", "finished_at", "sources", "new", "updated", "unchanged", "failed"]
    sql = f"SELECT {', '.join(columns)} FROM ingest_runs ORDER BY run_id DESC LIMIT :limit"
    with connected(conn) as c:
        rows = [(*r[:3], ", ".join(json.loads(r[3])), *r[4:]) for r in c.execute(text(sql), {"limit": limit})]
    return pd.DataFrame(rows, columns=columns)


def run_problems(conn: Connection | Engine, run_id: int) -> pd.DataFrame:
    sql = "SELECT source, COALESCE(item, ''), reason FROM ingest_problems WHERE run_id = :run_id ORDER BY source, item"
    with connected(conn) as c:
        rows = [tuple(r) for r in c.execute(text(sql), {"run_id": run_id})]
    return pd.DataFrame(rows, columns=["source", "item", "reason"])


def date_bounds(conn: Connection | Engine) -> tuple[str | None, str | None]:
    """Earliest and latest article time (`sort_at`: published time as written, first-seen if undated)."""
    with connected(conn) as c:
        # Two subqueries: SQLite reads one end of the sort_at index for a lone MIN or MAX, but scans
        # every row for both in one SELECT (700 ms at 1M articles).
        row = c.execute(
            text("SELECT (SELECT MIN(sort_at) FROM articles), (SELECT MAX(sort_at) FROM articles)")
        ).one()
    return row[0], row[1]


def latest_published(conn: Connection | Engine) -> datetime | None:
    latest = date_bounds(conn)[1]
    return datetime.fromisoformat(latest) if latest else None
