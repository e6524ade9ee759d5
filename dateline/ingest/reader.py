"""One entry point from the sources a user names (paths, folders, URLs) to raw items and problems."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from html import unescape
from urllib.parse import urljoin

import httpx

from dateline.ingest.feeds import feed_urls_in_opml, parse_feed
from dateline.ingest.fetch import fetch_url, is_not_modified, make_client
from dateline.ingest.files import read_sources
from dateline.ingest.formats import decode_text, sniff_format
from dateline.ingest.records import parse_csv, parse_json, parse_jsonl
from dateline.models import Fetched, Problem, RawItem
from dateline.process.urls import is_http_url
from dateline.settings import Settings

_TAG = re.compile(r"<(link|meta)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_HEAD_CHARS = 200_000
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True, kw_only=True)
class Skipped:
    """An input that is not news (an image, a README, an empty folder entry): counted, not stored."""

    source: str
    reason: str


ReadResult = RawItem | Problem | Skipped
ClientFactory = Callable[[], httpx.Client]


def read_items(
    sources: Iterable[str],
    *,
    client: httpx.Client | None = None,
    settings: Settings | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Iterator[ReadResult]:
    """Raw items from every source: URLs fetched, paths read, each body sniffed and parsed.

    `mapping` names the columns of JSON/CSV exports when the usual names do not fit ({"text": "body_col"}).
    An HTTP client is made (and closed) here only when a URL needs one and none was given.
    """
    with ExitStack() as stack:

        def http() -> httpx.Client:
            nonlocal client
            if client is None:
                client = stack.enter_context(_own_client(settings))
            return client

        timeout = settings.fetch_timeout if settings else 20.0
        for source in sources:
            if is_http_url(source):
                yield from _read_url(source, http, timeout, mapping)
            elif _SCHEME.match(source):
                yield Problem(
                    source=source, reason="unsupported URL scheme (only http and https are fetched)"
                )
            else:
                for fetched in read_sources([source]):
                    if isinstance(fetched, Problem):
                        yield fetched
                    else:
                        yield from _read_fetched(fetched, http, timeout, mapping)


def parse_fetched(fetched: Fetched, *, mapping: Mapping[str, str] | None = None) -> Iterator[ReadResult]:
    """The raw items in one fetched body, whatever its format (OPML feed lists are not followed here)."""
    if not fetched.body.strip():
        yield Problem(source=fetched.source, reason="empty file" if not fetched.url else "empty response")
        return
    kind, why = sniff_format(fetched)
    if kind == "skip":
        yield Skipped(source=fetched.source, reason=why)
        return
    if kind == "feed":
        items, problems = parse_feed(fetched)
        yield from items
        yield from problems
        return
    text = decode_text(fetched.body, fetched.headers, source=fetched.source)
    if isinstance(text, Problem):
        yield text
        return
    yield from _parse_text(kind, text, fetched, mapping)


def _parse_text(
    kind: str, text: str, fetched: Fetched, mapping: Mapping[str, str] | None
) -> Iterator[ReadResult]:
    source = fetched.source
    if kind in ("json", "jsonl", "csv"):
        parse = {"json": parse_json, "jsonl": parse_jsonl, "csv": parse_csv}[kind]
        items, problems = parse(text, source=source, mapping=mapping)
        yield from items
        yield from problems
    elif kind == "html":
        yield RawItem(
            source=source, kind="html", html=text, url=page_url(text, base=fetched.url) or fetched.url
        )
    elif kind == "opml":
        yield Skipped(source=source, reason="OPML feed list (its feeds are read when given directly)")
    else:
        yield RawItem(source=source, kind="dump", text=text, url=fetched.url)


def page_url(html: str, *, base: str | None = None) -> str | None:
    """The page's own address: its canonical link, else og:url (relative ones resolved against `base`
    when the page was fetched); None when it states neither."""
    canonical = og_url = None
    for tag, attributes in _TAG.findall(html[:_HEAD_CHARS]):
        attrs = {name.lower(): unescape(a or b or c) for name, a, b, c in _ATTRIBUTE.findall(attributes)}
        if tag.lower() == "link" and "canonical" in attrs.get("rel", "").lower().split():
            canonical = canonical or attrs.get("href")
        elif tag.lower() == "meta" and attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            og_url = og_url or attrs.get("content")
    for candidate in (canonical, og_url):
        if candidate and base:
            candidate = urljoin(base, candidate.strip())
        if candidate and is_http_url(candidate):
            return candidate.strip()
    return None


def _read_url(
    url: str, http: ClientFactory, timeout: float, mapping: Mapping[str, str] | None
) -> Iterator[ReadResult]:
    fetched = fetch_url(url, client=http(), timeout=timeout)
    if isinstance(fetched, Problem):
        yield fetched
    elif is_not_modified(fetched):
        yield Skipped(source=url, reason="not modified since the last fetch (HTTP 304)")
    else:
        yield from _read_fetched(fetched, http, timeout, mapping)


def _read_fetched(
    fetched: Fetched, http, timeout: float, mapping: Mapping[str, str] | None
) -> Iterator[ReadResult]:
    if sniff_format(fetched)[0] != "opml":
        yield from parse_fetched(fetched, mapping=mapping)
        return
    urls, problems = feed_urls_in_opml(fetched)
    yield from problems
    for url in urls:
        yield from _read_url(url, http, timeout, mapping)


def _own_client(settings: Settings | None) -> httpx.Client:
    if settings is not None:
        return make_client(settings)
    return httpx.Client(follow_redirects=True, timeout=20.0, headers={"user-agent": "Dateline/0.1"})
