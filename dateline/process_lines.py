"""`dateline process`: JSON lines in, processed-article JSON lines out, one output line per input line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from dateline.models import RawItem
from dateline.process.pipeline import Processor
from dateline.serialize import article_to_json

_OPTIONAL_HINTS = ("url", "author", "published", "source", "language")


def process_lines(lines: Iterable[str], processor: Processor) -> Iterator[dict[str, Any]]:
    """Every non-blank input line yields exactly one object: the article, or `{"id", "error"}`."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield _process_line(line, number, processor)


def _process_line(line: str, number: int, processor: Processor) -> dict[str, Any]:
    fallback_id = f"line-{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": fallback_id, "error": f"line {number}: not valid JSON ({exc.msg})"}
    if not isinstance(record, dict):
        return {"id": fallback_id, "error": f"line {number}: expected a JSON object"}
    item_id = str(record.get("id") if record.get("id") is not None else fallback_id)
    raw = _raw_item(record, number)
    if isinstance(raw, str):
        return {"id": item_id, "error": raw}
    processed = processor.process(raw, article_id=item_id)
    if processed.article is None:
        return {"id": item_id, "error": "; ".join(p.reason for p in processed.problems)}
    output = article_to_json(processed.article)
    warnings = [p.reason for p in processed.problems]
    return {**output, "warnings": warnings} if warnings else output


def _raw_item(record: dict[str, Any], number: int) -> RawItem | str:
    text, html, title = record.get("text"), record.get("html"), record.get("title")
    if not any(isinstance(value, str) and value.strip() for value in (text, html)):
        return f'line {number}: needs a non-empty "text" or "html" string'
    hints = {key: str(record[key]) for key in _OPTIONAL_HINTS if record.get(key) is not None}
    common: dict[str, Any] = {
        "source": f"<stdin>:{number}",
        "item_id": str(record.get("id")) if record.get("id") is not None else None,
        "url": hints.get("url"),
        "title": title if isinstance(title, str) else None,
        "author": hints.get("author"),
        "published": hints.get("published"),
        "source_name": hints.get("source"),
        "language": hints.get("language"),
    }
    if isinstance(html, str) and html.strip():
        return RawItem(kind="html", html=html, **common)
    # A text with its own title is an already-clean body; a text alone is a page dump to clean.
    return RawItem(kind="record" if common["title"] else "dump", text=text, **common)
