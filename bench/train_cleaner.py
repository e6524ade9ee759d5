"""Train the dump cleaner's line model on the extraction dev set; cross-validated by page, scored held out.

Labels come from the annotations: a line holding a `with` snippet (or lying inside one) is story, a line
holding a `without` snippet is chrome, other lines are unlabelled. Pages at positions 0, 4, 8, ... of the
sorted index are held out: never trained on, scored once at the end. Needs scikit-learn (training only).

    python bench/render_dumps.py && python bench/train_cleaner.py [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_clean import Score, flatten, load_dumps  # noqa: E402
from line_model import NEIGHBOURS, WEIGHTS, line_features, shifted  # noqa: E402
from render_dumps import DEFAULT_OUT, DEV_DIR  # noqa: E402

from dateline.process.clean import rule_blocks  # noqa: E402

MIN_LINE_IN_SNIPPET = 30  # a shorter line inside a long snippet ("Share", "1") says little
FOLDS = 5
SOFT = {"short", "short between good", "short beside near good", "short at the edge", "short among chrome",
        "near good", "near good among chrome", "short sentence", "sentence with few stop-words",
        "heading", "inside the main block", "outside the main block"}  # fmt: skip


def line_labels(texts: list[str], with_: list[str], without: list[str]) -> list[int | None]:
    """1 story, 0 chrome, None unlabelled, for each line text."""
    story = [flatten(s).strip() for s in with_]
    chrome = [flatten(s).strip() for s in without]
    labels: list[int | None] = []
    for text in texts:
        flat = flatten(text).strip()
        inside = len(flat) >= MIN_LINE_IN_SNIPPET
        if any(s and s in flat for s in story) or (inside and any(flat in s for s in story)):
            labels.append(1)
        elif any(s and s in flat for s in chrome) or (inside and any(flat in s for s in chrome)):
            labels.append(0)
        else:
            labels.append(None)
    return labels


def prepare(rows: list[dict], reasons: dict[str, int]) -> list[dict]:
    """Rule verdicts, features and labels of every page."""
    pages = []
    for row in rows:
        blocks, _ = rule_blocks(row["text"])
        labels = line_labels([b.text for b in blocks], row["with"], row["without"])
        pages.append({"row": row, "blocks": blocks, "labels": labels, "x": line_features(blocks, reasons)})
    return pages


def fit(pages: list[dict], c: float) -> LogisticRegression:
    xs, ys = [], []
    for page in pages:
        for x, y in zip(page["x"], page["labels"], strict=True):
            if y is not None:
                xs.append(x)
                ys.append(y)
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(np.array(xs), np.array(ys))
    return model


Predictor = Callable[[dict], np.ndarray]


def single(train: list[dict], c: float) -> Predictor:
    """One logistic regression over the line features."""
    model = fit(train, c)
    return lambda page: model.predict_proba(page["x"])[:, 1]


def _with_probabilities(page: dict, probs: np.ndarray) -> dict:
    """The page with its lines' and their neighbours' first-stage probabilities added as features."""
    columns = [probs, *(shifted(probs, offset, 0.0) for offset in NEIGHBOURS)]
    return dict(page, x=np.column_stack((page["x"], *columns)))


def stacked(train: list[dict], c: float) -> Predictor:
    """Two stages: the second also reads the first stage's probabilities of the line and its neighbours
    (out-of-fold on the training pages, so that it learns how far to trust them)."""
    first, out_of_fold = single(train, c), [np.zeros(0)] * len(train)
    for fold in range(FOLDS):
        inner = single([page for i, page in enumerate(train) if i % FOLDS != fold], c)
        for i in range(fold, len(train), FOLDS):
            out_of_fold[i] = inner(train[i])
    second = single([_with_probabilities(p, q) for p, q in zip(train, out_of_fold, strict=True)], c)
    return lambda page: second(_with_probabilities(page, first(page)))


def decide(page: dict, p: np.ndarray, threshold: float, mode: str) -> list[bool]:
    """Which lines are kept: the model alone ("replace") or the model on the rules' soft verdicts only."""
    keeps = []
    for block, prob in zip(page["blocks"], p, strict=True):
        if mode == "replace" or block.reason in SOFT:
            keeps.append(bool(prob >= threshold))
        else:
            keeps.append(block.final == "good")
    return keeps


