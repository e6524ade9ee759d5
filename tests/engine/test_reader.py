"""read_items end to end: a folder of mixed inputs, bad inputs reported one by one, URLs via MockTransport."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import httpx
import pytest

from dateline.ingest.reader import Skipped, page_url, parse_fetched, read_items
from dateline.models import Fetched, Problem, RawItem

INPUTS = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"
DUMP = "date 2023-06-17 UrduPoint.com\n\nBlinken Embarks On 2-Day Visit To China\n\nWASHINGTON (Sputnik) - US Secretary of State Antony Blinken will travel to Beijing.\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """Good inputs and one of every kind of bad input the reader must report and survive."""
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    (folder / "a-story.txt").write_text(DUMP, encoding="utf-8")
    (folder / "b-page.html.gz").write_bytes(gzip.compress((INPUTS / "html" / "article.html").read_bytes()))
    shutil.copy(INPUTS / "html" / "latin1-meta.html", folder / "c-latin1.html")
    shutil.copy(INPUTS / "feeds" / "rss20.xml", folder / "d-feed.xml")
    shutil.copy(INPUTS / "feeds" / "malformed.xml", folder / "e-malformed-feed.xml")
    shutil.copy(INPUTS / "records" / "export.jsonl", folder / "nested" / "f-export.jsonl")
    shutil.copy(INPUTS / "records" / "export.csv", folder / "nested" / "g-export.csv")
    shutil.copy(INPUTS / "records" / "syntax-error.json", folder / "h-syntax.json")
    (folder / "i-empty.txt").touch()
    (folder / "j-photo.png").write_bytes(PNG)
    (folder / "k-truncated.txt.gz").write_bytes(gzip.compress(bytes(range(256)) * 40)[:-20])
    (folder / "l-undecodable.txt").write_bytes(bytes(range(128, 256)) * 5)
    (folder / "README.md").write_text("# Inbox\n\nDrop files here.\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("never read", encoding="utf-8")
    return folder


def by_type(results):
    items = [r for r in results if isinstance(r, RawItem)]
    problems = [r for r in results if isinstance(r, Problem)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert len(items) + len(problems) + len(skipped) == len(results)
    return items, problems, skipped


def test_mixed_folder_yields_items_and_reports_each_bad_input(mixed_folder):
    items, problems, skipped = by_type(list(read_items([str(mixed_folder)])))
    name = lambda source: Path(source).name  # noqa: E731
    assert [(name(i.source), i.kind) for i in items] == [
        ("a-story.txt", "dump"),
        ("b-page.html.gz", "html"),
        ("c-latin1.html", "html"),
        ("d-feed.xml", "feed"),
        ("d-feed.xml", "feed"),
        ("e-malformed-feed.xml", "feed"),
        ("e-malformed-feed.xml", "feed"),
        ("f-export.jsonl", "record"),
        ("f-export.jsonl", "record"),
        ("g-export.csv", "record"),
        ("g-export.csv", "record"),
    ]
    reasons = {(name(p.source), p.item): p.reason for p in problems}
    assert reasons == {
        ("d-feed.xml", "https://wire.example.com/empty"): "feed entry has neither a title nor any content",
        (
            "e-malformed-feed.xml",
            None,
        ): "malformed feed (not well-formed (invalid token) at line 6); read 2 entries anyway",
        ("f-export.jsonl", "line 2"): "bad JSON: Unterminated string starting at (column 46)",
        ("f-export.jsonl", "line 5"): "not a JSON object but list",
        ("f-export.jsonl", "line 6"): "no text and no title in this row",
        ("g-export.csv", "row 2 (line 5)"): "no text in this row",
        ("g-export.csv", "row 3 (line 6)"): "expected 7 cells, found 3",
        ("h-syntax.json", None): "JSON syntax error: Expecting ',' delimiter at line 2 column 21",
        ("i-empty.txt", None): "empty file",
        ("k-truncated.txt.gz", None): "truncated gzip file (ends before the compressed stream does)",
        ("l-undecodable.txt", None): "undecodable bytes: not text in UTF-8 or any detectable encoding",
    }
    assert [(name(s.source), s.reason) for s in skipped] == [
        ("README.md", "markdown file"),
        ("j-photo.png", "PNG image"),
    ]


def test_saved_page_carries_its_canonical_url_and_decoded_html(mixed_folder):
    items = [
        r for r in read_items([str(mixed_folder / "b-page.html.gz"), str(mixed_folder / "c-latin1.html")])
    ]
    assert items[0].url == "https://gazette.example.org/news/2024/03/ferry-returns"
    assert "<h1>Harbour ferry returns after storm</h1>" in items[0].html
    assert items[1].url is None
    assert "Les députés ont repris" in items[1].html


def test_dump_is_one_item_with_the_whole_text(mixed_folder):
    [item] = list(read_items([str(mixed_folder / "a-story.txt")]))
    assert item == RawItem(source=str(mixed_folder / "a-story.txt"), kind="dump", text=DUMP)


def test_column_mapping_reaches_the_record_parser(tmp_path):
    path = tmp_path / "custom.csv"
    path.write_text("k,h,b\n1,Title,Body text\n", encoding="utf-8")
    assert list(read_items([str(path)])) == [
        Problem(
            source=str(path),
            reason="no text column among ['k', 'h', 'b']; give a mapping such as {'text': 'column'}",
        )
    ]
    [item] = list(read_items([str(path)], mapping={"text": "b", "title": "h"}))
    assert (item.title, item.text) == ("Title", "Body text")


FEED = (INPUTS / "feeds" / "atom.xml").read_bytes()
OPML = b"""<?xml version="1.0"?><opml version="2.0"><body>
<outline xmlUrl="https://journal.example.fr/atom.xml"/><outline xmlUrl="https://gone.example/rss"/></body></opml>"""


def mock_client() -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        routes = {
            "/atom.xml": (200, FEED, "application/atom+xml"),
            "/subs.opml": (200, OPML, "text/x-opml"),
            "/story": (200, (INPUTS / "html" / "article.html").read_bytes(), "text/html; charset=utf-8"),
        }
        if request.url.path not in routes:
            return httpx.Response(404)
        status, body, kind = routes[request.url.path]
        return httpx.Response(status, content=body, headers={"content-type": kind})

    return httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)


def test_urls_are_fetched_and_opml_lists_followed():
    results = list(
        read_items(
            ["https://lists.example/subs.opml", "https://news.example/story", "ftp://files.example/x.csv"],
            client=mock_client(),
        )
    )
    items, problems, skipped = by_type(results)
    assert [(i.source, i.kind) for i in items] == [
        ("https://journal.example.fr/atom.xml", "feed"),
        ("https://journal.example.fr/atom.xml", "feed"),
        ("https://news.example/story", "html"),
    ]
    assert items[2].url == "https://gazette.example.org/news/2024/03/ferry-returns"
    assert problems == [
        Problem(source="https://gone.example/rss", reason="HTTP 404 Not Found"),
        Problem(
            source="ftp://files.example/x.csv",
            reason="unsupported URL scheme (only http and https are fetched)",
        ),
    ]
    assert skipped == []


def test_parse_fetched_does_not_follow_opml():
    assert list(parse_fetched(Fetched(source="subs.opml", body=OPML))) == [
        Skipped(source="subs.opml", reason="OPML feed list (its feeds are read when given directly)")
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="canonical" href="https://a.example/x">', "https://a.example/x"),
        ("<link href='https://a.example/x' rel='canonical'>", "https://a.example/x"),
        (
            '<meta property="og:url" content="https://a.example/og"><link rel="canonical" href="https://a.example/c">',
            "https://a.example/c",
        ),
        (
            '<meta property="og:url" content="https://a.example/og?a=1&amp;b=2">',
            "https://a.example/og?a=1&b=2",
        ),
        ('<link rel="canonical" href="/relative/only">', None),
        ("<p>no head</p>", None),
    ],
)
def test_page_url(html, expected):
    assert page_url(f"<html><head>{html}</head><body></body></html>") == expected


def test_page_url_resolves_a_relative_canonical_against_the_fetched_address():
    html = '<html><head><link rel="canonical" href="/news/1"></head></html>'
    assert page_url(html, base="https://a.example/amp/news/1") == "https://a.example/news/1"


def test_empty_response_is_a_problem_and_not_modified_is_skipped():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(204 if request.url.path == "/empty" else 304)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    results = list(read_items(["https://a.example/empty", "https://a.example/unchanged"], client=client))
    assert results == [
        Problem(source="https://a.example/empty", reason="empty response"),
        Skipped(source="https://a.example/unchanged", reason="not modified since the last fetch (HTTP 304)"),
    ]
