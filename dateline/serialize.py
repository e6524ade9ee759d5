"""Articles as the JSON and CSV rows of the CLI contract (DESIGN.md, "Article JSON fields")."""

from __future__ import annotations

from typing import Any

from dateline.models import Article, CountryTag, TopicTag

CSV_COLUMNS = (
    "id", "url", "title", "author", "published_at", "source", "dateline", "agency", "language",
    "countries_about", "countries_mentioned", "topics", "primary_topics", "topics_mentioned", "site_tags",
    "story_id", "text",
)  # fmt: skip


def article_to_json(article: Article) -> dict[str, Any]:
    """The contract's article object: every field present, lists empty rather than missing."""
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "author": article.author,
        "published_at": article.published_at,
        "source": article.source,
        "dateline": article.dateline,
        "agency": article.agency,
        "language": article.language,
        "text": article.text,
        "site_tags": list(article.site_tags),
        "countries": [_country_json(tag) for tag in article.countries],
        "topics": [_topic_json(tag) for tag in article.topics],
        "story_id": article.story_id,
    }


def article_to_csv_row(article: Article) -> dict[str, str]:
    """One flat CSV row; multi-valued fields joined with "; " so spreadsheets keep them in one cell."""
    about = [tag.code for tag in article.countries if tag.about]
    mentioned = [tag.code for tag in article.countries if not tag.about]
    row = {
        **{key: value for key, value in article_to_json(article).items() if isinstance(value, str)},
        "countries_about": "; ".join(about),
        "countries_mentioned": "; ".join(mentioned),
        "topics": "; ".join(f"{tag.code} {tag.label}" for tag in article.topics if tag.about),
        "primary_topics": "; ".join(tag.label for tag in article.topics if tag.primary),
        "topics_mentioned": "; ".join(f"{tag.code} {tag.label}" for tag in article.topics if not tag.about),
        "site_tags": "; ".join(article.site_tags),
    }
    return {column: row.get(column) or "" for column in CSV_COLUMNS}


def _country_json(tag: CountryTag) -> dict[str, Any]:
    return {
        "code": tag.code,
        "name": tag.name,
        "mentions": tag.mentions,
        "salience": round(tag.salience, 4),
        "about": tag.about,
    }


def _topic_json(tag: TopicTag) -> dict[str, Any]:
    return {
        "code": tag.code,
        "label": tag.label,
        "score": round(tag.score, 4),
        "primary": tag.primary,
        "about": tag.about,
    }
