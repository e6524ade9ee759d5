"""Line classifier for plain-text page dumps: keeps the story, drops the site's chrome around it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import justext

from dateline.process.chrome import (
    LENGTH_HIGH,
    LENGTH_LOW,
    TERMINAL,
    WORD,
    chrome_reason,
    closes_story,
)
from dateline.process.story_end import (
    cut_at_story_end,
    drop_author_bio,
    trim_after_story,
)

# jusText's stop-word thresholds, which hold up across sites and languages (lengths: chrome.py).
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
STOPWORDS_SENTENCE = 0.15  # names-heavy news sentences fall under jusText's floor
MAX_HEADING_DISTANCE = 200
MAX_HEADING_LINES = 2
# Weights for finding the main block: near-good lines count half, short lines against it a little.
NEARGOOD_WEIGHT = 0.5
SHORT_WEIGHT = 0.3
MIN_WORDS_INSIDE = 3  # single labels ("Contact", "Sorted by") inside the story are still chrome
LANGUAGE_SAMPLE = 1000  # words of running text enough to tell the stop-word lists apart
# Invisible format characters (soft hyphen, zero-width space, word joiner, byte-order and direction marks):
# they hide a sentence's closing stop and make blank lines look full. Joiners (U+200C/D) shape scripts; kept.
INVISIBLE_CHARS = tuple(
    "\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
INVISIBLE = re.compile(f"[{''.join(INVISIBLE_CHARS)}]")
# WORD.findall(line.lower()) for a line of ASCII only (most lines): one byte translation lower-cases the
# letters and blanks every character that is not a word character, then split() takes the words; about
# twice as fast as the regex.
ASCII_FOLD = bytes(
    ord(char.lower()) if char.isalnum() or char == "_" else ord(" ") for char in map(chr, range(128))
) + bytes(128)
LANGUAGES = ("English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch")


@dataclass(frozen=True, kw_only=True, slots=True)
class ClassifiedLine:
    """One non-blank input line, whether the cleaner kept it, and why."""

    number: int  # 0-based line number in the input text
    text: str  # the line with its white space collapsed
    kept: bool
    reason: str  # "good", "near good", "copyright", "menu", "relative time", ...


@dataclass(frozen=True, kw_only=True)
class CleanResult:
    """The story paragraphs found in a dump, with every line's verdict for debugging."""

    paragraphs: tuple[str, ...]
    lines: tuple[ClassifiedLine, ...]
    language: str  # the stop-word list that fitted the text best

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def dropped(self) -> tuple[ClassifiedLine, ...]:
        return tuple(line for line in self.lines if not line.kept)


