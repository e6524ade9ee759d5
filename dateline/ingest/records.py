"""JSON, JSON Lines and CSV exports to raw items, one per row, columns found by their usual names."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from dateline.errors import ConfigError
from dateline.models import Problem, RawItem

# RawItem field -> column names that usually hold it, best first (compared lower-case, letters and digits only).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "href", "permalink", "articleurl", "canonicalurl", "weburl"),
    "title": ("title", "headline", "heading", "name", "subject"),
    "text": (
        "text",
        "body",
        "content",
        "article",
        "story",
        "articlebody",
        "fulltext",
        "maintext",
        "bodytext",
        "description",
        "summary",
        "abstract",
    ),
    "html": ("html", "rawhtml", "contenthtml", "bodyhtml"),
    "published": (
        "date",
        "published",
        "publishedat",
        "publishedtime",
        "publicationdate",
        "pubdate",
        "datepublished",
        "datetime",
        "time",
        "timestamp",
        "createdat",
        "created",
        "updated",
    ),
    "author": ("author", "byline", "authors", "creator", "writer"),
    "source_name": ("source", "site", "sitename", "publisher", "outlet", "publication", "domain", "feed"),
    "language": ("language", "lang", "locale"),
    "item_id": ("id", "guid", "uuid", "docid", "articleid"),
    "tags": ("tags", "keywords", "categories", "category", "sections", "topics"),
}
# Names accepted as keys of an explicit mapping, besides the RawItem field names themselves.
MAPPING_SYNONYMS = {"date": "published", "source": "source_name", "id": "item_id", "body": "text"}
LIST_KEYS = (
    "articles",
    "items",
    "data",
    "results",
    "entries",
    "records",
    "stories",
    "posts",
    "docs",
    "documents",
    "news",
    "rows",
)
_HTML_TAG = re.compile(
    r"<(?:p|div|br|span|a|h[1-6]|ul|ol|li|article|section|html|body|strong|em|figure|"
    r"blockquote|table)\b[^>]*>",
    re.IGNORECASE,
)
_CSV_DELIMITERS = (",", "\t", ";", "|")
csv.field_size_limit(2**31 - 1)  # article bodies easily exceed the default 128 KB per field


def parse_json(
    text: str, *, source: str, mapping: Mapping[str, str] | None = None
) -> tuple[list[RawItem], list[Problem]]:
    """A JSON array of article objects, or an object holding one under a key such as "articles"."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [
            Problem(
                source=source, reason=f"JSON syntax error: {exc.msg} at line {exc.lineno} column {exc.colno}"
            )
        ]
    records = _records_in(data)
    if records is None:
        return [], [Problem(source=source, reason="JSON holds no list of article objects")]
    return _collect(
        (_row(record, source, f"item {number}", mapping) for number, record in enumerate(records, 1))
    )


def parse_jsonl(
    text: str, *, source: str, mapping: Mapping[str, str] | None = None
) -> tuple[list[RawItem], list[Problem]]:
    """One JSON object per line; a bad line is reported by its number and the others still read."""
    return _collect(_jsonl_rows(text, source, mapping))


def parse_csv(
    text: str, *, source: str, mapping: Mapping[str, str] | None = None, delimiter: str | None = None
) -> tuple[list[RawItem], list[Problem]]:
    """A CSV (or TSV) file with a header row; rows with the wrong number of cells are reported."""
    delimiter = delimiter or _guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem(source=source, reason=f"unreadable CSV header: {exc}")]
    if not header:
        return [], [Problem(source=source, reason="CSV file has no header row")]
    names = [name.strip().lstrip("\ufeff") for name in header]
    field_of = column_mapping(names, mapping)
    if "text" not in field_of.values() and "html" not in field_of.values():
        return [], [
            Problem(
                source=source,
                reason=f"no text column among {names}; give a mapping such as {{'text': 'column'}}",
            )
        ]
    return _collect(_csv_rows(reader, names, field_of, source))


