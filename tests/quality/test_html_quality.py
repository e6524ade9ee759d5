"""Score floor for HTML extraction on the shared dev set (snippet precision/recall, as trafilatura evaluates)."""

from __future__ import annotations

import gzip
import json

import pytest

from dateline.models import Problem
from dateline.process.html import extract_html

pytestmark = pytest.mark.quality

# Measured 2026-11-28 with bench/bench_html.py: P 0.911, R 0.932, F1 0.921 (defaults). Floors leave
# room for library updates but catch a broken extractor or a bad default.
FLOORS = {"precision": 0.88, "recall": 0.90, "f1": 0.90}


def test_extraction_scores_stay_above_the_floor(shared_dir):
    folder = shared_dir / "dev" / "extraction"
    annotations = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    tp = fn = fp = 0
    for url, entry in annotations.items():
        html = gzip.decompress((folder / entry["file"]).read_bytes()).decode("utf-8", errors="replace")
        result = extract_html(html, url=url)
        text = "" if isinstance(result, Problem) else result.text
        found = sum(snippet in text for snippet in entry["with"])
        tp, fn = tp + found, fn + len(entry["with"]) - found
        fp += sum(snippet in text for snippet in entry["without"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    scores = {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}
    assert len(annotations) >= 140
    assert {name: round(value, 3) for name, value in scores.items() if value < FLOORS[name]} == {}