class LineVerdict(Protocol):
    """What callers read of a classified line: a ClassifiedLine, or the classifier's working record
    (parse_dump reads those directly and saves building a ClassifiedLine per line)."""

    @property
    def number(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def kept(self) -> bool: ...
    @property
    def reason(self) -> str: ...


@dataclass(slots=True)
class _Block:
    """Working state of one line while it is classified (mutable, private to this module)."""

    number: int
    text: str
    words: int
    chars: int
    heading: bool
    cf_class: str  # context-free: "bad" | "short" | "neargood" | "good"
    reason: str
    density: float  # share of the words that are stop-words (0 for chrome lines)
    final: str = ""
    inside: bool = False  # within the main block
    closing: bool = False  # a header that can end the story ("Comments", "Related articles")

    @property
    def kept(self) -> bool:
        return self.final == "good"


@cache
def _stoplist(language: str) -> frozenset[str]:
    return frozenset(justext.get_stoplist(language))


@cache
def _stoplists_of() -> dict[str, tuple[int, ...]]:
    """Each stop-word of any of LANGUAGES and the positions of the lists it is in (one lookup per word)."""
    found: dict[str, list[int]] = {}
    for position, language in enumerate(LANGUAGES):
        for word in _stoplist(language):
            found.setdefault(word, []).append(position)
    return {word: tuple(positions) for word, positions in found.items()}


def pick_language(words: list[str]) -> str:
    """The stop-word list that covers most of the words (English when nothing matches)."""
    stoplists_of, hits = _stoplists_of(), [0] * len(LANGUAGES)
    counts = Counter(words[:LANGUAGE_SAMPLE])
    for word in stoplists_of.keys() & counts.keys():
        for position in stoplists_of[word]:
            hits[position] += counts[word]
    best = max(range(len(LANGUAGES)), key=lambda position: (hits[position], -position))
    return LANGUAGES[best] if hits[best] > 0 else LANGUAGES[0]


def _is_sentence(text: str) -> bool:
    """Starts like a sentence and ends with sentence punctuation."""
    return (text[0].isupper() or text[0] in "\"“‘'«") and text.rstrip("\"”’'»)")[-1:] in (".", "!", "?", ":")


def _looks_like_heading(text: str, words: int) -> bool:
    return 0 < words <= 15 and text[-1] not in TERMINAL and (text[0].isupper() or text[0].isdigit())


def _context_free_class(text: str, words: int, density: float) -> tuple[str, str]:
    """jusText's context-free class and its reason, for a line that is not chrome."""
    chars = len(text)
    if chars < LENGTH_LOW:
        if words >= 5 and density >= STOPWORDS_LOW and _is_sentence(text):
            return "neargood", "short sentence"
        return "short", "short"
    if density >= STOPWORDS_HIGH:
        return ("good", "good") if chars > LENGTH_HIGH else ("neargood", "near good")
    if density >= STOPWORDS_LOW:
        return "neargood", "near good"
    if density >= STOPWORDS_SENTENCE and _is_sentence(text):
        return "neargood", "sentence with few stop-words"
    return "bad", "few stop-words"


def _classify(
    text: str, tokens: list[str], stoplist: frozenset[str], repeats: int, texts: list[str], closing: bool
) -> tuple[int, int, bool, str, str, float]:
    """(words, characters, shaped like a heading, context-free class, reason, stop-word share) of one
    distinct line: jusText's class from length and stop-word share, or "bad" by the chrome rules
    (`closing`: the line is a header that closes a story)."""
    words = len(tokens)
    titled = _looks_like_heading(text, words)
    chrome = chrome_reason(text, tokens, repeats, texts, closing=closing)
    if chrome:
        # the stop-word share of chrome lines is never read: not computed
        return words, len(text), titled, "bad", chrome, 0.0
    density = sum(map(stoplist.__contains__, tokens)) / words if words else 0.0
    cf_class, reason = _context_free_class(text, words, density)
    return words, len(text), titled, cf_class, reason, density


def _nearest(finals: list[str], step: int) -> list[str]:
    """For each line, the class of the closest line in one direction that is good or bad ("bad" at the edge)."""
    found, seen = ["bad"] * len(finals), "bad"
    order = range(len(finals)) if step == 1 else range(len(finals) - 1, -1, -1)
    for i in order:
        found[i] = seen
        final = finals[i]
        if final == "good" or final == "bad":
            seen = final
    return found


def _good_follows(blocks: list[_Block]) -> list[bool]:
    """For each line, whether a good line follows within MAX_HEADING_DISTANCE characters and
    MAX_HEADING_LINES lines (a title and its subtitle; a column of short labels is a menu)."""
    follows = [False] * len(blocks)
    distance, lines = float("inf"), MAX_HEADING_LINES  # characters and lines between i and the next good line
    for i in range(len(blocks) - 1, -1, -1):
        follows[i] = distance <= MAX_HEADING_DISTANCE and lines < MAX_HEADING_LINES
        if blocks[i].final == "good":
            distance, lines = 0, 0
        else:
            distance, lines = distance + blocks[i].chars, lines + 1
    return follows


def _neargood_beside(finals: list[str], i: int, step: int) -> bool:
    """Whether the closest line in one direction that is not short is near good."""
    i += step
    while 0 <= i < len(finals) and finals[i] == "short":
        i += step
    return 0 <= i < len(finals) and finals[i] == "neargood"


def _revise_shorts(blocks: list[_Block]) -> None:
    finals = [block.final for block in blocks]
    before, after = _nearest(finals, 1), _nearest(finals, -1)
    for i, block in enumerate(blocks):
        if block.final != "short":
            continue
        if before[i] == after[i] == "good":
            block.final, block.reason = "good", "short between good"
        elif before[i] == after[i] == "bad":
            block.final, block.reason = "bad", "short among chrome"
        elif (before[i] == "bad" and _neargood_beside(finals, i, -1)) or (
            after[i] == "bad" and _neargood_beside(finals, i, 1)
        ):
            block.final, block.reason = "good", "short beside near good"
        else:
            block.final, block.reason = "bad", "short at the edge"


def _revise(blocks: list[_Block]) -> None:
    """jusText's context smoothing: short and near-good lines take the class of their surroundings."""
    for block in blocks:
        block.final = block.cf_class
    _revise_shorts(blocks)
    finals = [block.final for block in blocks]
    before, after = _nearest(finals, 1), _nearest(finals, -1)
    for i, block in enumerate(blocks):
        if block.final != "neargood":
            continue
        if before[i] == after[i] == "bad":
            block.final, block.reason = "bad", "near good among chrome"
        else:
            block.final = "good"
    follows = _good_follows(blocks)
    for i, block in enumerate(blocks):
        if (
            block.heading
            and block.words > 1
            and block.final == "bad"
            and block.cf_class != "bad"
            and follows[i]
        ):
            block.final, block.reason = "good", "heading"


def _weight(block: _Block) -> float:
    """How much a line argues for being inside the story (positive) or outside it (negative)."""
    if block.cf_class == "good" or (block.cf_class == "short" and block.final == "good"):
        return block.chars
    if block.cf_class == "neargood":
        return NEARGOOD_WEIGHT * block.chars
    if block.cf_class == "short":
        return -SHORT_WEIGHT * block.chars
    return -block.chars


def _main_block(weights: list[float]) -> tuple[int, int]:
    """The run of lines with the largest total weight (Kadane's maximum subarray), as (start, end)."""
    best, best_span, total, start = 0.0, (0, 0), 0.0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _keep_main_block(blocks: list[_Block]) -> None:
    """Keep the one densest run of story lines, with the short lines inside it; drop the rest."""
    start, end = _main_block([_weight(block) for block in blocks])
    for i, block in enumerate(blocks):
        block.inside = start <= i < end
        if not block.inside:
            if block.final == "good":
                block.final, block.reason = "bad", "outside the main block"
        elif (
            block.cf_class != "bad"
            and block.final != "good"
            and (block.words >= MIN_WORDS_INSIDE or (block.heading and block.words > 1))
        ):
            block.final, block.reason = "good", "inside the main block"


def _drop_duplicates(blocks: list[_Block]) -> None:
    """Pull quotes and repeated headlines: the story needs each text once."""
    kept: set[str] = set()
    for block in blocks:
        if block.final != "good":
            continue
        if block.text in kept:
            block.final, block.reason = "bad", "duplicate"
        kept.add(block.text)


def _running_words(lines: Iterable[list[str]]) -> list[str]:
    """The first LANGUAGE_SAMPLE words of lines of eight words or more: running text names the language
    better than menus do."""
    sample: list[str] = []
    for words in lines:
        if len(words) >= 8:
            sample += words
            if len(sample) >= LANGUAGE_SAMPLE:
                break
    return sample[:LANGUAGE_SAMPLE]


def _words(line: str) -> list[str]:
    """The line's words in lower case (WORD's tokens)."""
    if line.isascii():
        return line.encode("ascii").translate(ASCII_FOLD).decode("ascii").split()
    return WORD.findall(line.lower())


def _classify_lines(lines: list[tuple[int, str]], collapsed: list[str]) -> tuple[list[_Block], str]:
    """Context-free classes of the non-blank `lines` (each distinct text tokenised and judged once);
    `collapsed` is every line of the input, blank ones included."""
    repeats = Counter([line for _, line in lines])
    tokens = {line: _words(line) for line in repeats}
    language = pick_language(_running_words(tokens.values()))
    stoplist = _stoplist(language)
    texts = sorted(repeats)
    closers = {line: closes_story(line, words) for line, words in tokens.items()}
    judged = {
        line: _classify(line, words, stoplist, repeats[line], texts, closers[line])
        for line, words in tokens.items()
    }
    last = len(collapsed) - 1
    blocks = []
    for number, line in lines:
        words, chars, titled, cf_class, reason, density = judged[line]
        closing = closers[line]
        # A heading of one or two words must stand apart (blank or no line above and below); menu items run on.
        heading = titled and (
            words >= 3
            or ((number == 0 or not collapsed[number - 1]) and (number == last or not collapsed[number + 1]))
        )
        blocks.append(
            _Block(number, line, words, chars, heading, cf_class, reason, density, "", False, closing)
        )
    return blocks, language


def rule_blocks(text: str) -> tuple[list[_Block], str]:
    """Every non-blank line of a dump with the rules' verdict (`final == "good"`: kept), and the language."""
    collapsed = [" ".join(line.split()) for line in text.splitlines()]
    # A substring test per character is faster than the character-class scan (most dumps have none).
    if any(char in text for char in INVISIBLE_CHARS):  # per line, so that line numbers still count
        collapsed = [" ".join(INVISIBLE.sub("", line).split()) for line in collapsed]
    lines = [(number, line) for number, line in enumerate(collapsed) if line]
    if not lines:
        return [], LANGUAGES[0]
    blocks, language = _classify_lines(lines, collapsed)
    _revise(blocks)
    _keep_main_block(blocks)
    cut_at_story_end(blocks)
    _drop_duplicates(blocks)
    drop_author_bio(blocks)
    trim_after_story(blocks)
    return blocks, language


def clean_text(text: str) -> CleanResult:
    """Split a page dump into lines, classify each, and keep the story's paragraphs in order."""
    blocks, language = rule_blocks(text)
    classified = tuple(
        [
            ClassifiedLine(number=b.number, text=b.text, kept=b.final == "good", reason=b.reason)
            for b in blocks
        ]
    )
    paragraphs = tuple([block.text for block in blocks if block.final == "good"])
    return CleanResult(paragraphs=paragraphs, lines=classified, language=language)
