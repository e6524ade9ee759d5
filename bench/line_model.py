"""Learned keep/drop score for dump lines (logistic regression); measured, not used by clean_text yet."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

WEIGHTS = Path(__file__).resolve().parents[1] / "data" / "cleaning" / "line_model.json"
CLASSES = ("good", "neargood", "short", "bad")
NEIGHBOURS = (-2, -1, 1, 2)
TERMINAL_STOPS = frozenset(".!?:\"”’')»")


class RuledLine(Protocol):
    """What the model reads of a line the rules have judged (clean.py's working state)."""

    number: int
    text: str
    words: int
    chars: int
    heading: bool
    cf_class: str
    reason: str
    density: float
    final: str
    inside: bool


def _own_columns(lines: Sequence[RuledLine], reasons: dict[str, int]) -> np.ndarray:
    """Per line: kept by the rules, inside the main block, context-free class, stop-word share, length,
    heading shape, closing punctuation, and the rules' reason (one-hot over the reasons seen in training)."""
    n = len(lines)
    own = np.zeros((n, 11 + len(reasons)))
    own[:, 0] = [line.final == "good" for line in lines]
    own[:, 1] = [line.inside for line in lines]
    classes = [line.cf_class for line in lines]
    for column, name in enumerate(CLASSES, start=2):
        own[:, column] = [cf == name for cf in classes]
    own[:, 6] = [line.density for line in lines]
    own[:, 7] = np.log1p([line.chars for line in lines]) / 6
    own[:, 8] = np.log1p([line.words for line in lines]) / 5
    own[:, 9] = [line.heading for line in lines]
    own[:, 10] = [line.text[-1] in TERMINAL_STOPS for line in lines]
    known = [(row, 11 + reasons[line.reason]) for row, line in enumerate(lines) if line.reason in reasons]
    if known:  # a reason not seen in training gets no column
        own[tuple(zip(*known, strict=True))] = 1.0
    return own


def _position_columns(own: np.ndarray) -> np.ndarray:
    """Relative position in the dump and distance (in lines, capped) to the main block."""
    n = len(own)
    position = np.arange(n) / max(n - 1, 1)
    inside = np.flatnonzero(own[:, 1])
    if len(inside):
        index = np.arange(n)
        distance = np.maximum(inside[0] - index, 0) + np.maximum(index - inside[-1], 0)
    else:
        distance = np.full(n, 10)
    return np.column_stack((position, np.minimum(distance, 10) / 10))


def shifted(column: np.ndarray, offset: int, edge: float) -> np.ndarray:
    """`column` moved so that row i holds row i+offset's value (`edge` past either end)."""
    out = np.full_like(column, edge)
    if offset > 0:
        out[:-offset] = column[offset:]
    else:
        out[-offset:] = column[:offset]
    return out


def _run_lengths(kept: np.ndarray, step: int) -> np.ndarray:
    """For each line, how many lines away the nearest kept line is in one direction (capped at 10)."""
    n = len(kept)
    out, gap = np.zeros(n), 10.0
    for i in range(n) if step == 1 else range(n - 1, -1, -1):
        out[i] = gap
        gap = 1.0 if kept[i] else min(gap + 1, 10.0)
    return out / 10


def _shape_columns(lines: Sequence[RuledLine]) -> np.ndarray:
    """Capitalised-word share, digit share, a question, and blank lines around the line (paragraph vs list)."""
    numbers = np.array([line.number for line in lines])
    gap_above = np.diff(numbers, prepend=numbers[0] - 2) > 1
    gap_below = np.diff(numbers, append=numbers[-1] + 2) > 1
    capitals = [sum(w[:1].isupper() for w in line.text.split()) / max(line.words, 1) for line in lines]
    digits = [sum(c.isdigit() for c in line.text) / line.chars for line in lines]
    question = [line.text.endswith("?") for line in lines]
    return np.column_stack((np.minimum(capitals, 1.0), digits, question, gap_above, gap_below))


def line_features(lines: Sequence[RuledLine], reasons: dict[str, int]) -> np.ndarray:
    """The model's input: one row per line, its own features, its position, and its neighbours'."""
    own = _own_columns(lines, reasons)
    context = own[:, [0, 2, 5, 6, 7]]  # kept, good, bad, stop-word share, length
    neighbours = [
        shifted(context[:, k], offset, 0.0) for offset in NEIGHBOURS for k in range(context.shape[1])
    ]
    kept_chars = own[:, 0] * np.array([line.chars for line in lines])
    above = np.cumsum(kept_chars) / max(kept_chars.sum(), 1.0)
    return np.column_stack((
        own, _position_columns(own), _shape_columns(lines), *neighbours,
        _run_lengths(own[:, 0], 1), _run_lengths(own[:, 0], -1), above,
    ))  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class LineModel:
    """Logistic regression weights as trained by scripts/train_cleaner.py."""

    reasons: dict[str, int]
    coefficients: np.ndarray
    intercept: float
    threshold: float

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> LineModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            reasons={reason: i for i, reason in enumerate(data["reasons"])},
            coefficients=np.asarray(data["coefficients"], dtype=float),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )

    def probabilities(self, lines: Sequence[RuledLine]) -> np.ndarray:
        """Each line's probability of being story text."""
        if not lines:
            return np.zeros(0)
        logits = line_features(lines, self.reasons) @ self.coefficients + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def keeps(self, lines: Sequence[RuledLine]) -> list[bool]:
        """Whether each line is story text by the model."""
        return (self.probabilities(lines) >= self.threshold).tolist()
