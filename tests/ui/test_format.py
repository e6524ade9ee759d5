"""Pure UI helpers: formatting, escaping, highlighting and export files (no Streamlit needed)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest

from components.exporting import export_file, write_export
from components.format import (
    escape_markdown,
    format_count,
    format_day,
    format_published,
    highlight_snippet,
    highlight_spans,
)
from tests.ui.corpus import HTML_TITLE, make_articles


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2020-06-30T18:00:00+02:00", "2020-06-30 18:00 (UTC+02:00)"),
        ("2020-06-30T18:00:00-03:30", "2020-06-30 18:00 (UTC-03:30)"),
        ("2020-06-30T18:00:00+00:00", "2020-06-30 18:00 UTC"),
        ("2020-06-30T18:00:00", "2020-06-30 18:00 (local time)"),
        ("2020-06-30", "2020-06-30"),
        (None, "time unknown"),
        ("yesterday", "yesterday"),
    ],
)
def test_published_times_state_their_timezone(stored: str | None, shown: str) -> None:
    assert format_published(stored) == shown


def test_counts_and_days() -> None:
    assert format_count(1234567) == "1,234,567" and format_count(None) == "0"
    assert format_day(datetime(2020, 2, 1), inclusive_end=True) == "2020-01-31"
    assert format_day(date(2020, 2, 1)) == "2020-02-01"


@pytest.mark.parametrize("text", [HTML_TITLE, "[click](javascript:alert(1))", "**bold** _it_ `code` # h"])
def test_markdown_escaping_leaves_no_active_syntax(text: str) -> None:
    escaped = escape_markdown(text)
    for char in "<>[]()*_`#":
        assert char not in escaped.replace("\\" + char, "")


def test_snippet_markers_become_marks_and_html_stays_text() -> None:
    html = highlight_snippet("a <b>bold</b> \x02vote\x03 & more")
    assert html == "a &lt;b&gt;bold&lt;/b&gt; <mark>vote</mark> &amp; more"


def test_mention_spans_are_marked_and_bad_spans_skipped() -> None:
    text = "France and <i>Germany</i>"
    html = highlight_spans(text, [(0, 6, "France"), (14, 21, "Germany"), (3, 9, "overlap"), (40, 50, "out")])
    assert (
        html
        == '<mark title="France">France</mark> and &lt;i&gt;<mark title="Germany">Germany</mark>&lt;/i&gt;'
    )


def test_csv_export_has_a_header_and_every_article() -> None:
    articles = make_articles(25)
    out = io.StringIO()
    assert write_export(articles, "csv", out) == 25
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["id"] for r in rows] == [a.id for a in articles]
    assert rows[5]["title"] == HTML_TITLE


@pytest.mark.parametrize("n", [0, 1, 7])
def test_json_export_is_one_valid_array(n: int) -> None:
    with export_file(iter(make_articles(n)), "json") as file:
        data = json.loads(file.read().decode("utf-8"))
    assert [item["id"] for item in data] == [a.id for a in make_articles(n)]
    if n:
        assert {"countries", "topics", "text", "published_at"} <= set(data[0])