def column_mapping(columns: list[str], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Column name -> RawItem field, best column first for each field: an explicit mapping, else every
    column with a usual name (case-insensitive), so an empty first choice falls back to the next."""
    field_of: dict[str, str] = {}
    for key, column in (mapping or {}).items():
        field = MAPPING_SYNONYMS.get(key, key)
        if field not in FIELD_ALIASES:
            raise ConfigError(f"unknown field {key!r} in column mapping; known: {sorted(FIELD_ALIASES)}")
        field_of[column] = field
    explicit = set(field_of.values())
    by_key = {_key(column): column for column in reversed(columns)}
    for field, aliases in FIELD_ALIASES.items():
        if field in explicit:
            continue
        for alias in aliases:
            if alias in by_key and by_key[alias] not in field_of:
                field_of[by_key[alias]] = field
    return field_of


def record_to_item(
    record: Mapping[str, Any], *, source: str, item: str, field_of: Mapping[str, str]
) -> RawItem | Problem:
    """One row as a RawItem(kind="record"), or kind "html" when its body is markup."""
    values: dict[str, str] = {}
    for column, field in field_of.items():
        if not values.get(field):
            values[field] = _value(record.get(column), field)
    body = values.get("text") or None
    html = values.get("html") or None
    if body and not html and _HTML_TAG.search(body):
        body, html = None, body
    if not body and not html:
        missing = "no text and no title" if not values.get("title") else "no text"
        return Problem(source=source, item=item, reason=f"{missing} in this row")
    return RawItem(
        source=source,
        kind="html" if html else "record",
        item_id=values.get("item_id") or None,
        url=values.get("url") or None,
        text=None if html else body,
        html=html,
        title=values.get("title") or None,
        author=values.get("author") or None,
        published=values.get("published") or None,
        source_name=values.get("source_name") or None,
        language=values.get("language") or None,
        tags=_split_tags(values.get("tags")),
    )


def _row(record: Any, source: str, item: str, mapping: Mapping[str, str] | None) -> RawItem | Problem:
    if not isinstance(record, dict):
        return Problem(source=source, item=item, reason=f"not a JSON object but {type(record).__name__}")
    return record_to_item(record, source=source, item=item, field_of=column_mapping(list(record), mapping))


def _jsonl_rows(text: str, source: str, mapping: Mapping[str, str] | None) -> Iterator[RawItem | Problem]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(
                source=source, item=f"line {number}", reason=f"bad JSON: {exc.msg} (column {exc.colno})"
            )
            continue
        yield _row(record, source, f"line {number}", mapping)


def _csv_rows(
    reader: Any, names: list[str], field_of: Mapping[str, str], source: str
) -> Iterator[RawItem | Problem]:
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Problem(source=source, item=f"line {reader.line_num}", reason=f"unreadable CSV: {exc}")
            return
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        item = f"row {number} (line {reader.line_num})"
        if len(cells) != len(names):
            yield Problem(source=source, item=item, reason=f"expected {len(names)} cells, found {len(cells)}")
            continue
        yield record_to_item(
            dict(zip(names, cells, strict=True)), source=source, item=item, field_of=field_of
        )


def _records_in(data: Any) -> list | None:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        return None
    keys = {_key(key): key for key in data}
    for name in LIST_KEYS:
        if name in keys and isinstance(data[keys[name]], list):
            return data[keys[name]]
    lists = [
        value for value in data.values() if isinstance(value, list) and value and isinstance(value[0], dict)
    ]
    if len(lists) == 1:
        return lists[0]
    if any(_key(key) in FIELD_ALIASES["text"] for key in data):
        return [data]  # a single article object
    return None


def _collect(rows: Iterator[RawItem | Problem]) -> tuple[list[RawItem], list[Problem]]:
    items: list[RawItem] = []
    problems: list[Problem] = []
    for row in rows:
        if isinstance(row, Problem):
            problems.append(row)
        else:
            items.append(row)
    return items, problems


def _guess_delimiter(text: str) -> str:
    header = text.lstrip("\ufeff").partition("\n")[0]
    return max(_CSV_DELIMITERS, key=header.count) if any(d in header for d in _CSV_DELIMITERS) else ","


def _value(value: Any, field: str) -> str:
    """A cell or JSON value as text: lists joined, {"name": ...} objects (NewsAPI's source) unwrapped."""
    if value is None:
        return ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("id") or ""
    if isinstance(value, list):
        parts = [_value(part, field) for part in value]
        return (" | " if field == "tags" else ", ").join(part for part in parts if part)
    return str(value).strip()


def _split_tags(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    separator = "|" if "|" in value else ";" if ";" in value else ","
    seen: dict[str, None] = {}
    for tag in value.split(separator):
        if tag.strip():
            seen.setdefault(tag.strip(), None)
    return tuple(seen)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())
