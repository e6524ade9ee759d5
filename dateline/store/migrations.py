"""Named, ordered schema migrations, each applied once and recorded in `schema_migrations`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from dateline.store import schema


def _core(conn: Connection) -> None:
    _run(conn, schema.render(schema.CORE, conn.dialect.name))


def _aggregates(conn: Connection) -> None:
    _run(conn, schema.render(schema.aggregate_ddl(schema.FIRST_DAILY), conn.dialect.name))


def _texts(conn: Connection) -> None:
    _run(conn, schema.TEXTS_SQLITE if conn.dialect.name == "sqlite" else schema.TEXTS_POSTGRES)


def _doc_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":  # the search queries name it in INDEXED BY
        conn.exec_driver_sql("CREATE INDEX ix_article_texts_doc ON article_texts (doc, sort_at, article_id)")


def _rollups(conn: Connection) -> None:
    """Monthly and yearly twins of the first daily aggregates, summed from them."""
    _fill(
        conn, [schema.rollup_name(t, level) for level, _, _ in schema.ROLLUPS[1:] for t in schema.FIRST_DAILY]
    )


def _topic_pairs(conn: Connection) -> None:
    """Topic-pair aggregates (daily from the tag rows, then their rollups)."""
    _fill(conn, [schema.rollup_name(t, level) for level, _, _ in schema.ROLLUPS for t in schema.PAIR_DAILY])


def _fill(conn: Connection, tables: list[str]) -> None:
    from dateline.store.aggregates import REBUILD

    _run(conn, schema.render(schema.aggregate_ddl(tuple(tables)), conn.dialect.name))
    for table in tables:
        keys, counts = schema.AGGREGATES[table]
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(keys + counts)}) {REBUILD[table]}")


def _source_seen_index(conn: Connection) -> None:
    """Last ingest per source by one index seek (the Sources page)."""
    conn.exec_driver_sql("CREATE INDEX ix_articles_source_seen ON articles (source, last_seen)")


def _topic_mentions(conn: Connection) -> None:
    """Mention-level topics; articles stored before it get theirs on `dateline retag` or re-ingest."""
    _run(conn, schema.render(schema.TOPIC_MENTIONS, conn.dialect.name))


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_articles_tags_runs", _core),
    ("0002_daily_aggregates", _aggregates),
    ("0003_texts_fulltext", _texts),
    ("0004_article_texts_doc_index", _doc_index),
    ("0005_monthly_yearly_rollups", _rollups),
    ("0006_topic_pair_aggregates", _topic_pairs),
    ("0007_articles_source_seen_index", _source_seen_index),
    ("0008_article_topic_mentions", _topic_mentions),
]


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


def migrate(engine: Engine) -> list[str]:
    """Apply every pending migration, each in its own transaction; return the names applied."""
    applied: list[str] = []
    for name, step in MIGRATIONS:
        with engine.begin() as conn:
            _lock(conn)
            done = {row[0] for row in conn.execute(text("SELECT name FROM schema_migrations"))}
            if name in done:
                continue
            step(conn)
            conn.execute(
                text("INSERT INTO schema_migrations (name, applied_at) VALUES (:name, :at)"),
                {"name": name, "at": datetime.now(UTC).isoformat(timespec="seconds")},
            )
            applied.append(name)
    return applied


def _lock(conn: Connection) -> None:
    """Create the ledger if needed and keep concurrent migrators (several workers) from racing."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(724201)"))
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )


def applied_migrations(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT name FROM schema_migrations ORDER BY name"))]
