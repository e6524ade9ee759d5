"""The dump line classifier: chrome rules, context smoothing, main block, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.process.chrome import WORD, chrome_reason, closes_story
from dateline.process.clean import INVISIBLE, CleanResult, _words, clean_text, pick_language, rule_blocks

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
        ("Inside the Capital, Doubts About the Hospital Plan Are Beginning to Creep In", "headline teaser"),
        ("EXAMPLENEWS.COM", "site name"),
        ("Follow the Lanport Herald on Twitter @LanportHerald and on Facebook.", "boilerplate phrase"),
        ("Teile diesen Beitrag auf Social Media.", "boilerplate phrase"),
        ("Anzeige", "boilerplate phrase"),
        ("Pubblicità", "boilerplate phrase"),
        ("Foto: Max Mustermann", "boilerplate phrase"),
        ("Abbildung 4: Der Neubau im Norden der Stadt.", "boilerplate phrase"),
        ("Auch interessant", "boilerplate phrase"),
        ("Leggi anche", "boilerplate phrase"),
        ("Yesterday", "relative time"),
        ("Pinterest Email Send Text Message Print", "share buttons"),
        ("Save FB Tweet More", "share buttons"),
    ],
)  # fmt: skip
def test_chrome_lines_are_dropped_with_a_reason(chrome: str, reason: str) -> None:
    result = clean_text(_dump(STORY[0], chrome, STORY[1], STORY[2]))
    assert _verdicts(result)[chrome] == (False, reason)
    assert result.paragraphs == tuple(STORY)


@pytest.mark.parametrize(
    "header",
    [
        "12 Comments", "Related Posts", "Most Read", "11 responses to “Hospital plan”", "Post a comment",
        "Add a comment", "Join the discussion", "You might also like", "More from Example News", "Recommended for you",
        "Read next", "Further reading", "Trending now", "Replies", "Kommentare", "3 Kommentare", "Das könnte Sie auch interessieren",
        "Weitere Artikel", "Mehr zum Thema", "Articoli correlati", "Commenti", "À lire aussi", "Articles similaires",
        "Artículos relacionados", "Te puede interesar",
    ],
)  # fmt: skip
def test_closing_headers_in_several_languages(header: str) -> None:
    result = clean_text(_dump(*STORY, header, COMMENT))
    kept, reason = _verdicts(result)[header]
    assert not kept and reason in ("closing header", "boilerplate phrase")  # "Related Posts" is both
    assert result.paragraphs == tuple(STORY)


def test_invisible_characters_do_not_hide_a_sentence() -> None:
    """A zero-width or invisible separator after the full stop, and a line holding only one, as recipe
    sites print them: the sentence still ends, the line is blank."""
    steps = [
        "Heat the oil in a large pan and fry the onions until they are soft and golden, about ten minutes.\u2063",
        "\u2063",
        "Add the garlic and the spices.\u2063",
        "Stir in the tomatoes, cover the pan and let it simmer gently for half an hour before serving it.\u200b",
    ]
    result = clean_text(_dump(*STORY, *steps))
    assert result.paragraphs == (*STORY, steps[0][:-1], steps[2][:-1], steps[3][:-1])
    assert [line.number for line in result.lines][-3:] == [6, 10, 12]


def test_a_column_of_short_labels_before_the_story_is_not_a_heading() -> None:
    """A title and a subtitle may stand above the story; a whole column of labels is a menu, even when
    it is shorter than jusText's 200-character heading distance."""
    labels = ["Il Mattino di Padova", "Il Piccolo Giornale", "La Nuova Ferrara", "Messaggero Veneto"]
    story = (f"{STORY[0]} {STORY[1]}", STORY[2])
    result = clean_text("\n\n".join([*labels, "Hospital Plan Unveiled", *story]))
    assert result.paragraphs[-3:] == ("Hospital Plan Unveiled", *story)
    assert not set(labels[:3]) & set(result.paragraphs)


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


def test_a_label_repeated_inside_the_story_does_not_end_it() -> None:
    """A label ("Read next") before each linked story: the story goes on after its second copy."""
    link = "Hospital plan: what the province's health ministry promised in 2019"
    text = _dump(STORY[0], "Read next", link, STORY[1], "Read next", link, STORY[2])
    assert set(STORY) <= set(clean_text(text).paragraphs)


def test_share_words_in_code_or_prose_are_kept() -> None:
    code = "print(text)"
    text = _dump(STORY[0], "Copy the link and send the message:", code, STORY[1], STORY[2])
    verdicts = _verdicts(clean_text(text))
    assert verdicts["Copy the link and send the message:"][1] != "share buttons"
    assert verdicts[code][1] != "share buttons"


def test_author_bio_closing_the_story_is_dropped() -> None:
    bio = "Jane Doe is a health reporter who has covered the province's hospitals and clinics since 2015."
    assert clean_text(_dump(*STORY, bio)).paragraphs == tuple(STORY)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=150), max_size=50))
def test_any_text_gives_a_verdict_for_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    result = clean_text(text)
    visible = [" ".join(INVISIBLE.sub("", line).split()) for line in text.splitlines()]
    non_blank = [(n, line) for n, line in enumerate(visible) if line]
    assert [(line.number, line.text) for line in result.lines] == non_blank
    assert result.paragraphs == tuple(line.text for line in result.lines if line.kept)
    assert all(line.reason for line in result.lines)


