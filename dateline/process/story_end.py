"""Where a dump's story stops: closing headers, another article preloaded below it, teaser and comment
lists after it, and the writer's bio at its edges. Each rule reads and revises the classifier's line
records (clean.py) after the main block is found."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, compress
from operator import attrgetter
from typing import Protocol

from dateline.process.chrome import BIO_REACH, LENGTH_LOW, TERMINAL, is_author_bio

# Another article below the story: its title, within this many lines a byline or date, then its text.
ARTICLE_STAMP_REACH = 4
ARTICLE_MIN_CHARS = 1000  # a second article runs on; a short boxed note under a dated heading does not
MIN_ARTICLE_TITLE_WORDS = 3
STAMP_REASONS = frozenset({"byline", "date or time", "date stamp", "relative time"})
# Teaser and comment lists: units of a title-like line and an excerpt, each closed by the same link.
MIN_TEASER_UNITS = 2
TEASER_UNIT_LINES = (2, 3)  # title + excerpt, or title + stamp/author + excerpt
MAX_TEASER_TITLE_WORDS = 15
MIN_EXCERPT_WORDS = 8
CLOSING_LINK_CHARS = (5, 40)  # "Read More", "Reply", "Continue reading": not "On"/"Off" table cells
MIN_CLOSING_LINK_LETTERS = 4  # not "1-100" range cells
# Headline-and-blurb lists: running-text lines without closing punctuation, this many kept in a row.
MIN_BLURB_RUN = 5
RUNNING_TEXT = frozenset({"good", "neargood"})
# The next-article rule finds its rare stamp lines with map/compress (a C loop) and looks back from them.
REASON = attrgetter("reason")


class StoryLine(Protocol):
    """A non-blank dump line as the classifier tracks it (clean.py's working record)."""

    number: int
    text: str
    words: int
    chars: int
    heading: bool
    cf_class: str
    reason: str
    final: str
    inside: bool
    closing: bool


def _drop(lines: Sequence[StoryLine], reason: str) -> None:
    for line in lines:
        if line.final == "good":
            line.final, line.reason = "bad", reason


def _kept_chars(lines: Sequence[StoryLine]) -> list[int]:
    return [line.chars if line.final == "good" else 0 for line in lines]


def cut_at_story_end(lines: Sequence[StoryLine]) -> None:
    """Drop what follows a comments or related-reading header placed after most of the story's text
    (a "Related" box in the middle of a story leaves more story below it than above). A header already
    seen inside the story ("Read also:" before each linked story) is an inline label, not the end."""
    good_chars = _kept_chars(lines)
    total, above = sum(good_chars), 0
    labels: set[str] = set()
    for i, line in enumerate(lines):
        above += good_chars[i]
        past_half = above > total - above
        if not line.closing or not (past_half or line.inside) or line.text in labels:
            continue
        if line.inside:
            labels.add(line.text)
        if past_half:
            _drop(lines[i:], "after the story's end")
            return


def _halfway(lines: Sequence[StoryLine]) -> tuple[list[int], int]:
    """(kept characters up to and including each line, the first line with more kept text above it than
    below it): the rules below look for what follows a story only from there on."""
    above = list(accumulate([line.chars if line.final == "good" else 0 for line in lines]))
    total = above[-1] if above else 0
    # above[i - 1] > total - above[i - 1], i.e. above[i - 1] > total / 2: found by bisection, not a loop
    return above, bisect_right(above, total / 2) + 1


def _cut_at_next_article(lines: Sequence[StoryLine], above: list[int], start: int) -> bool:
    """Drop another article printed below the story (a preloaded "next story", a comment thread under
    commenters' names and dates): a title-shaped line after most of the kept text, a byline or date within
    ARTICLE_STAMP_REACH lines, and at least ARTICLE_MIN_CHARS of kept text after that stamp."""
    stamps = list(
        compress(range(start, len(lines)), map(STAMP_REASONS.__contains__, map(REASON, lines[start:])))
    )
    previous = start - 1
    # each title-shaped line is tried with the first stamp below it, in the order of the lines
    for stamp in stamps:
        for i in range(max(start, stamp - ARTICLE_STAMP_REACH, previous + 1), stamp):
            line = lines[i]
            if (
                line.heading
                and line.words >= MIN_ARTICLE_TITLE_WORDS
                and above[-1] - above[stamp] >= ARTICLE_MIN_CHARS
            ):
                _drop(lines[i:], "another article")
                return True
        previous = stamp
    return False


def _teaser_units(lines: Sequence[StoryLine], closers: list[int]) -> list[tuple[int, int]]:
    """The (title, excerpt) runs, as (first, end) positions, that end at each of `closers` (the positions
    of one repeated link line)."""
    units, previous = [], None
    shortest, longest = TEASER_UNIT_LINES
    for at in closers:
        first = previous + 1 if previous is not None else max(0, at - longest)
        previous = at
        if not shortest <= at - first <= longest:
            continue
        title = lines[first]
        if (
            1 <= title.words <= MAX_TEASER_TITLE_WORDS
            and title.text[-1] not in ".!?"
            and any(
                line.final == "good" and line.words >= MIN_EXCERPT_WORDS for line in lines[first + 1 : at]
            )
        ):
            units.append((first, at))
    return units


def _drop_teaser_lists(lines: Sequence[StoryLine], above: list[int], start: int) -> bool:
    """Teasers of other stories and comments below the story: at least MIN_TEASER_UNITS runs of a short
    title-like line and an excerpt, each closed by the same dropped link ("Read More", "Reply"), the first
    run after most of the kept text. A story's own sections are not closed by a repeated link."""
    dropped = False
    low, high = CLOSING_LINK_CHARS
    at_text: dict[str, list[int]] = {}
    # chrome lines (context-free "bad") stay dropped whatever their context: no need to test `final`
    for i in range(start, len(lines)):
        line = lines[i]
        if line.cf_class == "bad" and low <= line.chars < high:
            at_text.setdefault(line.text, []).append(i)
    for text, closers in at_text.items():
        if len(closers) < MIN_TEASER_UNITS or sum(map(str.isalpha, text)) < MIN_CLOSING_LINK_LETTERS:
            continue
        units = _teaser_units(lines, closers)
        if len(units) < MIN_TEASER_UNITS:
            continue
        first = units[0][0]
        before = above[first - 1] if first else 0
        if before > above[-1] - before:
            for first, end in units:
                _drop(lines[first:end], "teaser")
            above, _ = _halfway(lines)
            dropped = True
    return dropped


def _cut_at_blurb_run(lines: Sequence[StoryLine], start: int) -> None:
    """Drop from the first of MIN_BLURB_RUN kept blurbs in a row placed after most of the kept text (a
    "Don't miss" list of other stories' headlines and blurbs): long lines of running text that do not end
    like sentences. Story paragraphs do, and lists inside a story are of short lines. Dropped lines between
    the blurbs do not break the run."""
    first, run = start, 0
    for i in range(start, len(lines)):
        line = lines[i]
        if line.final != "good":
            continue
        if line.chars < LENGTH_LOW or line.text[-1] in TERMINAL or line.cf_class not in RUNNING_TEXT:
            run = 0
            continue
        if run == 0:
            first = i
        run += 1
        if run >= MIN_BLURB_RUN:
            _drop(lines[first:], "headline list")
            return


def trim_after_story(lines: Sequence[StoryLine]) -> None:
    """Drop what follows the story: another article, teaser and comment lists, headline lists. The halfway
    point is found once and again only after a rule dropped lines (most dumps have none of these)."""
    above, start = _halfway(lines)
    if _cut_at_next_article(lines, above, start):
        above, start = _halfway(lines)
    if _drop_teaser_lists(lines, above, start):
        above, start = _halfway(lines)
    _cut_at_blurb_run(lines, start)


def drop_author_bio(lines: Sequence[StoryLine]) -> None:
    """The writer's bio that opens or closes many stories ("Jane Doe is a reporter who covers ...")."""
    kept = [line for line in lines if line.final == "good"]
    for line in kept[:BIO_REACH] + kept[-BIO_REACH:]:
        if is_author_bio(line.text):
            line.final, line.reason = "bad", "author bio"
