"""Table definitions (DDL per dialect) and the names of the daily aggregate tables."""

from __future__ import annotations

# Booleans are INTEGER 0/1 on both backends so SUM(about) and the same bound values work everywhere.
# Time columns are TEXT: `published_at` exactly as written; `sort_at` 'YYYY-MM-DDTHH:MM:SS' in the
# article's own clock (first-seen time when undated) so string order is time order; `published_day`
# is its first 10 characters. `{c}` is a collation clause: byte order ("C") on PostgreSQL.
CORE = [
    """CREATE TABLE articles (
        id TEXT{c} PRIMARY KEY,
        url TEXT,
        title TEXT NOT NULL,
        author TEXT,
        published_at TEXT,
        sort_at TEXT{c} NOT NULL,
        published_day TEXT{c} NOT NULL,
        source TEXT{c},
        dateline TEXT,
        agency TEXT,
        language TEXT{c},
        site_tags TEXT NOT NULL DEFAULT '[]',
        story_id TEXT,
        summary_only INTEGER NOT NULL DEFAULT 0,
        origin TEXT,
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX ix_articles_sort ON articles (sort_at)",
    "CREATE INDEX ix_articles_source_sort ON articles (source, sort_at)",
    "CREATE INDEX ix_articles_language_sort ON articles (language, sort_at)",
    "CREATE INDEX ix_articles_story ON articles (story_id)",
    """CREATE TABLE article_countries (
        article_id TEXT{c} NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        code TEXT{c} NOT NULL,
        name TEXT,
        mentions INTEGER NOT NULL,
        salience {real} NOT NULL,
        about INTEGER NOT NULL,
        offsets TEXT NOT NULL DEFAULT '[]',
        sort_at TEXT{c} NOT NULL,
        published_day TEXT{c} NOT NULL,
        PRIMARY KEY (article_id, code)
    ){without_rowid}""",
    "CREATE INDEX ix_article_countries_code_sort ON article_countries (code, sort_at, about)",
    """CREATE TABLE article_topics (
        article_id TEXT{c} NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        code TEXT{c} NOT NULL,
        label TEXT,
        score {real} NOT NULL,
        is_primary INTEGER NOT NULL,
        sort_at TEXT{c} NOT NULL,
        published_day TEXT{c} NOT NULL,
        PRIMARY KEY (article_id, code)
    ){without_rowid}""",
    "CREATE INDEX ix_article_topics_code_sort ON article_topics (code, sort_at)",
    """CREATE TABLE ingest_runs (
        run_id {serial} PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        sources TEXT NOT NULL DEFAULT '[]',
        new INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE ingest_problems (
        run_id INTEGER NOT NULL REFERENCES ingest_runs (run_id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        item TEXT,
        reason TEXT NOT NULL
    )""",
    "CREATE INDEX ix_ingest_problems_run ON ingest_problems (run_id)",
]

# Topics a story mentions but is not about (TopicTag.about is False): read back with the article, never
# counted, filtered or aggregated, so they live apart from article_topics and need no time columns.
TOPIC_MENTIONS = [
    """CREATE TABLE article_topic_mentions (
        article_id TEXT{c} NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        code TEXT{c} NOT NULL,
        label TEXT,
        score {real} NOT NULL,
        PRIMARY KEY (article_id, code)
    ){without_rowid}""",
]

# Every aggregate: table -> (key columns in primary-key order, count columns).
AGGREGATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "daily_totals": (("day",), ("n",)),
    "daily_topics": (("code", "day"), ("n",)),
    "daily_countries": (("code", "day"), ("n_about", "n_mentioned")),
    "daily_sources": (("source", "day"), ("n",)),
    "daily_languages": (("language", "day"), ("n",)),
    "daily_country_topics": (("code", "topic", "day"), ("n_about", "n_mentioned")),
    "daily_country_pairs": (("code", "day", "other"), ("n_about", "n_mentioned")),
    # Topic pairs: counts split by topic under a topic filter ("other" is the co-topic).
    "daily_topic_pairs": (("code", "day", "other"), ("n",)),
    "daily_country_topic_pairs": (("code", "topic", "day", "other"), ("n_about", "n_mentioned")),
}
# Created by the first aggregates migration; the later ones add the rest.
FIRST_DAILY = tuple(list(AGGREGATES)[:7])
PAIR_DAILY = ("daily_topic_pairs", "daily_country_topic_pairs")


# Coarser rollups of every daily aggregate, so long periods read few rows: the same keys with the
# day cut to its first `width` characters ('YYYY-MM', 'YYYY'). Listed finest first.
ROLLUPS = (("daily", "day", 10), ("monthly", "month", 7), ("yearly", "year", 4))
DAILY = dict(AGGREGATES)


def rollup_name(daily_table: str, level: str) -> str:
    """The `level` ("daily", "monthly", "yearly") twin of a daily aggregate table."""
    return daily_table.replace("daily_", f"{level}_", 1)


def _rollup(keys: tuple[str, ...], column: str) -> tuple[str, ...]:
    return tuple(column if k == "day" else k for k in keys)


AGGREGATES.update(
    {
        rollup_name(table, level): (_rollup(keys, column), counts)
        for level, column, _ in ROLLUPS[1:]
        for table, (keys, counts) in DAILY.items()
    }
)


def aggregate_ddl(tables: tuple[str, ...] = tuple(DAILY)) -> list[str]:
    """CREATE statements for `tables` (the daily aggregates unless told) and their extra indexes."""
    statements = []
    for table in tables:
        keys, counts = AGGREGATES[table]
        cols = [f"{k} TEXT{{c}} NOT NULL" for k in keys] + [f"{n} INTEGER NOT NULL" for n in counts]
        statements.append(
            f"CREATE TABLE {table} ({', '.join(cols)}, PRIMARY KEY ({', '.join(keys)})){{without_rowid}}"
        )
    # (code, topic, day) streams the all-time "top topics per country" without a sort; this serves
    # "countries for one topic in a period".
    for level, column, _ in ROLLUPS:
        table = rollup_name("daily_country_topics", level)
        if table in tables:
            statements.append(f"CREATE INDEX ix_{table}_topic ON {table} (topic, {column}, code)")
    return statements


# The body lives apart from the thin metadata rows; `doc` is an explicit integer key (stable under
# VACUUM) assigned in insertion order, which ingest keeps close to time order for the FTS date bound.
TEXTS_SQLITE = [
    """CREATE TABLE article_texts (
        doc INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
        sort_at TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX ix_article_texts_sort ON article_texts (sort_at)",
    """CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content='article_texts', content_rowid='doc', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER article_texts_ai AFTER INSERT ON article_texts BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.doc, new.title, new.text);
    END""",
    """CREATE TRIGGER article_texts_ad AFTER DELETE ON article_texts BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.doc, old.title, old.text);
    END""",
    """CREATE TRIGGER article_texts_au AFTER UPDATE ON article_texts BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.doc, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.doc, new.title, new.text);
    END""",
]

# 'simple' (no stemming) matches SQLite's unicode61 tokenizer, so both backends find the same rows.
TEXTS_POSTGRES = [
    """CREATE TABLE article_texts (
        doc BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        article_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
        sort_at TEXT COLLATE "C" NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', text), 'B')
        ) STORED
    )""",
    "CREATE INDEX ix_article_texts_sort ON article_texts (sort_at)",
    "CREATE INDEX ix_article_texts_tsv ON article_texts USING GIN (tsv)",
]

DIALECT_WORDS = {
    "sqlite": {"c": "", "real": "REAL", "serial": "INTEGER", "without_rowid": " WITHOUT ROWID"},
    "postgresql": {"c": ' COLLATE "C"', "real": "DOUBLE PRECISION", "serial": "SERIAL", "without_rowid": ""},
}


def render(statements: list[str], dialect: str) -> list[str]:
    """Fill the dialect words ({c}, {real}, ...) into portable DDL."""
    words = DIALECT_WORDS[dialect]
    return [s.format(**words) for s in statements]
