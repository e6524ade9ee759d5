"""Open a database by SQLAlchemy URL: SQLite (WAL, tuned pragmas) or PostgreSQL via psycopg 3."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from dateline.errors import ConfigError, StoreError

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-65536",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA mmap_size=268435456",
)


def connect(url: str) -> Engine:
    """An Engine for `url`; raises ConfigError for a URL that names no supported database."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"Not a database URL: {url!r} (expected e.g. sqlite:///data/dateline.db)") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except (NoSuchModuleError, ImportError) as exc:
            raise ConfigError(f"Use the psycopg 3 driver (postgresql+psycopg://...), not {url!r}") from exc
    raise ConfigError(f"Unsupported database {backend!r} in {url!r}: use sqlite:/// or postgresql://")


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the folder for the database {database!r}: {exc}") from exc
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Take transaction control from the sqlite3 module so BEGIN covers DDL and DML alike.
        dbapi_conn.isolation_level = None
        for pragma in SQLITE_PRAGMAS:
            dbapi_conn.execute(pragma)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        # Writers ask for IMMEDIATE: a deferred transaction that reads and then writes fails at once
        # (SQLITE_BUSY_SNAPSHOT, no busy wait) when another writer committed in between.
        immediate = conn.get_execution_options().get("sqlite_begin") == "immediate"
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_store(url: str) -> Engine:
    """Connect and bring the schema up to date; raises StoreError when the database cannot be used."""
    from dateline.store.migrations import migrate

    engine = connect(url)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(
            f"Cannot open the database at {engine.url!r}: {exc.__class__.__name__}: {exc}"
        ) from exc
    return engine
