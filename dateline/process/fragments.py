"""Small text shapes around a story body: HTML fragments from feeds, a leading date-only line."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from dateline.process.dates import read_published

_FULL_PAGE = re.compile(r"<\s*(html|body|head)\b", re.IGNORECASE)
_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr",
    "section", "article", "header", "footer", "figcaption", "dd", "dt", "table", "ul", "ol",
}  # fmt: skip
_DROP = ("script", "style", "noscript", "iframe", "template")
_DATE_LINE_MAX = 60


def is_full_page(html: str) -> bool:
    """True for a whole saved page (worth boilerplate removal), False for a feed's content fragment."""
    return bool(_FULL_PAGE.search(html[:4000]))


def fragment_text(html: str) -> str:
    """The readable text of an HTML fragment, one paragraph per block element."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", html).strip()
    for element in root.iter(*_DROP):
        element.drop_tree()
    parts: list[str] = []
    _collect(root, parts)
    paragraphs = (re.sub(r"[ \t\r\f\v]+", " ", chunk).strip() for chunk in "".join(parts).split("\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _collect(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    block = isinstance(element.tag, str) and element.tag.lower() in _BLOCKS
    if block:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def strip_leading_date_line(text: str) -> tuple[str, str | None]:
    """Split off a first line that is only a date (as Wikinews and many exports begin); return both."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    candidate = first.strip()
    # A text that is nothing but its date line keeps it: an empty body would lose the item.
    if rest.strip() and len(candidate) <= _DATE_LINE_MAX and read_published(candidate).iso:
        return rest.strip(), candidate
    return text.strip(), None
