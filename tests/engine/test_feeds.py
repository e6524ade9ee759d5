"""parse_feed over fixture feeds (RSS 0.91, RSS 1.0, RSS 2.0, Atom, malformed) with expected output beside them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dateline.ingest.feeds import feed_urls_in_opml, parse_feed
from dateline.models import Fetched, Problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "feeds"
FEEDS = sorted(path for path in FIXTURES.iterdir() if not path.name.endswith(".expected.json"))


def as_json(items, problems) -> dict:
    return {
        "items": [dataclasses.asdict(item) for item in items],
        "problems": [dataclasses.asdict(problem) for problem in problems],
    }


@pytest.mark.parametrize("path", FEEDS, ids=[path.name for path in FEEDS])
def test_feed_fixture_matches_expected(path):
    expected = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    items, problems = parse_feed(Fetched(source=path.name, body=path.read_bytes()))
    actual = json.loads(json.dumps(as_json(items, problems)))  # tuples become lists, as in the file
    assert actual == expected


def test_every_feed_fixture_has_its_expectation():
    assert len(FEEDS) >= 6
    for path in FEEDS:
        assert path.with_name(path.name + ".expected.json").is_file(), path.name


def test_relative_links_resolve_against_the_final_url():
    body = b"""<rss version="2.0"><channel><title>R</title><item><title>T</title>
        <link>/news/1</link><description>D</description></item></channel></rss>"""
    fetched = Fetched(source="https://r.example/feed", body=body, url="https://r.example/rss/feed.xml")
    [item], problems = parse_feed(fetched)
    assert item.url == "https://r.example/news/1"
    assert item.source == "https://r.example/rss/feed.xml"
    assert problems == []


def test_not_a_feed_is_a_problem():
    items, problems = parse_feed(
        Fetched(source="x.xml", body=b"<?xml version='1.0'?><catalog><book/></catalog>")
    )
    assert items == []
    assert problems == [Problem(source="x.xml", reason="not a feed (no RSS or Atom root element)")]


def test_empty_but_valid_feed_has_no_items_and_no_problems():
    body = b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    assert parse_feed(Fetched(source="quiet.xml", body=body)) == ([], [])


def test_opml_lists_feed_urls_in_order_without_repeats():
    body = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>
        <outline text="News"><outline type="rss" text="A" xmlUrl="https://a.example/rss"/>
        <outline type="rss" text="B" xmlURL="https://b.example/atom"/></outline>
        <outline type="rss" text="A again" xmlUrl="https://a.example/rss"/><outline text="no feed"/></body></opml>"""
    assert feed_urls_in_opml(Fetched(source="subs.opml", body=body)) == (
        ["https://a.example/rss", "https://b.example/atom"],
        [],
    )


def test_opml_without_feeds_is_a_problem():
    urls, problems = feed_urls_in_opml(Fetched(source="e.opml", body=b"<opml><body/></opml>"))
    assert urls == []
    assert problems[0].reason == "OPML file lists no feed (no outline with xmlUrl)"
