"""Plain-text page dumps: fixture dumps with expected metadata, the seed document, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.process.clean import INVISIBLE
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
        ("date 2024-01-09 Dawn News", "Dawn News", "2024-01-09"),
        ("2024-01-09 the weather is nice today", None, "2024-01-09"),
    ],
)
def test_header_line_gives_source_and_date(header: str, source: str | None, published: str | None) -> None:
    story = (
        "Officials in the capital said on Thursday that the new rules would come into force next month, after "
        "a long consultation with residents, businesses and the transport authorities of the region."
    )
    parsed = parse_dump(f"{header}\n\nA headline about new rules in the capital\n\n{story}\n")
    assert parsed.source_name == source
    assert parsed.published == published
    assert parsed.body == story


STORY = (
    "Officials in the capital said on Thursday that the new rules would come into force next month, after "
    "a long consultation with residents, businesses and the transport authorities of the region."
)


@pytest.mark.parametrize(
    ("byline", "author", "published"),
    [
        ("Faizan Hashmi Published June 17, 2023 | 03:10 AM", "Faizan Hashmi", "June 17, 2023 | 03:10 AM"),
        ("Published June 17, 2023 | 03:10 AM", None, "June 17, 2023 | 03:10 AM"),
        ("Updated March 4, 2024 5:41 pm", None, "March 4, 2024 5:41 pm"),
        ("By Grace Lee | glee@example.com", "Grace Lee", None),
        ("By Alexandra Tremayne-Pengelly • 11/08/2023 5:19pm", "Alexandra Tremayne-Pengelly", "11/08/2023 5:19pm"),
        ("By Glen Owen And Brendan Carlin For The Mail On Sunday", "Glen Owen, Brendan Carlin", None),
        ("By Eric Levitz@EricLevitz", "Eric Levitz", None),
        ("July 24, 2019 by Amy Motroni 5 Comments", "Amy Motroni", "July 24, 2019"),
        ("ByJ.R. Stone", "J.R. Stone", None),
        ("Crime Published On May 10, 2022 01:52 PM", None, "May 10, 2022 01:52 PM"),
        ("Bybit opens a new office", None, None),
        ("Feb 8, 2020 5 min read", None, "Feb 8, 2020"),
        ("Mar 12, 2020 @ 10:42 am", None, "Mar 12, 2020"),
        ("Posted on May 6, 2022 at 5:19 pm News", None, "May 6, 2022 at 5:19 pm"),
        ("Thursday, November 9, 2023 7:35AM", None, "Thursday, November 9, 2023 7:35AM"),
    ],
)  # fmt: skip
def test_byline_shapes(byline: str, author: str | None, published: str | None) -> None:
    parsed = parse_dump(f"Menu\n\nNew rules for the capital from next month\n\n{byline}\n\n{STORY}\n")
    assert (parsed.author, parsed.published) == (author, published)
    assert parsed.title == "New rules for the capital from next month"
    assert parsed.body == STORY


def test_by_on_its_own_line() -> None:
    parsed = parse_dump(f"New rules for the capital from next month\n\nBy\nJames Whittaker\n\n{STORY}\n")
    assert parsed.author == "James Whittaker"
    assert parsed.body == STORY


def test_updated_stamp_gives_way_to_published() -> None:
    text = f"New rules for the capital\n\nUpdated May 2, 2024\nPublished May 1, 2024\n\n{STORY}\n"
    assert parse_dump(text).published == "May 1, 2024"


@pytest.mark.parametrize(
    ("label", "line", "tags"),
    [
        ("Tags", "Capital, Transport, Residents, Rules", ("Capital", "Transport", "Residents", "Rules")),
        (
            "Topics",
            "Transport Officials Capital Residents Region Rules",
            None,
        ),  # checked below: split by story
        ("More", "Previous Post Next Post", ()),
        ("Newsletter", "JOIN Our FREE Weekly Newsletter Today Now", ()),
        ("Site Links:", "Education - Urdu News - Car Prices - Breaking News - Prize Bond - Travel", ()),
        ("Share", "Facebook, Twitter", ()),
    ],
)
def test_tag_lines(label: str, line: str, tags: tuple[str, ...] | None) -> None:
    parsed = parse_dump(
        f"New rules for the capital from next month\n\n{STORY}\n\n{label}\n\n{line}\n\n© 2024 Example\n"
    )
    if tags is None:
        assert parsed.site_tags == tuple(line.split())
    else:
        assert parsed.site_tags == tags
    assert parsed.body == STORY


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), max_size=40))
def test_any_text_parses_and_keeps_only_its_own_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    parsed = parse_dump(text)
    # the cleaner drops invisible format characters (soft hyphens, zero-width spaces) from every line
    written = {" ".join(INVISIBLE.sub("", line).split()) for line in text.splitlines()}
    assert all(paragraph in written for paragraph in parsed.body.split("\n\n") if paragraph)
    assert parsed.title is None or parsed.title in written
