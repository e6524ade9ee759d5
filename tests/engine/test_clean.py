"""The dump line classifier: chrome rules, context smoothing, main block, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.process.clean import CleanResult, clean_text, pick_language

STORY = [
    "The regional government announced on Tuesday that it would build three new hospitals over the next "
    "five years, a plan that officials said would cut waiting times for patients across the province.",
    "The first of the hospitals is due to open in the northern city of Lanport in 2026, and will have "
    "room for about four hundred patients, according to the health ministry's plans.",
    "Opposition politicians said the plan came too late and that the money would not be enough to hire "
    "the doctors and nurses the new buildings would need once they were finished.",
]


def _dump(*lines: str) -> str:
    return "\n\n".join(lines)


def _verdicts(result: CleanResult) -> dict[str, tuple[bool, str]]:
    return {line.text: (line.kept, line.reason) for line in result.lines}


@pytest.mark.parametrize(
    ("chrome", "reason"),
    [
        ("© 2024 Example Media Group. All rights reserved.", "copyright"),
        ("3 hours ago", "relative time"),
        ("Updated 25 mins ago", "relative time"),
        ("Home | World | Business | Sport | Culture", "menu"),
        ("Education - Urdu News - Car Prices - Breaking News - Prize Bond", "menu"),
        ("Regional leaders gather for the annual summit in the coastal ..", "truncated teaser"),
        ("Advertisement", "boilerplate phrase"),
        ("Share this article", "boilerplate phrase"),
        ("We use cookies to improve your experience. By using this site you accept our cookie policy.", "boilerplate phrase"),
        ("Sign up for our morning newsletter", "boilerplate phrase"),
        ("Thursday, November 9, 2023 7:35AM", "date or time"),
        ("By Jane Doe", "byline"),
        ("A crowd at the opening ceremony in Lanport. REUTERS/Toby Melville", "boilerplate phrase"),
        ("World Technology Exchange Exports Ukraine Drugs China Washington Visit London Beijing", "capitalised list"),
    ],
)  # fmt: skip
def test_chrome_lines_are_dropped_with_a_reason(chrome: str, reason: str) -> None:
    result = clean_text(_dump(STORY[0], chrome, STORY[1], STORY[2]))
    assert _verdicts(result)[chrome] == (False, reason)
    assert result.paragraphs == tuple(STORY)


def test_heading_between_story_paragraphs_is_kept() -> None:
    result = clean_text(_dump(STORY[0], STORY[1], "OPPOSITION UNHAPPY", STORY[2]))
    assert result.paragraphs == (STORY[0], STORY[1], "OPPOSITION UNHAPPY", STORY[2])


def test_menu_and_teasers_around_the_story_are_dropped() -> None:
    head = "Home\nNews\nSport\nWeather\nContact"
    teasers = "Most read\n1. Storm closes coastal road\n2. Council budget approved\n3. Local team wins cup"
    footer = "About us | Careers | Contact | Terms\n© 2024 Example News"
    result = clean_text(_dump(head, *STORY, teasers, footer))
    assert result.paragraphs == tuple(STORY)
    assert result.text == "\n\n".join(STORY)
    assert {line.text for line in result.dropped} >= {"Home", "Most read", "2. Council budget approved"}


def test_repeated_lines_are_chrome() -> None:
    result = clean_text(_dump("Latest news", *STORY, "Latest news"))
    assert "Latest news" not in result.paragraphs


def test_lines_keep_their_numbers() -> None:
    result = clean_text("Menu\n\n" + STORY[0])
    assert [(line.number, line.kept) for line in result.lines] == [(0, False), (2, True)]


@pytest.mark.parametrize("text", ["", "\n\n  \n", "Home\nNews\nContact"])
def test_nothing_to_keep(text: str) -> None:
    result = clean_text(text)
    assert result.paragraphs == ()
    assert result.text == ""


def test_german_story_uses_german_stop_words() -> None:
    story = (
        "Die Landesregierung hat am Dienstag angekündigt, dass in den nächsten fünf Jahren drei neue "
        "Krankenhäuser gebaut werden sollen, um die Wartezeiten für die Patienten zu verkürzen."
    )
    result = clean_text(_dump("Startseite", "Impressum", story, "Datenschutz"))
    assert result.language == "German"
    assert result.paragraphs == (story,)


@pytest.mark.parametrize(
    ("words", "language"),
    [
        (["the", "cat", "sat", "on", "the", "mat", "and", "it", "was", "happy"], "English"),
        (["der", "hund", "und", "die", "katze", "sind", "nicht", "hier"], "German"),
        (["le", "chat", "et", "le", "chien", "ne", "sont", "pas", "dans", "la", "maison"], "French"),
        ([], "English"),
    ],
)
def test_pick_language(words: list[str], language: str) -> None:
    assert pick_language(words) == language


COMMENT = (
    "I have lived in the province for thirty years and I have never seen the waiting lists this long, so "
    "any new hospital is welcome news for my family and for our neighbours in the north."
)


@pytest.mark.parametrize("header", ["3 Comments", "Leave a Reply", "You May Also Like", "Related Articles"])
def test_text_after_a_closing_header_is_dropped(header: str) -> None:
    result = clean_text(_dump(*STORY, header, COMMENT))
    assert result.paragraphs == tuple(STORY)


def test_related_box_in_the_middle_does_not_end_the_story() -> None:
    more = [f"In a second statement, {paragraph[0].lower()}{paragraph[1:]}" for paragraph in STORY]
    result = clean_text(_dump(STORY[0], "Related", *more, STORY[1], STORY[2]))
    assert result.paragraphs == (STORY[0], *more, STORY[1], STORY[2])


def test_author_bio_closing_the_story_is_dropped() -> None:
    bio = "Jane Doe is a health reporter who has covered the province's hospitals and clinics since 2015."
    assert clean_text(_dump(*STORY, bio)).paragraphs == tuple(STORY)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=150), max_size=50))
def test_any_text_gives_a_verdict_for_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = clean_text(text)
    non_blank = [(n, " ".join(line.split())) for n, line in enumerate(text.splitlines()) if line.split()]
    assert [(line.number, line.text) for line in result.lines] == non_blank
    assert result.paragraphs == tuple(line.text for line in result.lines if line.kept)
    assert all(line.reason for line in result.lines)
