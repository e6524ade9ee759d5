"""Whole articles: by id, streamed for export, and related ones."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, text

from dateline.filters import Filters
from dateline.models import Article, CountryTag, TopicTag
from dateline.store.matching import cross_join, has_dimensions, ids_sql
from dateline.store.sql import Params, between, connected, where_clause

_ARTICLE_COLUMNS = (
    "a.url, a.title, t.text, a.author, a.published_at, a.source, a.dateline, a.agency, a.language, "
    "a.site_tags, a.story_id, a.summary_only, a.origin"
)


def load_articles(conn: Connection, ids: Sequence[str]) -> list[Article]:
    """Full Articles (text, tags with offsets, mentioned topics after the about ones) for `ids`, in that
    order; missing ids are skipped."""
    if not ids:
        return []
    p = Params()
    marks = p.add_list(ids)
    rows = {
        r[0]: r
        for r in conn.execute(
            text(
                f"SELECT a.id, {_ARTICLE_COLUMNS} FROM articles a JOIN article_texts t ON t.article_id = a.id "
                f"WHERE a.id IN ({marks})"
            ),
            p,
        )
    }
    countries: dict[str, list[CountryTag]] = {}
    for r in conn.execute(
        text(
            "SELECT article_id, code, name, mentions, salience, about, offsets FROM article_countries "
            f"WHERE article_id IN ({marks}) ORDER BY article_id, about DESC, salience DESC, code"
        ),
        p,
    ):
        offsets = tuple((int(s), int(e)) for s, e in json.loads(r[6]))
        tag = CountryTag(
            code=r[1], name=r[2] or "", mentions=r[3], salience=r[4], about=bool(r[5]), offsets=offsets
        )
        countries.setdefault(r[0], []).append(tag)
    topics: dict[str, list[TopicTag]] = {}
    for r in conn.execute(
        text(
            "SELECT article_id, code, label, score, is_primary FROM article_topics "
            f"WHERE article_id IN ({marks}) ORDER BY article_id, is_primary DESC, score DESC, code"
        ),
        p,
    ):
        topics.setdefault(r[0], []).append(
            TopicTag(code=r[1], label=r[2] or "", score=r[3], primary=bool(r[4]))
        )
    for r in conn.execute(  # after the about topics, as the tagger lists them
        text(
            "SELECT article_id, code, label, score FROM article_topic_mentions "
            f"WHERE article_id IN ({marks}) ORDER BY article_id, score DESC, code"
        ),
        p,
    ):
        topics.setdefault(r[0], []).append(
            TopicTag(code=r[1], label=r[2] or "", score=r[3], primary=False, about=False)
        )
    return [_article(rows[i], countries.get(i, []), topics.get(i, [])) for i in ids if i in rows]


def _article(r: Sequence, countries: list[CountryTag], topics: list[TopicTag]) -> Article:
    return Article(
        id=r[0],
        url=r[1],
        title=r[2],
        text=r[3],
        author=r[4],
        published_at=r[5],
        source=r[6],
        dateline=r[7],
        agency=r[8],
        language=r[9],
        site_tags=tuple(json.loads(r[10])),
        story_id=r[11],
        summary_only=bool(r[12]),
        origin=r[13],
        countries=tuple(countries),
        topics=tuple(topics),
    )


def get_article(conn: Connection | Engine, article_id: str) -> Article | None:
    with connected(conn) as c:
        found = load_articles(c, [article_id])
    return found[0] if found else None


def iter_articles(
    conn: Connection | Engine, f: Filters, now: datetime, *, batch: int = 1000
) -> Iterator[Article]:
    """Every matching article, oldest first: ids come from one streamed (server-side) cursor and the
    articles are loaded `batch` at a time, so memory stays constant whatever the size."""
    with connected(conn) as c:
        since, until = f.time_range(now)
        p = Params()
        if has_dimensions(f):
            source = f"({ids_sql(c, f, since, until, p)}) m {cross_join(c)} articles a ON a.id = m.id"
        else:
            source = f"articles a{where_clause(between('a.sort_at', since, until, p))}"
        result = c.execute(
            text(f"SELECT a.id FROM {source} ORDER BY a.sort_at, a.id"),
            p,
            execution_options={"stream_results": True, "yield_per": batch},
        )
        for part in result.partitions(batch):
            yield from load_articles(c, [r[0] for r in part])


# A dense corpus fills the list within a week; a sparse one (a few stories a month) needs a wider look.
# The last step has no time bound: it only runs when every code is rare, so it reads few rows.
RELATED_WINDOWS_DAYS: tuple[int | None, ...] = (7, 60, 730, None)


def related_articles(conn: Connection | Engine, article: Article, *, limit: int = 8) -> pd.DataFrame:
    """Articles sharing the story first, then those sharing most countries and topics, nearest in time.

    The time window widens (a week, two months, two years, any time) until it holds enough candidates,
    so a quiet corpus still finds related stories while a busy one only reads a week of tag rows."""
    columns = ["id", "title", "source", "published_at", "score"]
    with connected(conn) as c:
        row = c.execute(text("SELECT sort_at FROM articles WHERE id = :id"), {"id": article.id}).first()
        center = datetime.fromisoformat(row[0]) if row else None
        for days in RELATED_WINDOWS_DAYS:
            half_width = timedelta(days=days) if days is not None else None
            frame = _related_within(c, article, center, half_width, limit, columns)
            if len(frame) >= limit or center is None:
                break
    frame["score"] = frame["score"].astype("float64")
    return frame


def _related_within(
    c: Connection,
    article: Article,
    center: datetime | None,
    half_width: timedelta | None,
    limit: int,
    columns: list[str],
) -> pd.DataFrame:
    p = Params()
    parts = []
    if center:
        window = between("sort_at", center - half_width, center + half_width, p) if half_width else []
        for table, codes in (
            ("article_countries", [t.code for t in article.countries]),
            ("article_topics", [t.code for t in article.topics if t.about]),
        ):
            if codes:
                parts.append(
                    f"SELECT article_id AS id, 1.0 AS w FROM {table}{where_clause([f'code IN ({p.add_list(codes)})', *window])}"
                )
    if article.story_id:
        parts.append(f"SELECT id, 10.0 AS w FROM articles WHERE story_id = {p.add(article.story_id)}")
    if not parts:
        return pd.DataFrame(columns=columns)
    scored = (
        f"SELECT m.id, SUM(m.w) AS score FROM ({' UNION ALL '.join(parts)}) m WHERE m.id <> {p.add(article.id)} "
        "GROUP BY m.id"
    )
    sql = (
        f"SELECT a.id, a.title, a.source, a.published_at, s.score FROM ({scored}) s JOIN articles a ON a.id = s.id "
        f"ORDER BY s.score DESC, a.sort_at DESC, a.id LIMIT {p.add(limit)}"
    )
    return pd.DataFrame([tuple(r) for r in c.execute(text(sql), p)], columns=columns)
