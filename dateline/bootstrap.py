"""First start: an empty database gets the bundled sample articles, so a new user sees news at once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from dateline.filters import Filters
from dateline.ingest_run import IngestReport, ingest_sources
from dateline.settings import SAMPLES_DIR, Settings
from dateline.store.queries import count_articles


def ensure_sample_data(engine: Engine, settings: Settings) -> int:
    """Load `data/samples/` when the store is empty and samples are enabled; return how many were new."""
    if not settings.load_samples or not SAMPLES_DIR.is_dir():
        return 0
    with engine.connect() as conn:
        if count_articles(conn, Filters(), datetime.now(UTC)) > 0:
            return 0
    report: IngestReport = ingest_sources(engine, [str(SAMPLES_DIR)], settings)
    return report.new