MENU = "Home | World | Business | Sport | Culture"


def test_rule_blocks_give_clean_texts_verdicts() -> None:
    text = _dump(MENU, "Breaking: hospitals", *STORY, "© 2024 Example Media Group. All rights reserved.")
    blocks, language = rule_blocks(text)
    assert language == "English"
    assert [b.text for b in blocks if b.final == "good"] == list(clean_text(text).paragraphs)
    inside = {b.text: b.inside for b in blocks}
    assert inside[MENU] is False and all(inside[paragraph] for paragraph in STORY)
    assert all(b.density > 0.3 for b in blocks if b.text in STORY)


LONG_STORY = [
    f"{paragraph} Officials in {town} said the work there would begin within the year as planned."
    for paragraph, town in zip(
        STORY * 2, ("Lanport", "Ostwick", "Merrow", "Dunhill", "Carvey", "Pellam"), strict=True
    )
]
NEXT_ARTICLE = [
    "Ferry Service to the Islands Resumes After Storm",
    "By John Smith",
    "The ferry service between the mainland and the outer islands resumed on Wednesday after a storm "
    "that had kept the boats in port for most of the week, the operator said in a statement.",
    "Passengers who had booked crossings during the storm will be able to use their tickets on any "
    "sailing until the end of the month, and the operator said it would add two extra sailings a day.",
    "The harbour master said the storm had damaged one of the piers but that repairs would not "
    "affect the timetable, which would return to normal by the weekend if the weather held.",
    "Islanders had complained that food and fuel were running short after several days without a "
    "delivery, and the local council said it would ask the government for help with the costs.",
    "The operator said it would review how it warns passengers of cancelled sailings, after many "
    "travellers said they had learned of the cancellations only when they arrived at the harbour.",
    "Fishing crews, who had also stayed in port during the storm, went back to sea on Wednesday "
    "morning, and the fish market said it expected its first full day of trading since last week.",
]


def test_an_article_preloaded_below_the_story_is_dropped() -> None:
    result = clean_text(_dump(*LONG_STORY, *NEXT_ARTICLE))
    assert result.paragraphs == tuple(LONG_STORY)
    assert _verdicts(result)[NEXT_ARTICLE[2]] == (False, "another article")


def test_a_dated_section_with_little_text_below_it_is_kept() -> None:
    update = ("Update on the Hospital Plan From the Ministry", "June 17, 2023", NEXT_ARTICLE[2])
    result = clean_text(_dump(*LONG_STORY, *update))
    assert update[2] in result.paragraphs


TEASERS = [
    ("Ferry Service Resumes After the Storm", NEXT_ARTICLE[2]),
    ("Council Asks for Help With Fuel Costs", NEXT_ARTICLE[5]),
    ("Harbour Pier Damaged in the Storm", NEXT_ARTICLE[4]),
]


def test_teasers_closed_by_the_same_link_below_the_story_are_dropped() -> None:
    teasers = [line for title, excerpt in TEASERS for line in (title, excerpt, "Read More")]
    result = clean_text(_dump(*LONG_STORY, "Keep Reading", *teasers))
    assert result.paragraphs == tuple(LONG_STORY)
    assert _verdicts(result)[TEASERS[0][1]] == (False, "teaser")


def test_sections_without_a_repeated_link_are_kept() -> None:
    sections = [line for title, excerpt in TEASERS for line in (title, excerpt)]
    result = clean_text(_dump(*LONG_STORY, *sections))
    assert all(excerpt in result.paragraphs for _, excerpt in TEASERS)


BLURBS = [
    "Ferry service to the islands resumes after a storm that had kept all of the boats in port for a week",
    "The council asks the government for help with the cost of fuel and food for the outer islands",
    "A harbour pier was damaged in the storm but the repairs will not change the ferry timetable at all",
    "Fishing crews go back to sea and the market expects its first full day of trading since last week",
    "Passengers who had booked a crossing during the storm can use their tickets until the end of the month",
]


def test_a_run_of_headline_blurbs_below_the_story_is_dropped() -> None:
    result = clean_text(_dump(*LONG_STORY, *BLURBS))
    assert result.paragraphs == tuple(LONG_STORY)
    assert _verdicts(result)[BLURBS[0]] == (False, "headline list")


def test_a_few_unpunctuated_lines_end_the_story_unharmed() -> None:
    result = clean_text(_dump(*LONG_STORY, *BLURBS[:3]))
    assert all(blurb in result.paragraphs for blurb in BLURBS[:3])


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60) | st.text(max_size=30))
@settings(max_examples=400, deadline=None)
def test_line_words_are_the_lower_case_word_tokens(line: str) -> None:
    assert _words(line) == WORD.findall(line.lower())


@pytest.mark.parametrize(
    ("line", "reason"),
    [("Trending now", "closing header"), ("12 comments", "closing header"), ("Kept story line", None)],
)
def test_chrome_reason_takes_the_closing_header_test_from_its_caller(line: str, reason: str | None) -> None:
    tokens = _words(line)
    assert chrome_reason(line, tokens, 1, [line]) == reason
    assert chrome_reason(line, tokens, 1, [line], closing=closes_story(line, tokens)) == reason
    assert chrome_reason(line, tokens, 1, [line], closing=True) == "closing header"  # read, not recomputed
