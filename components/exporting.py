"""Export files for the Export page: every matching article streamed into CSV or JSON (no Streamlit)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable
from typing import IO

from dateline.models import Article
from dateline.serialize import CSV_COLUMNS, article_to_csv_row, article_to_json

FORMATS = {"csv": ("text/csv", "csv"), "json": ("application/json", "json")}
_SPILL_BYTES = 32 * 1024 * 1024  # past this the export goes to a temporary file, not memory


def write_export(articles: Iterable[Article], fmt: str, out: IO[str]) -> int:
    """Write every article to `out` as CSV (header + rows) or one JSON array; return how many."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for article in articles:
            writer.writerow(article_to_csv_row(article))
            count += 1
        return count
    out.write("[")
    for article in articles:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(article_to_json(article), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def export_file(articles: Iterable[Article], fmt: str) -> IO[bytes]:
    """The export as a rewound binary file (memory for small exports, a temporary file for big ones)."""
    spool = tempfile.SpooledTemporaryFile(max_size=_SPILL_BYTES, mode="w+b")  # noqa: SIM115 - returned open
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    write_export(articles, fmt, text)
    text.flush()
    text.detach()
    spool.seek(0)
    return spool
