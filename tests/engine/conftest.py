"""Database fixtures: a temporary SQLite file, and a throwaway database on the local PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from dateline.models import Article, CountryTag, TopicTag
from dateline.store.db import open_store
from dateline.store.schema import AGGREGATES

PG_ADMIN_URL = os.environ.get("DATELINE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_TABLES = ", ".join(
    [
        "ingest_problems",
        "ingest_runs",
        *AGGREGATES,
        "article_texts",
        "article_countries",
        "article_topics",
        "article_topic_mentions",
        "articles",
    ]
)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh database for this test session on the local server, dropped afterwards."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "skip"
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}")
    name = f"dateline_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    open_store(url).dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated, empty store on each backend."""
    if request.param == "sqlite":
        engine = open_store(f"sqlite:///{tmp_path / 'store' / 'dateline.db'}")
    else:
        engine = open_store(request.getfixturevalue("pg_url"))
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {PG_TABLES} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


def make_article(n: int, **changes: object) -> Article:
    """A small, fully tagged article; `n` varies its day, source, countries and topics."""
    fields: dict[str, object] = {
        "id": f"art-{n}",
        "url": f"https://news.example/{n}",
        "title": f"Headline {n} about markets",
        "text": f"Story {n}: the central bank raised rates while trade talks went on. Zürich résumé.",
        "published_at": f"2024-03-{1 + n % 20:02d}T{n % 24:02d}:15:00+01:00",
        "source": ("Wire", "Daily", "Herald")[n % 3],
        "language": ("en", "de")[n % 2],
        "site_tags": ("world", f"tag{n % 4}"),
        "countries": (
            CountryTag(
                code="US", name="United States", mentions=3, salience=0.7, about=True, offsets=((0, 5),)
            ),
            CountryTag(
                code=("CN", "DE", "FR")[n % 3], name="Other", mentions=1, salience=0.3, about=n % 2 == 0
            ),
        ),
        "topics": (
            TopicTag(code="medtop:04000000", label="economy", score=0.9, primary=True),
            *(
                [TopicTag(code="medtop:11000000", label="politics", score=0.4, primary=False)]
                if n % 2
                else []
            ),
        ),
        "story_id": f"story-{n // 5}",
        "origin": "fixture",
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def aggregate_snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every aggregate table's rows, sorted, for comparing incremental counts with a rebuild."""
    with engine.connect() as conn:
        return {
            table: sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}")))
            for table in AGGREGATES
        }


@pytest.fixture
def article() -> Callable[..., Article]:
    return make_article


@pytest.fixture
def snapshot() -> Callable[[Engine], dict[str, list[tuple]]]:
    return aggregate_snapshot
