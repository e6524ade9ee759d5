"""Token-overlap F1 for the dump cleaner: the issue's metric, which weights a page's text by its words.

Two references, because the dev set has no full gold text:

- snippet-anchored lines: a dump line holding a `with` snippet is story, one holding a `without` snippet
  is chrome (a line holding both, or neither, is left out); a labelled line counts as kept when its text is
  in the extractor's output. True positives are the words of kept story lines, false positives those of
  kept chrome lines, false negatives those of dropped story lines;
- hand-labelled gold (`tests/quality/cleaning_gold.jsonl`): the story's line ranges of some dumps, read
  and labelled by hand, keyed by the dump's file name and the sha256 of its text (a changed renderer makes
  the labels stale, which is reported instead of scored). The bag of words of the output is compared with
  the bag of words of the gold story lines: overlap = the words both hold (with multiplicity).

Words are `\\w+` runs in lower case, counted with their multiplicity.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

WORDS = re.compile(r"\w+")
SPACES = re.compile(r"\s+")
INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
GOLD = Path(__file__).resolve().parents[1] / "tests" / "quality" / "cleaning_gold.jsonl"


def flatten(text: str) -> str:
    """White space collapsed and invisible format characters dropped (the cleaner drops them too)."""
    return SPACES.sub(" ", INVISIBLE.sub("", text))


def words(text: str) -> Counter[str]:
    return Counter(WORDS.findall(text.lower()))


class PrecisionRecall:
    """Precision, recall and F1 from `tp`, `fp` and `fn` counts (snippets or words)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


@dataclass
class TokenScore(PrecisionRecall):
    """Word counts summed over pages (micro) and the per-page F1s (for the macro mean)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    pages: int = 0
    page_f1_sum: float = 0.0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn
        self.pages += 1
        self.page_f1_sum += 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    def merged(self, other: TokenScore) -> TokenScore:
        return TokenScore(
            self.tp + other.tp,
            self.fp + other.fp,
            self.fn + other.fn,
            self.pages + other.pages,
            self.page_f1_sum + other.page_f1_sum,
        )

    @property
    def macro_f1(self) -> float:
        return self.page_f1_sum / self.pages if self.pages else 0.0

    def line(self) -> str:
        return (
            f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} macro-F1={self.macro_f1:.3f} "
            f"({self.pages} pages, {self.tp + self.fn} story words)"
        )


def anchored_lines(text: str, with_: list[str], without: list[str]) -> list[tuple[str, bool]]:
    """(flattened line, is story) for each dump line that holds snippets of one kind only."""
    story = [flatten(snippet).strip() for snippet in with_]
    chrome = [flatten(snippet).strip() for snippet in without]
    labelled = []
    for raw in text.splitlines():
        line = flatten(raw).strip()
        if not line:
            continue
        is_story = any(snippet and snippet in line for snippet in story)
        is_chrome = any(snippet and snippet in line for snippet in chrome)
        if is_story != is_chrome:
            labelled.append((line, is_story))
    return labelled


def anchored_counts(output: str, labelled: list[tuple[str, bool]]) -> tuple[int, int, int]:
    """(tp, fp, fn) words of the labelled lines, a line being kept when its text is in the output."""
    flat = flatten(output)
    tp = fp = fn = 0
    for line, is_story in labelled:
        size = sum(words(line).values())
        kept = line in flat
        if is_story and kept:
            tp += size
        elif is_story:
            fn += size
        elif kept:
            fp += size
    return tp, fp, fn


def bag_counts(output: str, gold: str) -> tuple[int, int, int]:
    """(tp, fp, fn) of the bag of words of `output` against that of `gold`."""
    found, truth = words(output), words(gold)
    overlap = sum((found & truth).values())
    return overlap, sum(found.values()) - overlap, sum(truth.values()) - overlap


def anchored_scores(rows: list[dict], extract: Callable[[str], str]) -> tuple[TokenScore, TokenScore]:
    """(tuning pages, held-out pages) snippet-anchored token scores; held out: positions 0, 4, 8, ..."""
    tuning, held_out = TokenScore(), TokenScore()
    for number, row in enumerate(rows):
        labelled = anchored_lines(row["text"], row["with"], row["without"])
        if not any(is_story for _, is_story in labelled):
            continue  # nothing of the story is anchored: the page tells nothing at word level
        target = held_out if number % 4 == 0 else tuning
        target.add(*anchored_counts(extract(row["text"]), labelled))
    return tuning, held_out


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_gold(path: Path = GOLD) -> list[dict]:
    """The hand labels: {dump, sha256, story: [[first, last], ...]} with 1-based inclusive line ranges."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_story(text: str, ranges: list[list[int]]) -> str:
    """The text of the labelled story lines of a dump."""
    lines = text.splitlines()
    return "\n".join(line for first, last in ranges for line in lines[first - 1 : last])


def gold_scores(
    rows: list[dict], extract: Callable[[str], str], gold: list[dict]
) -> tuple[TokenScore, TokenScore, list[str]]:
    """(all gold pages, held-out gold pages, stale dump names) bag-of-words scores against the hand labels."""
    by_name = {row["dump"]: (number, row) for number, row in enumerate(rows)}
    everything, held_out, stale = TokenScore(), TokenScore(), []
    for label in gold:
        number, row = by_name.get(label["dump"], (-1, None))
        if row is None or sha256(row["text"]) != label["sha256"]:
            stale.append(label["dump"])
            continue
        counts = bag_counts(extract(row["text"]), gold_story(row["text"], label["story"]))
        everything.add(*counts)
        if number % 4 == 0:
            held_out.add(*counts)
    return everything, held_out, stale