def score_pages(pages: list[dict], keep: Callable[[dict], list[bool]]) -> Score:
    score = Score()
    for page in pages:
        kept = keep(page)
        text = "\n\n".join(b.text for b, k in zip(page["blocks"], kept, strict=True) if k)
        score.add(text, page["row"]["with"], page["row"]["without"])
    return score


def _decide_by_id(probs: dict[int, np.ndarray], threshold: float, mode: str, page: dict) -> list[bool]:
    return decide(page, probs[id(page)], threshold, mode)


def cross_validate(
    pages: list[dict], c: float, train: Callable[[list[dict], float], Predictor]
) -> dict[tuple[str, float], Score]:
    """Snippet scores of each (mode, threshold) over the pages, each fold scored by a model not fitted on it."""
    probs: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in range(FOLDS):
        predict = train([page for i, page in enumerate(pages) if i % FOLDS != fold], c)
        for i in range(fold, len(pages), FOLDS):
            probs[i] = predict(pages[i])
    by_index = {id(page): p for page, p in zip(pages, probs, strict=True)}
    scores = {}
    for mode in ("replace", "soft"):
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
            scores[mode, threshold] = score_pages(pages, partial(_decide_by_id, by_index, threshold, mode))
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dumps", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--dev", type=Path, default=DEV_DIR)
    parser.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS}")
    parser.add_argument("--stacked", action="store_true", help="score a two-stage model (not writable)")
    args = parser.parse_args(argv)
    rows = load_dumps(args.dumps, args.dev)
    tuning_rows = [row for i, row in enumerate(rows) if i % 4]
    held_rows = [row for i, row in enumerate(rows) if i % 4 == 0]
    reason_names = sorted({b.reason for row in tuning_rows for b in rule_blocks(row["text"])[0]})
    reasons = {name: i for i, name in enumerate(reason_names)}
    tuning, held = prepare(tuning_rows, reasons), prepare(held_rows, reasons)
    labelled = sum(y is not None for page in tuning for y in page["labels"])
    print(f"{len(tuning)} tuning pages, {labelled} labelled lines; {len(held)} held-out pages")
    rules = score_pages(tuning, lambda page: [b.final == "good" for b in page["blocks"]])
    print(f"rules, tuning            {rules.line()}")
    best = None
    for c in (0.1, 0.3, 1.0, 3.0):
        for (mode, threshold), score in cross_validate(
            tuning, c, stacked if args.stacked else single
        ).items():
            print(f"cv C={c:<4} {mode:7} t={threshold} {score.line()}")
            if best is None or score.f1 > best[0]:
                best = (score.f1, c, mode, threshold)
    assert best is not None
    _, c, mode, threshold = best
    print(f"best by cross-validation: C={c} mode={mode} threshold={threshold}")
    predict = (stacked if args.stacked else single)(tuning, c)
    p_held = {id(page): predict(page) for page in held}
    rules_held = score_pages(held, lambda page: [b.final == "good" for b in page["blocks"]])
    model_held = score_pages(held, lambda page: decide(page, p_held[id(page)], threshold, mode))
    print(f"rules, held-out          {rules_held.line()}")
    print(f"model, held-out          {model_held.line()}")
    if args.write and not args.stacked:
        model = fit(tuning, c)
        WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "reasons": reason_names, "coefficients": model.coef_[0].round(6).tolist(),
            "intercept": round(float(model.intercept_[0]), 6), "threshold": threshold, "mode": mode,
            "soft_reasons": sorted(SOFT), "C": c, "trained_on": f"{len(tuning)} tuning pages",
        }  # fmt: skip
        WEIGHTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
