"""HTML extraction quality (snippet P/R/F1 on the shared dev set) and throughput, one core.

Run by hand:  python bench/bench_html.py [--repeat N] [--defaults-only] [--dev PATH]
It scores `dateline.process.html.extract_html` with and without trafilatura's fallback extractors
and favor_precision, and plain `trafilatura.extract` (default settings) as the reference, the way
trafilatura's evaluation does: a `with` snippet found is a true positive, missed a false negative; a `without` snippet found is a
false positive, absent a true negative.

With the dumps of `bench/render_dumps.py` present (`--dumps`, default /tmp/dateline-dumps), it also scores
token-overlap F1 (the issue's metric) against the story lines hand-labelled in
`tests/quality/cleaning_gold.jsonl` (31 pages; see bench/token_f1.py): the same pages, as HTML.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateline.models import Problem  # noqa: E402
from dateline.process.html import extract_html  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from token_f1 import bag_counts, gold_story, load_gold, sha256  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "dev" / "extraction"


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, text: str, with_snippets: list[str], without_snippets: list[str]) -> None:
        for snippet in with_snippets:
            if snippet in text:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without_snippets:
            if snippet in text:
                self.fp += 1
            else:
                self.tn += 1

    def report(self) -> dict[str, float]:
        precision = self.tp / max(1, self.tp + self.fp)
        recall = self.tp / max(1, self.tp + self.fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        accuracy = (self.tp + self.tn) / max(1, self.tp + self.tn + self.fp + self.fn)
        return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def load_pages(dev: Path) -> list[tuple[str, str, dict]]:
    """(url, html, annotation) for every annotated page."""
    annotations = json.loads((dev / "annotations.json").read_text(encoding="utf-8"))
    pages = []
    for url, entry in annotations.items():
        raw = gzip.decompress((dev / entry["file"]).read_bytes())
        pages.append((url, raw.decode("utf-8", errors="replace"), entry))
    return pages


def dateline_extractor(favor_precision: bool, fast: bool) -> Callable[[str, str], str]:
    def run(html: str, url: str) -> str:
        result = extract_html(html, url=url, favor_precision=favor_precision, fast=fast)
        return "" if isinstance(result, Problem) else result.text

    return run


def trafilatura_default(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def gold_pages(pages: list[tuple[str, str, dict]], dumps: Path) -> list[tuple[str, str, str]]:
    """(url, html, gold story text) for every hand-labelled dump whose labels are current."""
    index = dumps / "index.json"
    if not index.exists():
        return []
    url_of = {row["dump"]: row["url"] for row in json.loads(index.read_text(encoding="utf-8"))}
    html_of = {url: html for url, html, _ in pages}
    found = []
    for label in load_gold():
        dump = dumps / label["dump"]
        text = dump.read_text(encoding="utf-8") if dump.exists() else ""
        if sha256(text) == label["sha256"] and url_of.get(label["dump"]) in html_of:
            url = url_of[label["dump"]]
            found.append((url, html_of[url], gold_story(text, label["story"])))
    return found


def token_f1(gold: list[tuple[str, str, str]], extractor: Callable[[str, str], str]) -> tuple[float, float]:
    """(micro, macro) token-overlap F1 of the extractor's text against the gold story words."""
    tp = fp = fn = 0
    per_page = []
    for url, html, story in gold:
        t, f, n = bag_counts(extractor(html, url), story)
        tp, fp, fn = tp + t, fp + f, fn + n
        per_page.append(2 * t / max(1, 2 * t + f + n))
    return 2 * tp / max(1, 2 * tp + fp + fn), sum(per_page) / max(1, len(per_page))


def evaluate(pages: list[tuple[str, str, dict]], extractor: Callable[[str, str], str], repeat: int) -> dict:
    """Scores from a first pass (which also pays the one-off warm-up), then pages per CPU-second as the
    best of `repeat` timed passes (as timeit does: on a shared machine the fastest pass is the least
    disturbed)."""
    score = Score()
    for url, html, entry in pages:
        score.add(extractor(html, url), entry.get("with", []), entry.get("without", []))
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for url, html, _entry in pages:
            extractor(html, url)
        best = min(best, time.process_time() - started)
    return {**score.report(), "pages_per_s": len(pages) / best}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--repeat", type=int, default=1, help="timed passes, best one counts")
    parser.add_argument("--defaults-only", action="store_true", help="only extract_html with its defaults")
    parser.add_argument(
        "--dumps", type=Path, default=Path("/tmp/dateline-dumps"), help="render_dumps.py output"
    )
    args = parser.parse_args()
    pages = load_pages(args.dev)
    gold = gold_pages(pages, args.dumps)
    print(f"{len(pages)} pages from {args.dev}; {len(gold)} with hand-labelled story words")
    runs = {
        "extract_html (defaults: fast)": dateline_extractor(False, True),
        "extract_html fast, favor_precision": dateline_extractor(True, True),
        "extract_html with fallback": dateline_extractor(False, False),
        "extract_html with fallback, favor_precision": dateline_extractor(True, False),
        "trafilatura.extract defaults (text only)": trafilatura_default,
    }
    if args.defaults_only:
        runs = dict(list(runs.items())[:1])
    print(f"{'extractor':44} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'pages/s':>8} {'tokF1':>6} {'macro':>6}")
    for name, extractor in runs.items():
        result = evaluate(pages, extractor, args.repeat)
        micro, macro = token_f1(gold, extractor) if gold else (float("nan"), float("nan"))
        print(
            f"{name:44} {result['precision']:6.3f} {result['recall']:6.3f} {result['f1']:6.3f}"
            f" {result['accuracy']:6.3f} {result['pages_per_s']:8.1f} {micro:6.3f} {macro:6.3f}"
        )
    print("load average (1, 5, 15 min): " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
