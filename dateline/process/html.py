"""A saved or fetched HTML page to its article text and metadata, with trafilatura."""

from __future__ import annotations

import json
import re
from contextlib import suppress
from dataclasses import dataclass
from html import unescape

import trafilatura
from htmldate import find_date
from lxml import html as lxml_html
from trafilatura import metadata as trafilatura_metadata
from trafilatura.settings import Document
from trafilatura.utils import line_processing, load_html

from dateline.models import Problem

# Meta names where publishers state the publication time, most specific first; read as written (time and
# offset kept), because trafilatura's own date is normalised to a bare day.
_PUBLISHED_META = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
)
_LANG = re.compile(r"^[a-z]{2,3}(?=$|[-_])", re.IGNORECASE)
# trafilatura's test of a category or tag link's address: "/" + kind.rstrip("y") + "(?:y|ies|s)?/".
_TERM_LINK = {"category": re.compile("/categor(?:y|ies|s)?/"), "tag": re.compile("/tag(?:y|ies|s)?/")}


# A page whose fast extraction is shorter than this is read again with trafilatura's readability/justext
# fallback: on the dev pages, snippet F1 0.920 -> 0.924 and token F1 against hand-labelled story lines
# 0.894 -> 0.905 (trafilatura's defaults: 0.916 / 0.900), for ~10 % more CPU (docs/bench-html.md).
RETRY_BELOW_CHARS = 500


@dataclass(frozen=True, kw_only=True)
class HtmlExtract:
    """The story of one page and what the page says about itself."""

    text: str  # paragraphs separated by a blank line
    title: str | None = None
    author: str | None = None
    published: str | None = None  # as the page writes it
    source_name: str | None = None
    site_tags: tuple[str, ...] = ()
    canonical_url: str | None = None
    language: str | None = None  # ISO 639 code from the page's declaration


def extract_html(
    html: str | bytes,
    *,
    url: str | None = None,
    source: str | None = None,
    favor_precision: bool = False,
    fast: bool = True,
) -> HtmlExtract | Problem:
    """Main text and metadata of a page; a Problem when the page cannot be parsed or has no text.

    Defaults chosen by bench/bench_html.py (docs/bench-html.md): `fast` skips trafilatura's
    readability/justext fallback (F1 0.921 at ~40 pages/s against 0.927 at ~28) except for pages whose
    fast text is under RETRY_BELOW_CHARS, and `favor_precision` cost recall (0.902 against 0.932)
    without gaining precision on the dev set.
    """
    where = source or url or "<html>"
    tree = load_html(html)
    if tree is None:
        return Problem(source=where, reason="not parseable as HTML")
    published = published_as_written(tree)
    canonical = canonical_link(tree)
    language = declared_language(tree)
    try:
        metadata = page_metadata(tree, url, with_date=published is None)
    except (TypeError, ValueError):  # what bare_extraction turns into "no result" when it reads them itself
        return Problem(source=where, reason="no article text found in the HTML page")
    text = _main_text(tree, url or metadata.url, favor_precision=favor_precision, fast=fast)
    if fast and len(text.strip()) < RETRY_BELOW_CHARS and (fresh := load_html(html)) is not None:
        # trafilatura prunes the tree it is given, so the retry reads a fresh parse.
        text = _main_text(fresh, url or metadata.url, favor_precision=favor_precision, fast=False) or text
    if not text.strip():
        return Problem(source=where, reason="no article text found in the HTML page")
    title = _clean(metadata.title)
    return HtmlExtract(
        text=_without_title(_paragraphs(text), title),
        title=title,
        author=_clean(metadata.author),
        published=published or _clean(metadata.date),
        source_name=_clean(metadata.sitename),
        site_tags=_tags(metadata.categories, metadata.tags),
        canonical_url=canonical or _clean(metadata.url),
        language=language or _clean(metadata.language),
    )


