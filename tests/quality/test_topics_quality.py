"""Score floors for the topic tagger over the hand-labelled sets (just below what it reaches today)."""

from __future__ import annotations

import pytest

from bench.eval_topics import (
    class_macro_f1,
    evaluate_agnews,
    evaluate_wikinews,
    load_agnews_style,
    load_wikinews_labels,
    multilabel_scores,
)
from dateline.process.taxonomy import load_taxonomy
from dateline.process.topics import get_topic_tagger

pytestmark = pytest.mark.quality

WIKINEWS_FLOORS = {
    "all_micro_f1": 0.80,
    "all_macro_f1": 0.62,
    "top_micro_f1": 0.85,
    "top_macro_f1": 0.77,
    "primary_accuracy": 0.90,
}


@pytest.fixture(scope="module")
def wikinews_scores(shared_dir) -> dict[str, float]:
    labelled = load_wikinews_labels(shared_dir / "samples" / "wikinews", load_taxonomy())
    assert len(labelled) >= 100
    return evaluate_wikinews(get_topic_tagger(), labelled)


@pytest.mark.parametrize(("metric", "floor"), sorted(WIKINEWS_FLOORS.items()))
def test_wikinews_multilabel_floor(wikinews_scores: dict[str, float], metric: str, floor: float) -> None:
    assert wikinews_scores[metric] >= floor, f"{metric} {wikinews_scores[metric]:.3f} < {floor}"


def test_agnews_style_short_items_floor() -> None:
    items = load_agnews_style()
    assert len(items) >= 240
    scores = evaluate_agnews(get_topic_tagger(), items)
    assert scores["macro_f1"] >= 0.93, scores


def test_metrics_on_a_hand_computed_case() -> None:
    gold = [frozenset({"a", "b"}), frozenset({"a"})]
    predicted = [frozenset({"a"}), frozenset({"a", "c"})]
    scores = multilabel_scores(gold, predicted)
    assert scores.micro_p == pytest.approx(2 / 3)
    assert scores.micro_r == pytest.approx(2 / 3)
    # per code F1: a = 1.0, b = 0.0, c = 0.0
    assert scores.macro_f1 == pytest.approx(1 / 3)
    assert class_macro_f1(["x", "y", "y"], ["x", "y", "x"]) == pytest.approx((2 / 3 + 2 / 3) / 2)
