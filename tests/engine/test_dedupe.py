"""Story fingerprints and stable ids: copies of a story share one; the lead is read only as far as needed."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dateline.process.dedupe import _LEAD_WORDS, _lead_words, stable_id, story_fingerprint

WORD = re.compile(r"\w+")
LONG_STORY = " ".join(f"Word{i} of the story, told at length." for i in range(400))


@given(
    st.lists(
        st.sampled_from(["Σ", "ΟΔΟΣ", "the", "Story", " ", "  ", ",", "x" * 40, "İ", "é", "_", "\n"]),
        max_size=900,
    )
)
@example(["a "] * 600)  # 60 words well inside the head
@example(["ΟΔΟΣ "] * 300)  # a final sigma in the head: read whole
@example(["x" * 40 + " "] * 60)  # long words: fewer than 61 in the head, read whole
@example(["a "] * 59 + ["x" * 1000])  # the 60th word runs past the head
# a final sigma whose next cased letter lies past the head ("\u02b9" is a word character, not cased)
@example(["a "] * 59 + ["ΑΣ.", "\u02b9" * 879, "Β tail"])
@settings(max_examples=300, deadline=None)
def test_lead_words_are_the_first_words_of_the_whole_text(parts: list[str]) -> None:
    text = "".join(parts)
    assert _lead_words(text) == WORD.findall(text.lower())[:_LEAD_WORDS]


def test_copies_with_other_chrome_and_endings_share_a_fingerprint() -> None:
    copy = LONG_STORY.upper().replace(",", " ;") + " Comments are closed."
    assert story_fingerprint("One title", LONG_STORY + " Read more.") == story_fingerprint("Another", copy)
    assert story_fingerprint("T", LONG_STORY) != story_fingerprint("T", "Another story entirely.")
    assert story_fingerprint("Only a title", "") == story_fingerprint("only a TITLE!", "")


def test_stable_id_is_stable_and_tells_parts_apart() -> None:
    assert stable_id("url", "https://example.com/a") == stable_id("url", "https://example.com/a")
    assert stable_id("a", "bc") != stable_id("ab", "c")
    assert len(stable_id("x")) == 20
