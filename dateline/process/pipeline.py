"""The processing pipeline: one raw item in, one clean, tagged Article (or the reasons it failed) out."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dateline.models import Article, CountryTag, Problem, RawItem, TopicTag
from dateline.process.countries import tag_countries
from dateline.process.datelines import parse_dateline
from dateline.process.dates import read_published
from dateline.process.dedupe import stable_id, story_fingerprint
from dateline.process.dump import DumpParse, parse_dump
from dateline.process.fragments import fragment_text, is_full_page, strip_leading_date_line
from dateline.process.html import HtmlExtract, extract_html
from dateline.process.language import detect_language
from dateline.process.topics import get_topic_tagger
from dateline.process.urls import canonical_url, domain_of

_TITLE_FROM_TEXT_CHARS = 120


@dataclass(frozen=True, kw_only=True)
class Processed:
    """What became of one raw item: the article (None when it failed) and what was wrong."""

    article: Article | None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Body:
    """The story and the metadata found while separating it from its wrapper (page, dump, feed)."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    source_name: str | None = None
    site_tags: tuple[str, ...] = ()
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True, kw_only=True)
class Processor:
    """Taggers configured once per run; `process` is then a pure function of the raw item."""

    topics_backend: str = "lexicon"
    tag: bool = True
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def process(self, raw: RawItem, *, article_id: str | None = None) -> Processed:
        return process_item(raw, processor=self, article_id=article_id)


def process_item(raw: RawItem, *, processor: Processor, article_id: str | None = None) -> Processed:
    """Clean, extract metadata from and tag one raw item; problems are returned, never raised."""
    where = raw.url or raw.source
    body = _extract_body(raw)
    if isinstance(body, Problem):
        return Processed(article=None, problems=(body,))
    dateline = parse_dateline(body.text)
    text = dateline.body.strip()
    problems: list[Problem] = []
    title = _first(raw.title, body.title)
    if not text:
        if not title:
            return Processed(article=None, problems=(_problem(raw, "no article text found"),))
        if not raw.summary_only:
            problems.append(_problem(raw, "no article text; stored the headline only", level="warning"))
    if not title:
        title = _title_from_text(text)
        if not title:
            return Processed(article=None, problems=(_problem(raw, "no title and no text"),))
        problems.append(_problem(raw, "no title; used the opening words", level="warning"))
    published, date_problem = _published(raw, body, dateline.date_text, processor.now)
    if date_problem:
        problems.append(date_problem)
    url = canonical_url(_first(raw.url, body.url) or "") if _first(raw.url, body.url) else None
    article = Article(
        id=article_id or _article_id(raw, url, title, text),
        url=url,
        title=title,
        text=text,
        author=_first(raw.author, body.author),
        published_at=published,
        source=_first(raw.source_name, body.source_name, domain_of(url) if url else None),
        dateline=dateline.place,
        agency=dateline.agency,
        language=_first(raw.language, body.language) or detect_language(f"{title}\n{text}"),
        site_tags=raw.tags or body.site_tags,
        story_id=story_fingerprint(title, text),
        summary_only=raw.summary_only,
        origin=where,
    )
    if processor.tag:
        article = dataclasses.replace(
            article,
            countries=_countries(article),
            topics=_topics(article, processor.topics_backend),
        )
    return Processed(article=article, problems=tuple(problems))


def tag_article(article: Article, *, topics_backend: str = "lexicon") -> Article:
    """The same article with its countries and topics computed afresh (for `dateline retag`)."""
    return dataclasses.replace(
        article, countries=_countries(article), topics=_topics(article, topics_backend)
    )


def _extract_body(raw: RawItem) -> Body | Problem:
    if raw.html is not None:
        if not is_full_page(raw.html):
            return Body(text=fragment_text(raw.html))
        extracted = extract_html(raw.html, url=raw.url)
        if isinstance(extracted, Problem):
            return extracted
        return _body_from(
            extracted, text=extracted.text, url=extracted.canonical_url, language=extracted.language
        )
    if raw.kind == "dump":
        parsed = parse_dump(raw.text or "")
        return _body_from(parsed, text=parsed.body)
    text, date_line = strip_leading_date_line(raw.text or "")
    return Body(text=text, published=date_line)


_FOUND_FIELDS = ("title", "author", "published", "source_name")


def _body_from(found: HtmlExtract | DumpParse, *, text: str, **extra: str | None) -> Body:
    """A Body from what a page or dump parser found, whose metadata fields share these names."""
    fields = {name: getattr(found, name) for name in _FOUND_FIELDS}
    return Body(text=text, site_tags=tuple(found.site_tags), **fields, **extra)


def _published(
    raw: RawItem, body: Body, dateline_date: str | None, now: datetime
) -> tuple[str | None, Problem | None]:
    written = _first(raw.published, body.published, dateline_date)
    if not written:
        return None, None
    result = read_published(written, now=now)
    if result.iso is None:
        return None, _problem(raw, f"{result.reason}; stored without a date", level="warning")
    return result.iso, None


def _countries(article: Article) -> tuple[CountryTag, ...]:
    return tag_countries(article.title, article.text, dateline=article.dateline)


def _topics(article: Article, backend: str) -> tuple[TopicTag, ...]:
    return get_topic_tagger(backend).tag(article.title, article.text)


def _article_id(raw: RawItem, url: str | None, title: str, text: str) -> str:
    if url:
        return stable_id("url", url)
    if raw.item_id:
        return stable_id("guid", raw.source, raw.item_id)
    return stable_id("content", title, text[:2000])


def _title_from_text(text: str) -> str | None:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first_line:
        return None
    if len(first_line) <= _TITLE_FROM_TEXT_CHARS:
        return first_line
    return first_line[:_TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0] + " …"


def _first(*values: str | None) -> str | None:
    return next((value.strip() for value in values if value and value.strip()), None)


def _problem(raw: RawItem, reason: str, *, level: str = "error") -> Problem:
    return Problem(source=raw.url or raw.source, item=raw.item_id, reason=reason, level=level)
