"""Records that travel between the stages: fetched bytes, raw items, articles, problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One input that could not be used, and why; reported, never raised."""

    source: str  # file path, URL, or "<stdin>:LINE"
    reason: str
    item: str | None = None  # which entry inside the source (row number, feed entry id), if any
    level: str = "error"  # "error": the item was not stored; "warning": stored, but something was off


@dataclass(frozen=True, kw_only=True)
class Fetched:
    """Bytes read from the network or a file, with where they came from."""

    source: str  # the path or URL as the user gave it (after folder expansion)
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)  # HTTP headers, lower-case names
    url: str | None = None  # final URL after redirects, for network fetches


@dataclass(frozen=True, kw_only=True)
class RawItem:
    """One article-to-be as a parser found it, before cleaning and tagging.

    Exactly one of `text` (a plain-text page dump or an already clean body) and `html` is the body.
    Fields a format provides directly (feed entry title, CSV date column) are carried as hints;
    the pipeline prefers them over what it infers from the body.
    """

    source: str  # provenance: file path or feed URL
    kind: str  # "dump" | "html" | "feed" | "record" (JSON/CSV row) | "text" (already clean)
    item_id: str | None = None  # id given by the input (JSON "id", feed GUID), if any
    url: str | None = None
    text: str | None = None
    html: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None  # as written in the input; parsed by the pipeline
    source_name: str | None = None  # site or publication name, when the input names it
    language: str | None = None
    tags: tuple[str, ...] = ()
    summary_only: bool = False  # a feed entry that carried only a summary, not the story


@dataclass(frozen=True, kw_only=True)
class CountryTag:
    code: str  # ISO 3166-1 alpha-2
    name: str
    mentions: int
    salience: float  # 0..1
    about: bool
    offsets: tuple[tuple[int, int], ...] = ()  # (start, end) spans of the mentions in Article.text


@dataclass(frozen=True, kw_only=True)
class TopicTag:
    code: str  # IPTC Media Topic QCode, e.g. "medtop:11000000"
    label: str
    score: float  # 0..1
    primary: bool
    about: bool = True  # False: mentioned, not what the story is about; scored below every about topic


@dataclass(frozen=True, kw_only=True)
class Article:
    """A clean, tagged article: the unit the store keeps and the dashboard shows."""

    id: str
    url: str | None
    title: str
    text: str
    author: str | None = None
    published_at: str | None = None  # ISO 8601, local time as written; offset only when known
    source: str | None = None
    dateline: str | None = None  # "WASHINGTON"
    agency: str | None = None  # "Sputnik", "Reuters", "AP", ...
    language: str | None = None  # ISO 639-1
    site_tags: tuple[str, ...] = ()
    countries: tuple[CountryTag, ...] = ()
    topics: tuple[TopicTag, ...] = ()
    story_id: str | None = None  # shared by near-duplicates of the same story
    summary_only: bool = False
    origin: str | None = None  # file or feed the article was read from
