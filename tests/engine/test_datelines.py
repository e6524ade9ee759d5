"""Datelines at the head of a story: place, agency and date found; ordinary openings left alone."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.process.datelines import parse_dateline


@pytest.mark.parametrize(
    ("text", "place", "agency", "date_text", "rest"),
    [
        (
            "WASHINGTON (UrduPoint News / Sputnik - 17th June, 2023) US Secretary of State Antony Blinken will",
            "WASHINGTON", "Sputnik", "17th June, 2023", "US Secretary of State Antony Blinken will",
        ),
        ("NEW YORK, March 2 - Shares of IBM rose", "NEW YORK", None, "March 2", "Shares of IBM rose"),
        ("LONDON (Reuters) - The pound fell", "LONDON", "Reuters", None, "The pound fell"),
        ("PARIS, June 3 (AFP) — France said", "PARIS", "AFP", "June 3", "France said"),
        ("BEIJING, Oct. 5 (Xinhua) -- China's exports", "BEIJING", "Xinhua", "Oct. 5", "China's exports"),
        ("KYIV, Ukraine (AP) — Russian forces", "KYIV, Ukraine", "AP", None, "Russian forces"),
        ("Sydney: Police have charged a man", "Sydney", None, None, "Police have charged a man"),
        ("NEW DELHI: The government on Monday", "NEW DELHI", None, None, "The government on Monday"),
        ("WASHINGTON — The Senate voted", "WASHINGTON", None, None, "The Senate voted"),
        ("Paris (AFP) - Le gouvernement", "Paris", "AFP", None, "Le gouvernement"),
        ("TOKYO, 5 June (Kyodo) - Japan's", "TOKYO", "Kyodo", "5 June", "Japan's"),
        ("SAO PAULO, Brazil, March 3 (Reuters) - Brazil's", "SAO PAULO, Brazil", "Reuters", "March 3", "Brazil's"),
        ("Washington, D.C. (CNN) — The", "Washington, D.C.", "CNN", None, "The"),
        ("RICHMOND, Va., Feb 26 - Dominion", "RICHMOND, Va.", None, "Feb 26", "Dominion"),
        ("NEW YORK, FEB 26 - Stocks", "NEW YORK", None, "FEB 26", "Stocks"),
        ("ANKARA (Anadolu Agency) - Turkey", "ANKARA", "Anadolu", None, "Turkey"),
        ("ISLAMABAD, Jan 4 (APP): Prime Minister", "ISLAMABAD", "APP", "Jan 4", "Prime Minister"),
        ("MOSCOW, March 1 (RIA Novosti) - Russia", "MOSCOW", "RIA Novosti", "March 1", "Russia"),
        ("NAPA COUNTY, Calif. (KGO) -- A plan", "NAPA COUNTY, Calif.", None, None, "A plan"),
    ],
)  # fmt: skip
def test_datelines_are_split_off(
    text: str, place: str, agency: str | None, date_text: str | None, rest: str
) -> None:
    found = parse_dateline(text)
    assert (found.place, found.agency, found.date_text, found.body) == (place, agency, date_text, rest)


@pytest.mark.parametrize(
    "text",
    [
        "US Secretary of State Antony Blinken will travel to Beijing",
        "On Friday, Blinken outlined three objectives",
        '"We will win," he said on Sunday.',
        "“Nobody expected this,” the mayor said.",
        "BREAKING: An earthquake struck",
        "Note: this story has been updated",
        "Photo: A view of the harbour",
        "John Smith (right) and Ann Lee attend the gala",
        "The US (and others) - agreed",
        "US APPEARS TO SEEK DIPLOMATIC THAW\n\nOn Friday, Blinken said",
        "UPDATE 2-Oil prices rise",
        "Shares of Apple - the company - rose",
        "March 2 - Shares rose",
        "Saturday, January 5, 2019\n\nA road accident followed by a fire",
        "Friday, May 3, 2019 - The celebrations",
        "",
        "   ",
        "NASA",
    ],
)
def test_ordinary_openings_are_not_datelines(text: str) -> None:
    found = parse_dateline(text)
    assert (found.place, found.agency, found.date_text) == (None, None, None)
    assert found.body == text


def test_dateline_only_at_the_start() -> None:
    text = "The minister spoke later.\n\nLONDON (Reuters) - Another paragraph."
    assert parse_dateline(text).place is None


def test_reuters_21578_datelines(shared_dir: Path) -> None:
    """Real wire datelines (1987): nearly all found, and none invented on the bodies alone."""
    raw = (shared_dir / "dev" / "reuters21578" / "reut2-000.sgm").read_text(encoding="latin-1")
    stories = re.findall(r"<DATELINE>(.*?)</DATELINE><BODY>(.*?)</BODY>", raw, re.S)
    assert len(stories) > 900
    found = invented = 0
    for dateline, body in stories:
        parsed = parse_dateline(f"{dateline.strip()} {body}")
        found += parsed.place is not None and parsed.place.split(",")[0] == dateline.split(",")[0].strip()
        invented += parse_dateline(body).place is not None
    assert found / len(stories) >= 0.98
    assert invented == 0


def test_no_datelines_invented_on_wikinews_stories() -> None:
    """Wikinews writes no datelines: its stories, after their date line, must come back unchanged."""
    samples = Path(__file__).resolve().parents[2] / "data" / "samples" / "wikinews_2019.csv"
    csv.field_size_limit(10**8)
    with samples.open(encoding="utf-8", newline="") as handle:
        stories = [row["text"].split("\n", 1)[-1].strip() for row in csv.DictReader(handle)]
    assert len(stories) > 100
    invented = [story[:60] for story in stories if parse_dateline(story).place is not None]
    assert invented == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_keeps_its_rest(text: str) -> None:
    found = parse_dateline(text)
    assert text.lstrip().endswith(found.body) or found.body == text
    assert (found.place is None) == (found.body == text)
