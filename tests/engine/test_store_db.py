"""Connecting by URL and the migration ledger."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dateline.errors import ConfigError, StoreError
from dateline.store import db as store_db
from dateline.store.migrations import MIGRATIONS, applied_migrations, migrate


def test_sqlite_creates_folder_and_pragmas(tmp_path):
    engine = store_db.open_store(f"sqlite:///{tmp_path / 'deep' / 'er' / 'x.db'}")
    assert (tmp_path / "deep" / "er" / "x.db").exists()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    engine.dispose()


def test_migrations_run_once(db):
    assert applied_migrations(db) == [name for name, _ in MIGRATIONS]
    assert migrate(db) == []
    assert applied_migrations(db) == [name for name, _ in MIGRATIONS]


def test_open_store_twice_is_a_no_op(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    first = store_db.open_store(url)
    with first.begin() as conn:
        conn.execute(text("INSERT INTO ingest_runs (started_at) VALUES ('2024-01-01')"))
    first.dispose()
    second = store_db.open_store(url)
    with second.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM ingest_runs")).scalar_one() == 1
    second.dispose()


@pytest.mark.parametrize("url", ["not a url", "mysql://u@h/db", "oracle://x", "://"])
def test_bad_urls_raise_config_error(url):
    with pytest.raises(ConfigError):
        store_db.connect(url)


def test_plain_postgresql_url_uses_psycopg():
    engine = store_db.connect("postgresql://postgres@127.0.0.1:5432/test")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_unusable_location_raises_store_error():
    with pytest.raises(StoreError, match="Cannot"):
        store_db.open_store("sqlite:////proc/no-such-folder/dateline.db")


def test_unreachable_postgres_raises_store_error():
    with pytest.raises(StoreError, match="Cannot open"):
        store_db.open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
