"""Sniffing what fetched bytes are (feed, HTML, JSON, CSV, text dump, or something to skip) and decoding them."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import charset_normalizer

from dateline.ingest.records import FIELD_ALIASES
from dateline.models import Fetched, Problem

FORMATS = ("feed", "opml", "html", "json", "jsonl", "csv", "dump", "skip")
SNIFF_BYTES = 8192

# Only signatures no text starts with; other binaries (BMP, EXE, MP3, icons) are caught by their NUL bytes.
_BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "zip archive",
    b"PK\x05\x06": "zip archive",
    b"7z\xbc\xaf": "7z archive",
    b"Rar!": "RAR archive",
    b"BZh": "bzip2 file",
    b"\xfd7zXZ": "xz file",
    b"\x28\xb5\x2f\xfd": "zstd file",
    b"\x7fELF": "executable",
    b"SQLite format 3": "SQLite database",
    b"\xd0\xcf\x11\xe0": "Office document",
    b"OggS": "audio file",
    b"fLaC": "audio file",
}
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "audio file", b"AVI ": "video file"}
_SKIP_EXTENSIONS = {
    ".md": "markdown file",
    ".markdown": "markdown file",
    ".rst": "reStructuredText file",
    ".py": "source code",
    ".js": "source code",
    ".css": "stylesheet",
    ".svg": "SVG image",
    ".yml": "configuration file",
    ".yaml": "configuration file",
    ".toml": "configuration file",
    ".ini": "configuration file",
    ".cfg": "configuration file",
    ".log": "log file",
    ".sql": "SQL file",
}
_TEXT_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)
_BOM_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FEED_ROOT = re.compile(r"<(?:[\w-]+:)?(?:rss|feed|rdf)\b", re.IGNORECASE)
_PROLOG = re.compile(r"^(?:<[?!][^>]*>\s*)*")  # XML declaration, doctype, processing instructions
_OPML_ROOT = re.compile(r"<opml\b", re.IGNORECASE)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)\b", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_LATIN_FAMILY = {"iso8859-1", "cp1252", "ascii"}
_CSV_NAMES = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}


def detect_format(fetched: Fetched) -> str:
    """One of FORMATS, judged from the content first and the file name or content type second."""
    return sniff_format(fetched)[0]


def sniff_format(fetched: Fetched) -> tuple[str, str]:
    """(format, why): the why says what a skipped input looked like, for the skipped-files count."""
    head = fetched.body[:SNIFF_BYTES]
    binary = _binary_kind(head)
    if binary:
        return "skip", binary
    extension = _extension(fetched)
    content_type = fetched.headers.get("content-type", "").lower()
    text = _peek_text(head).lstrip()
    if not text.strip():
        return "skip", "empty file"
    markup = _sniff_markup(text, extension, content_type)
    if markup:
        return markup, ""
    if text[0] in "[{":
        return _sniff_json(text, extension), ""
    if extension in (".csv", ".tsv") or "csv" in content_type or _looks_like_csv_header(text):
        return "csv", ""
    if extension in (".json", ".jsonl", ".ndjson") or "json" in content_type:
        return ("jsonl" if extension in (".jsonl", ".ndjson") else "json"), ""
    if extension in _SKIP_EXTENSIONS:
        return "skip", _SKIP_EXTENSIONS[extension]
    return "dump", ""


def _binary_kind(head: bytes) -> str:
    for magic, kind in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]]
    if b"\x00" in head and not head.startswith(_TEXT_BOMS):
        return "binary file (NUL bytes)"
    return ""


def _extension(fetched: Fetched) -> str:
    name = urlsplit(fetched.url).path if fetched.url else fetched.source
    suffixes = [s.lower() for s in PurePosixPath(name.replace("\\", "/")).suffixes]
    if suffixes and suffixes[-1] in (".gz", ".gzip"):
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _peek_text(head: bytes) -> str:
    for bom, encoding in _BOM_ENCODINGS:
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    return head.decode("latin-1")


def _sniff_markup(text: str, extension: str, content_type: str) -> str:
    if not text.startswith("<"):
        return ""
    start = text[:2000]
    if _OPML_ROOT.search(start):
        return "opml"
    without_comments = re.sub(r"<!--.*?-->", "", start, flags=re.DOTALL)
    body_start = _PROLOG.sub("", without_comments)
    if _FEED_ROOT.match(body_start):
        return "feed"
    if _HTML_START.search(start) or extension in (".html", ".htm", ".xhtml") or "html" in content_type:
        return "html"
    if "xml" in content_type or extension in (".xml", ".rss", ".atom", ".rdf") or start.startswith("<?xml"):
        return "feed"  # an XML document that is not an obvious feed: let the feed parser judge and report
    return ""


def _sniff_json(text: str, extension: str) -> str:
    if extension in (".jsonl", ".ndjson"):
        return "jsonl"
    if text[0] == "[":
        return "json"
    first, _, rest = text.partition("\n")
    if rest.strip():
        try:
            json.loads(first)
        except ValueError:
            return "json"
        return "jsonl"
    return "json"


def _looks_like_csv_header(text: str) -> bool:
    first = text.partition("\n")[0].strip().lower()
    for delimiter in (",", "\t", ";", "|"):
        names = {re.sub(r"[^a-z0-9]", "", name) for name in first.split(delimiter)}
        if len(names) >= 2 and len(names & _CSV_NAMES) >= 2:
            return True
    return False


def decode_text(
    body: bytes, headers: Mapping[str, str] | None = None, *, source: str = "<bytes>"
) -> str | Problem:
    """Bytes to text: BOM, then the declared charset (HTTP header, XML declaration, HTML meta),
    then UTF-8, then detection; a Problem when the bytes are text in no known encoding."""
    for bom, encoding in _BOM_ENCODINGS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    for declared in declared_charsets(body, headers or {}):
        text = _try_decode(body, declared)
        if text is not None:
            return text
    utf8 = _try_decode(body, "utf-8")
    if utf8 is not None:
        return utf8
    guess = charset_normalizer.from_bytes(body).best()
    if guess is None:
        return Problem(
            source=source, reason="undecodable bytes: not text in UTF-8 or any detectable encoding"
        )
    return str(guess)


def declared_charsets(body: bytes, headers: Mapping[str, str]) -> list[str]:
    """Charsets the input states, in order of authority: HTTP header, XML declaration, HTML meta."""
    found = []
    content_type = headers.get("content-type", "")
    header = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if header:
        found.append(header.group(1))
    head = body[:SNIFF_BYTES].lstrip()
    for pattern in (_XML_ENCODING, _META_CHARSET):
        stated = pattern.search(head)
        if stated:
            found.append(stated.group(1).decode("ascii"))
    return found


def _try_decode(body: bytes, encoding: str) -> str | None:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        return None
    if codec in _LATIN_FAMILY:
        return _decode_latin(body)
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_latin(body: bytes) -> str:
    # Pages declaring Latin-1 or ASCII but written in UTF-8 are common, and UTF-8 that validates is no
    # accident; otherwise read it as browsers do, windows-1252 (curly quotes and dashes in 0x80-0x9f).
    for codec in ("utf-8", "cp1252"):
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode("latin-1")
