"""extract_html over fixture pages (a news article, Latin-1 via meta charset, malformed markup, no text)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from trafilatura.utils import load_html

from dateline.ingest.files import read_file
from dateline.ingest.formats import decode_text
from dateline.models import Problem
from dateline.process.html import (
    HtmlExtract,
    canonical_link,
    declared_language,
    extract_html,
    published_as_written,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "html"
PAGES = sorted(FIXTURES.glob("*.html"))


def extract_fixture(path: Path) -> dict:
    fetched = read_file(path)
    html = decode_text(fetched.body, fetched.headers, source=path.name)
    result = extract_html(html, source=path.name)
    if isinstance(result, Problem):
        return {"problem": dataclasses.asdict(result)}
    return json.loads(json.dumps(dataclasses.asdict(result)))


@pytest.mark.parametrize("path", PAGES, ids=[path.name for path in PAGES])
def test_page_fixture_matches_expected(path):
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    assert extract_fixture(path) == expected


def test_article_text_has_the_story_and_not_the_chrome():
    result = extract_html((FIXTURES / "article.html").read_text(encoding="utf-8"))
    assert isinstance(result, HtmlExtract)
    assert result.text.startswith("The ferry between the harbour and the island")
    for chrome in (
        "Contact us",
        "Most read",
        "Council tax",
        "All rights reserved",
        "Cookie settings",
        "By Alice Marsh",
    ):
        assert chrome not in result.text
    assert "\n\n" in result.text and "\n\n\n" not in result.text


def test_bytes_are_accepted_and_decoded_by_their_meta_charset():
    result = extract_html((FIXTURES / "latin1-meta.html").read_bytes())
    assert isinstance(result, HtmlExtract)
    assert "Les députés ont repris mercredi" in result.text
    assert result.title == "Réforme des retraites : le débat reprend"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">',
            "2024-03-05T09:30:00+01:00",
        ),
        ('<meta name="pubdate" content="20240305">', "20240305"),
        ('<meta itemprop="datePublished" content="March 5, 2024">', "March 5, 2024"),
        (
            '<script type="application/ld+json">[{"@graph": [{"@type": "NewsArticle", "datePublished": "2024-03-05T10:00:00Z"}]}]</script>',
            "2024-03-05T10:00:00Z",
        ),
        ('<script type="application/ld+json">{not json</script>', None),
        ("", None),
    ],
)
def test_published_as_written(head, expected):
    tree = load_html(f"<html><head>{head}</head><body><p>x</p></body></html>")
    assert published_as_written(tree) == expected


def test_time_element_in_the_article_is_a_last_resort():
    tree = load_html(
        '<html><body><article><time datetime="2024-03-05 08:00">Tuesday</time><p>x</p></article></body></html>'
    )
    assert published_as_written(tree) == "2024-03-05 08:00"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<html lang="en-GB"><body><p>x</p></body></html>', "en"),
        ('<html lang="FR"><body><p>x</p></body></html>', "fr"),
        (
            '<html><head><meta http-equiv="content-language" content="de-AT"></head><body><p>x</p></body></html>',
            "de",
        ),
        ("<html><body><p>x</p></body></html>", None),
        ('<html lang="x"><body><p>x</p></body></html>', None),
    ],
)
def test_declared_language(html, expected):
    assert declared_language(load_html(html)) == expected


def test_canonical_link_beats_og_url():
    tree = load_html(
        '<html><head><meta property="og:url" content="https://a.example/x?share=1">'
        '<link rel="canonical" href="https://a.example/x"></head><body><p>x</p></body></html>'
    )
    assert canonical_link(tree) == "https://a.example/x"


def test_unparseable_input_is_a_problem_naming_the_source():
    assert extract_html("", url="https://a.example/empty") == Problem(
        source="https://a.example/empty", reason="not parseable as HTML"
    )


def test_a_short_fast_extraction_is_read_again_with_the_fallback(monkeypatch):
    import dateline.process.html as html_module

    calls: list[bool] = []
    long_story = "A full story paragraph that the fallback found. " * 20

    def main_text(tree, url, *, favor_precision, fast):  # type: ignore[no-untyped-def]
        calls.append(fast)
        return "Menu. Short." if fast else long_story

    monkeypatch.setattr(html_module, "_main_text", main_text)
    result = extract_html((FIXTURES / "article.html").read_text(encoding="utf-8"))
    assert isinstance(result, HtmlExtract)
    assert calls == [True, False]
    assert result.text == long_story.strip()


def test_a_long_enough_fast_extraction_is_kept_without_a_second_pass(monkeypatch):
    import dateline.process.html as html_module

    calls: list[bool] = []
    story = "Plenty of story text from the fast pass. " * 20

    def main_text(tree, url, *, favor_precision, fast):  # type: ignore[no-untyped-def]
        calls.append(fast)
        return story if fast else "should not be read"

    monkeypatch.setattr(html_module, "_main_text", main_text)
    result = extract_html((FIXTURES / "article.html").read_text(encoding="utf-8"))
    assert isinstance(result, HtmlExtract) and result.text == story.strip()
    assert calls == [True]
