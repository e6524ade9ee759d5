"""Cached loaders: the only home of st.cache_*; every cache is bounded and keyed on the filters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from streamlit.errors import StreamlitSecretNotFoundError

from dateline.bootstrap import ensure_sample_data
from dateline.filters import Filters
from dateline.models import Article
from dateline.process.taxonomy import Taxonomy, load_taxonomy
from dateline.settings import Settings, load_settings
from dateline.store import queries
from dateline.store.db import open_store

TTL = timedelta(minutes=5)  # new ingests show up within minutes without a manual refresh
ENTRIES = 64


def settings() -> Settings:
    """Settings from the environment, with Streamlit secrets (hosted deployments) taking precedence."""
    try:
        secrets = {key: st.secrets[key] for key in st.secrets}
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secrets = {}
    return load_settings(secrets=secrets)


@st.cache_resource(max_entries=4, show_spinner="Opening the database…")
def engine_for(db_url: str, load_samples: bool) -> Engine:
    """One engine per database URL, shared by all sessions; an empty database gets the samples once."""
    engine = open_store(db_url)
    ensure_sample_data(engine, replace(settings(), db_url=db_url, load_samples=load_samples))
    return engine


def engine() -> Engine:
    current = settings()
    return engine_for(current.db_url, current.load_samples)


@st.cache_resource
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def topic_label(code: str) -> str:
    """The IPTC label for a QCode; the code itself when the taxonomy doesn't know it."""
    tax = taxonomy()
    return tax.label(code) if code in tax else code


def _query(db_url: str, run: Callable[[Any], Any]) -> Any:
    with engine_for(db_url, settings().load_samples).connect() as conn:
        return run(conn)


def db_url() -> str:
    """The database every loader reads; part of each cache key so two databases never mix."""
    return settings().db_url


# --- Reference time: "now" for relative periods --------------------------------------------------


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _reference_now(db_url: str, today: str) -> tuple[datetime, bool]:
    latest = _query(db_url, queries.latest_published)
    real = datetime.now().replace(second=0, microsecond=0)
    if latest is not None and latest.replace(tzinfo=None) < datetime.fromisoformat(today):
        return latest.replace(tzinfo=None), True
    return real, False


def reference_now() -> tuple[datetime, bool]:
    """The time relative periods count back from, and whether it is the newest article's time.

    A historical corpus (the bundled 2019–2020 samples) is anchored at its newest article so "last
    30 days" shows news; a live one uses the real time, to the minute, so cache keys stay stable.
    """
    return _reference_now(db_url(), datetime.now().date().isoformat())


# --- Loaders: one per query, keyed on (database, filters, now, options) -----------------------------


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def count_articles(db_url: str, f: Filters, now: datetime) -> int:
    return _query(db_url, lambda c: queries.count_articles(c, f, now))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def count_articles_estimate(db_url: str, f: Filters, now: datetime) -> tuple[int, bool]:
    """The count and whether it is an estimate (a text query in very many articles, plus other filters)."""
    return _query(db_url, lambda c: queries.count_articles_estimate(c, f, now))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def period_counts(
    db_url: str, f: Filters, now: datetime, granularity: str, split: str | None
) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.period_counts(c, f, now, granularity=granularity, split=split))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def period_totals(db_url: str, f: Filters, now: datetime, granularity: str) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.period_totals(c, f, now, granularity))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def country_counts(db_url: str, f: Filters, now: datetime, mode: str) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.country_counts(c, f, now, mode=mode))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def facet_counts(db_url: str, f: Filters, now: datetime, facet: str) -> pd.DataFrame:
    """Counts per topic, source or language, as a frame with `key` and `n`."""
    load = {
        "topic": queries.topic_counts,
        "source": queries.source_counts,
        "language": queries.language_counts,
    }
    frame = _query(db_url, lambda c: load[facet](c, f, now))
    return frame.rename(columns={frame.columns[0]: "key"})


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def top_topics_by_country(db_url: str, f: Filters, now: datetime) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.top_topics_by_country(c, f, now, per_country=3))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def co_countries(db_url: str, f: Filters, now: datetime, country: str) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.co_countries(c, f, now, country=country, limit=20))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def list_articles(db_url: str, f: Filters, now: datetime, limit: int, offset: int, sort: str) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.list_articles(c, f, now, limit=limit, offset=offset, sort=sort))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def search_articles(
    db_url: str, f: Filters, now: datetime, limit: int, offset: int
) -> tuple[pd.DataFrame, int]:
    return _query(db_url, lambda c: queries.search_articles(c, f, now, limit=limit, offset=offset))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def get_article(db_url: str, article_id: str) -> Article | None:
    return _query(db_url, lambda c: queries.get_article(c, article_id))


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def related_articles(db_url: str, article: Article) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.related_articles(c, article, limit=8))


@st.cache_data(ttl=timedelta(seconds=30), max_entries=8, show_spinner=False)
def source_stats(db_url: str) -> pd.DataFrame:
    return _query(db_url, queries.source_stats)


@st.cache_data(ttl=timedelta(seconds=30), max_entries=8, show_spinner=False)
def ingest_runs(db_url: str) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.ingest_runs(c, limit=20))


@st.cache_data(ttl=timedelta(seconds=30), max_entries=ENTRIES, show_spinner=False)
def run_problems(db_url: str, run_id: int) -> pd.DataFrame:
    return _query(db_url, lambda c: queries.run_problems(c, run_id))


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def date_bounds(db_url: str) -> tuple[str | None, str | None]:
    return _query(db_url, queries.date_bounds)


def iter_articles(store: Engine, f: Filters, now: datetime, batch: int = 1000) -> Iterator[Article]:
    """Every matching article, streamed (never cached: exports have no cap and may be large).

    Takes the engine explicitly: deferred downloads run outside the script thread.
    """
    with store.connect() as conn:
        yield from queries.iter_articles(conn, f, now, batch=batch)


def forget_cached_queries() -> None:
    """After an ingest: drop cached results so every page shows the new articles."""
    st.cache_data.clear()