def _main_text(tree: lxml_html.HtmlElement, url: str | None, *, favor_precision: bool, fast: bool) -> str:
    document = trafilatura.bare_extraction(
        tree,
        url=url,  # what trafilatura's own metadata pass would hand the extractor
        with_metadata=False,  # read by page_metadata, without the fields we never use
        favor_precision=favor_precision,
        fast=fast,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    return (document.text or "") if isinstance(document, Document) else ""


def page_metadata(tree: lxml_html.HtmlElement, url: str | None, *, with_date: bool = True) -> Document:
    """trafilatura's `extract_metadata` (2.3) for the fields we read, in its order and with its trimming:
    its license scan, hostname lookup and (unless `with_date`) date search cost a third of its time
    and feed nothing we keep."""
    meta = trafilatura_metadata
    found = meta.examine_meta(tree)
    if found.author and " " not in found.author:  # trafilatura drops one-word meta authors
        found.author = None
    with suppress(Exception):  # as trafilatura does: its JSON-LD reader has bugs, the rest still counts
        found = meta.extract_meta_json(tree, found)
    found.title = found.title or meta.extract_title(tree)
    found.author = found.author or meta.extract_author(tree)
    found.url = found.url or meta.extract_url(tree, url)
    if with_date:
        # The extensive search falls back to dateparser over free text: slow, and the meta tags we read
        # first already hold the date whenever a page states one.
        found.date = find_date(tree, extensive_search=False, original_date=True, url=found.url)
    found.sitename = found.sitename or meta.extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url and (match := meta.META_URL.match(found.url)):
        found.sitename = match[1]
    links = tree.xpath("//a/@href")
    found.categories = found.categories or _categories_or_tags("category", tree, links)
    found.tags = found.tags or _categories_or_tags("tag", tree, links)
    for field in ("title", "author", "url", "date", "sitename", "language"):
        value = getattr(found, field)
        if isinstance(value, str):
            setattr(
                found, field, line_processing(unescape(value[:9999] + "…" if len(value) > 10000 else value))
            )
    return found


def _categories_or_tags(kind: str, tree: lxml_html.HtmlElement, links: list[str]) -> list[str]:
    """trafilatura's `extract_catstags(kind, tree)`, whose xpath search (a tenth of a page's time) keeps only
    links whose address passes its test: skipped when no link of the page can."""
    if any(_TERM_LINK[kind].search(link) for link in links):
        return trafilatura_metadata.extract_catstags(kind, tree)
    if kind != "category":
        return []
    sections = tree.xpath(
        './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'
    )
    found = (line_processing(element.attrib["content"]) for element in sections if element.attrib["content"])
    return [term for term in dict.fromkeys(found) if term]


def published_as_written(tree: lxml_html.HtmlElement) -> str | None:
    """The page's own publication timestamp from its meta tags, JSON-LD or article <time>, unparsed."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        value = (meta.get("content") or "").strip()
        if key and value:
            metas.setdefault(key.strip().lower(), value)
    for name in _PUBLISHED_META:
        if name in metas:
            return metas[name]
    return _json_ld_published(tree) or _first_value(
        tree.xpath('//*[@itemprop="datePublished"]/@datetime | //article//time/@datetime')
    )


def _first_value(values: list) -> str | None:
    return next((str(value).strip() for value in values if str(value).strip()), None)


def canonical_link(tree: lxml_html.HtmlElement) -> str | None:
    """The page's `<link rel="canonical">` address, which beats og:url (often a share or tracking variant)."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return link.get("href").strip()
    return None


def declared_language(tree: lxml_html.HtmlElement) -> str | None:
    """The primary language subtag of `<html lang>` or a content-language meta, lower-cased."""
    values = tree.xpath("/html/@lang | /html/@xml:lang") + tree.xpath(
        '//meta[@http-equiv="content-language" or @http-equiv="Content-Language"]/@content'
    )
    for value in values:
        match = _LANG.match(str(value).strip())
        if match:
            return match.group(0).lower()
    return None


def _json_ld_published(tree: lxml_html.HtmlElement) -> str | None:
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        found = _find_key(data, "datePublished")
        if found:
            return found
    return None


def _find_key(data: object, key: str, depth: int = 0) -> str | None:
    if depth > 6:
        return None
    if isinstance(data, dict):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        data = list(data.values())
    if isinstance(data, list):
        for child in data:
            found = _find_key(child, key, depth + 1)
            if found:
                return found
    return None


def _paragraphs(text: str) -> str:
    blocks = (line.strip() for line in text.splitlines())
    return "\n\n".join(block for block in blocks if block)


def _without_title(text: str, title: str | None) -> str:
    # trafilatura keeps the page's <h1>; the title is carried apart, so a first paragraph repeating it goes.
    first, _, rest = text.partition("\n\n")
    if title and rest and first.casefold() == title.casefold():
        return rest
    return text


def _tags(*groups: list[str] | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for tag in group or ():
            cleaned = _clean(tag)
            if cleaned:
                seen.setdefault(cleaned, None)
    return tuple(seen)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None
