"""The read API of the dashboard, re-exported from the modules that hold each job.

Callers import from here; `counts` (aggregates or tag rows), `lists`, `search`, `articles` and
`meta` hold the code, `sql`, `matching` and `fulltext` the shared SQL building blocks.
"""

from __future__ import annotations

from dateline.filters import Filters
from dateline.store.articles import get_article, iter_articles, load_articles, related_articles
from dateline.store.counts import (
    SPLITS,
    co_countries,
    count_articles,
    count_articles_estimate,
    country_counts,
    language_counts,
    period_counts,
    period_totals,
    source_counts,
    top_topics_by_country,
    topic_counts,
)
from dateline.store.fulltext import fts5_query
from dateline.store.lists import ARTICLE_LIST_COLUMNS, list_articles
from dateline.store.meta import date_bounds, ingest_runs, latest_published, run_problems, source_stats
from dateline.store.search import PG_CANDIDATES, SEARCH_COLUMNS, search_articles

__all__ = [
    "ARTICLE_LIST_COLUMNS",
    "PG_CANDIDATES",
    "SEARCH_COLUMNS",
    "SPLITS",
    "Filters",
    "co_countries",
    "count_articles",
    "count_articles_estimate",
    "country_counts",
    "date_bounds",
    "fts5_query",
    "get_article",
    "ingest_runs",
    "iter_articles",
    "language_counts",
    "latest_published",
    "list_articles",
    "load_articles",
    "period_counts",
    "period_totals",
    "related_articles",
    "run_problems",
    "search_articles",
    "source_counts",
    "source_stats",
    "top_topics_by_country",
    "topic_counts",
]
