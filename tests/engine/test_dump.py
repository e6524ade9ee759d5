"""Plain-text page dumps: fixture dumps with expected metadata, the seed document, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.process.datelines import parse_dateline
from dateline.process.dates import normalize_published
from dateline.process.dump import DumpParse, parse_dump, site_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dumps"
SEED = Path(__file__).resolve().parents[2] / "data" / "samples" / "seed_urdupoint_2023-06-17.txt"
CASES = sorted(FIXTURES.glob("*.txt"))


@pytest.fixture(scope="module")
def seed() -> DumpParse:
    return parse_dump(SEED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("dump_path", CASES, ids=[path.stem for path in CASES])
def test_fixture_dump_matches_expected(dump_path: Path) -> None:
    expected = json.loads(dump_path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    parsed = parse_dump(dump_path.read_text(encoding="utf-8"))
    assert parsed.title == expected["title"]
    assert parsed.author == expected["author"]
    assert parsed.published == expected["published"]
    assert parsed.source_name == expected["source_name"]
    assert list(parsed.site_tags) == expected["site_tags"]
    dateline = parse_dateline(parsed.body)
    assert {"place": dateline.place, "agency": dateline.agency, "date_text": dateline.date_text} == expected[
        "dateline"
    ]
    assert dateline.body.startswith(expected["body_starts"])
    assert dateline.body.endswith(expected["body_ends"])
    paragraphs = parsed.body.split("\n\n")
    for heading in expected["paragraphs_include"]:
        assert heading in paragraphs
    for chrome in expected["body_lacks"]:
        assert chrome not in parsed.body


def test_fixture_dumps_exist() -> None:
    assert len(CASES) >= 3
    assert all(path.with_suffix(".expected.json").exists() for path in CASES)


def test_seed_metadata(seed: DumpParse) -> None:
    assert (
        seed.title
        == "Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts Amid Rising Tensions"
    )
    assert seed.author == "Faizan Hashmi"
    assert seed.published is not None
    assert normalize_published(seed.published) == "2023-06-17T03:10:00"
    assert seed.source_name == "UrduPoint"
    assert seed.domain == "urdupoint.com"


def test_seed_dateline_and_body(seed: DumpParse) -> None:
    dateline = parse_dateline(seed.body)
    assert (dateline.place, dateline.agency) == ("WASHINGTON", "Sputnik")
    assert dateline.body.startswith("US Secretary of State Antony Blinken will travel to Beijing")
    assert dateline.body.endswith("in London.")
    assert "US APPEARS TO SEEK DIPLOMATIC THAW" in seed.body.split("\n\n")
    for chrome in (
        "Related Topics",
        "Recent Stories",
        "hours ago",
        "UrduPoint Network",
        "Balochistan",
        "Prize Bond",
    ):
        assert chrome not in seed.body
    assert seed.title not in seed.body
    assert "Faizan Hashmi" not in seed.body


def test_seed_site_tags(seed: DumpParse) -> None:
    assert {"Ukraine", "China", "Beijing", "United Kingdom", "United States", "Xi Jinping"} <= set(
        seed.site_tags
    )
    assert "United" not in seed.site_tags


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n \t\n",
        "Home | News | Sport | Weather | Contact\nLog in\nSubscribe\n© 2024 Example Media. All rights reserved.",
        "\x00\x01 garbage \ufffd\ufffd",
        "Home\nNews\nSport\nWeather\nContact\nAbout us",
    ],
    ids=["empty", "blank", "only-chrome", "control-characters", "only-menu-words"],
)
def test_bad_input_gives_empty_result(text: str) -> None:
    parsed = parse_dump(text)
    assert parsed.body == ""
    assert parsed.site_tags == ()
    assert parsed.author is None


def test_one_line_text_is_at_most_that_line() -> None:
    parsed = parse_dump("Just one line of text.")
    assert parsed.body in ("", "Just one line of text.")
    assert parsed.site_tags == ()


def test_one_paragraph_story_is_kept() -> None:
    text = (
        "Example Times\n\nCity council approves new park\n\n"
        "The city council voted on Monday to turn the old rail yard into a public park, with work due to start "
        "next spring and the first section opening to visitors in the autumn of next year.\n\n"
        "© 2024 Example Times\n"
    )
    parsed = parse_dump(text)
    assert parsed.title == "City council approves new park"
    assert parsed.body.startswith("The city council voted on Monday")
    assert "Example Times" not in parsed.body


@pytest.mark.parametrize(
    ("domain", "name"),
    [
        ("UrduPoint.com", "UrduPoint"),
        ("www.bbc.co.uk", "bbc"),
        ("news.example.org", "example"),
        ("lagosherald.com.ng", "lagosherald"),
        ("localhost", "localhost"),
    ],
)
def test_site_name(domain: str, name: str) -> None:
    assert site_name(domain) == name


@pytest.mark.parametrize(
    ("header", "source", "published"),
    [
        (" date 2023-06-17 UrduPoint.com", "UrduPoint", "2023-06-17"),
        ("2024-02-01 www.example.co.uk", "example", "2024-02-01"),
        ("dawn.com", "dawn", None),
    ],
)
def test_header_line_gives_source_and_date(header: str, source: str, published: str | None) -> None:
    story = (
        "Officials in the capital said on Thursday that the new rules would come into force next month, after "
        "a long consultation with residents, businesses and the transport authorities of the region."
    )
    parsed = parse_dump(f"{header}\n\nA headline about new rules in the capital\n\n{story}\n")
    assert parsed.source_name == source
    assert parsed.published == published
    assert parsed.body == story
