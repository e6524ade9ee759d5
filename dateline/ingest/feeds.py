"""RSS 0.9x/1.0/2.0 and Atom feeds to raw items, with feedparser."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

import feedparser
from lxml import etree

from dateline.models import Fetched, Problem, RawItem

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_HAS_TAG = re.compile(r"<[a-zA-Z!/]")
# feedparser flags these but reads the feed correctly; they are not worth a problem report.
_BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def parse_feed(fetched: Fetched) -> tuple[list[RawItem], list[Problem]]:
    """Every usable entry as a RawItem(kind="feed"); what went wrong as Problems."""
    parsed = feedparser.parse(io.BytesIO(fetched.body), response_headers=_response_headers(fetched))
    where = fetched.url or fetched.source
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if error is not None:
            return [], [Problem(source=where, reason=f"not a readable feed: {_describe(error)}")]
        if not parsed.get("version"):
            return [], [Problem(source=where, reason="not a feed (no RSS or Atom root element)")]
        return [], []
    problems = []
    if error is not None and not isinstance(error, _BENIGN_BOZO):
        reason = f"malformed feed ({_describe(error)}); read {len(parsed.entries)} entries anyway"
        problems.append(Problem(source=where, reason=reason, level="warning"))
    feed_info = parsed.get("feed", {})
    items = []
    for number, entry in enumerate(parsed.entries, start=1):
        item = entry_to_item(entry, feed_info, source=where)
        if isinstance(item, Problem):
            problems.append(_with_item(item, entry, number))
        else:
            items.append(item)
    return items, problems


def feed_urls_in_opml(fetched: Fetched) -> tuple[list[str], list[Problem]]:
    """The feed addresses (outline xmlUrl) listed in an OPML subscription list, in order, without repeats."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(fetched.body, parser=parser)
    except etree.XMLSyntaxError as exc:
        return [], [Problem(source=fetched.source, reason=f"unreadable OPML: {exc}")]
    if root is None:
        return [], [Problem(source=fetched.source, reason="unreadable OPML: no XML content")]
    urls: dict[str, None] = {}
    for outline in root.iter("outline"):
        url = next((value for name, value in outline.attrib.items() if name.lower() == "xmlurl"), "").strip()
        if url:
            urls.setdefault(url, None)
    if not urls:
        return [], [Problem(source=fetched.source, reason="OPML file lists no feed (no outline with xmlUrl)")]
    return list(urls), []


def entry_to_item(
    entry: Mapping[str, Any], feed_info: Mapping[str, Any], *, source: str
) -> RawItem | Problem:
    """One feed entry; the feed's own title and language fill in for what the entry lacks."""
    body, body_type, summary_only = _entry_body(entry)
    title = _text(entry.get("title"))
    if not body and not title:
        return Problem(source=source, reason="feed entry has neither a title nor any content")
    is_html = body_type in _HTML_TYPES and bool(_HAS_TAG.search(body))
    return RawItem(
        source=source,
        kind="feed",
        item_id=_text(entry.get("id")),
        url=_text(entry.get("link")),
        html=body if is_html else None,
        text=None if is_html else body,
        title=title,
        author=_author(entry),
        published=_text(entry.get("published") or entry.get("updated") or entry.get("created")),
        source_name=_text(feed_info.get("title")),
        language=_text(entry.get("language") or feed_info.get("language")),
        tags=_tags(entry.get("tags") or ()),
        summary_only=summary_only,
    )


def _entry_body(entry: Mapping[str, Any]) -> tuple[str, str, bool]:
    """(body, its media type, whether it is only a summary): full content beats the summary."""
    for content in entry.get("content") or ():
        value = (content.get("value") or "").strip()
        if value:
            return value, (content.get("type") or "text/html").lower(), False
    summary = (entry.get("summary") or "").strip()
    detail = entry.get("summary_detail") or {}
    return summary, (detail.get("type") or "text/html").lower(), bool(summary)


def _author(entry: Mapping[str, Any]) -> str | None:
    # RSS 2.0 <author> is "email (Name)"; feedparser splits it, and the name is what readers want.
    detail = entry.get("author_detail") or {}
    return _text(detail.get("name")) or _text(entry.get("author"))


def _tags(tags: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in tags:
        term = _text(tag.get("term") or tag.get("label"))
        if term:
            seen.setdefault(term, None)
    return tuple(seen)


def _response_headers(fetched: Fetched) -> dict[str, str]:
    headers = dict(fetched.headers)
    if fetched.url:
        # Lets feedparser resolve relative links against where the feed came from.
        headers.setdefault("content-location", fetched.url)
    return headers


def _with_item(problem: Problem, entry: Mapping[str, Any], number: int) -> Problem:
    return Problem(
        source=problem.source,
        reason=problem.reason,
        item=_text(entry.get("id") or entry.get("link")) or f"entry {number}",
    )


def _describe(error: BaseException) -> str:
    message = getattr(error, "getMessage", lambda: str(error))()
    line = getattr(error, "getLineNumber", lambda: None)()
    return f"{message} at line {line}" if line else str(message) or type(error).__name__


def _text(value: Any) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(str(value).split())
    return cleaned or None
