"""Score the dump cleaner on dumps rendered from the extraction dev set, against a simple baseline.

Snippet-level scoring, as trafilatura's evaluation does: a `with` snippet found in the cleaned text is a
true positive, one missing a false negative; a `without` snippet found is a false positive, one absent a
true negative. Precision = TP/(TP+FP), recall = TP/(TP+FN), F1 their harmonic mean; accuracy =
(TP+TN)/all. White space is collapsed and invisible format characters (zero-width space, soft hyphen, ...) dropped on both sides before matching. Pages whose position in the sorted
index is a multiple of 4 are held out (not looked at while tuning) and scored separately. Token-overlap F1
(the issue's metric: words, not snippets), against snippet-anchored lines and hand-labelled gold story
lines, is computed by token_f1.py and printed after the snippet scores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_dumps import DEFAULT_OUT, DEV_DIR, render_all  # noqa: E402
from token_f1 import PrecisionRecall, anchored_scores, flatten, gold_scores, load_gold  # noqa: E402

from dateline.process.clean import clean_text  # noqa: E402

BASELINE_MIN_CHARS = 80


@dataclass
class Score(PrecisionRecall):
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, text: str, with_: list[str], without: list[str]) -> None:
        flat = flatten(text)
        for snippet in with_:
            found = flatten(snippet).strip() in flat
            self.tp, self.fn = self.tp + found, self.fn + (not found)
        for snippet in without:
            found = flatten(snippet).strip() in flat
            self.fp, self.tn = self.fp + found, self.tn + (not found)

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fn + self.fp + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    def line(self) -> str:
        return (
            f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} acc={self.accuracy:.3f} "
            f"(TP={self.tp} FN={self.fn} FP={self.fp} TN={self.tn})"
        )


def whole_dump(text: str) -> str:
    return text


def longest_long_block(text: str) -> str:
    """Baseline: the run of consecutive long lines (blank lines ignored) with the most characters."""
    best: list[str] = []
    run: list[str] = []
    for line in [line.strip() for line in text.splitlines() if line.strip()] + [""]:
        if len(line) >= BASELINE_MIN_CHARS:
            run.append(line)
            continue
        if sum(map(len, run)) > sum(map(len, best)):
            best = run
        run = []
    return "\n\n".join(best)


def cleaner(text: str) -> str:
    return clean_text(text).text


def load_dumps(dump_dir: Path, dev_dir: Path) -> list[dict]:
    """The rendered dumps with their annotations, rendering them first when absent."""
    index = dump_dir / "index.json"
    rows = json.loads(index.read_text(encoding="utf-8")) if index.exists() else render_all(dev_dir, dump_dir)
    for row in rows:
        row["text"] = (dump_dir / row["dump"]).read_text(encoding="utf-8")
    return rows


def score(rows: list[dict], extract: Callable[[str], str]) -> tuple[Score, Score]:
    """(tuning pages, held-out pages) scores."""
    tuning, held_out = Score(), Score()
    for number, row in enumerate(rows):
        target = held_out if number % 4 == 0 else tuning
        target.add(extract(row["text"]), row["with"], row["without"])
    return tuning, held_out


def throughput(rows: list[dict], extract: Callable[[str], object], rounds: int) -> float:
    """Dumps per CPU-second, best of `rounds` passes (as timeit does: the machine is shared, and the
    fastest pass is the one least disturbed by other work)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for row in rows:
            extract(row["text"])
        best = min(best, time.process_time() - start)
    return len(rows) / best


SEED = Path(__file__).resolve().parents[1] / "data" / "samples" / "seed_urdupoint_2023-06-17.txt"


def seed_speed(rounds: int) -> dict[str, float]:
    """clean_text and parse_dump calls per CPU-second on the seed dump (best of `rounds` passes of 200)."""
    from dateline.process.dump import parse_dump

    text = SEED.read_text(encoding="utf-8")
    rates = {}
    for name, function in (("clean_text", clean_text), ("parse_dump", parse_dump)):
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            for _ in range(200):
                function(text)
            best = min(best, time.process_time() - start)
        rates[name] = 200 / best
    return rates


def _squash(text: str | None) -> str:
    return re.sub(r"\W+", " ", text or "").strip().lower()


def _same(found: str | None, truth: str | None) -> bool:
    """Equal after folding case and punctuation, or one contains the other (longer than 10 characters)."""
    a, b = _squash(found), _squash(truth)
    return bool(a and b) and (a == b or (min(len(a), len(b)) > 10 and (a in b or b in a)))


def metadata_scores(rows: list[dict], dev_dir: Path) -> dict[str, tuple[int, int]]:
    """parse_dump's title/author/date on the dumps against trafilatura's metadata of the HTML pages
    (the title also counts as right when it matches the page's first <h1>): {field: (right, pages)}."""
    from lxml import html
    from trafilatura import extract_metadata

    from dateline.process.dates import normalize_published
    from dateline.process.dump import parse_dump

    annotations = json.loads((dev_dir / "annotations.json").read_text(encoding="utf-8"))
    right = {"title": 0, "author": 0, "date": 0}
    total = {"title": 0, "author": 0, "date": 0}
    for row in rows:
        page = gzip.decompress((dev_dir / annotations[row["url"]]["file"]).read_bytes())
        truth = extract_metadata(page)
        h1 = html.fromstring(page).xpath("string(//h1)")
        parsed = parse_dump(row["text"])
        total["title"] += 1
        right["title"] += _same(parsed.title, truth.title if truth else None) or _same(parsed.title, h1)
        if truth and truth.author:
            total["author"] += 1
            right["author"] += any(_same(parsed.author, name) for name in truth.author.split(";")) or _same(
                parsed.author, truth.author
            )
        if truth and truth.date:
            total["date"] += 1
            iso = normalize_published(parsed.published) if parsed.published else None
            right["date"] += iso is not None and iso[:10] == truth.date[:10]
    return {field: (right[field], total[field]) for field in right}


def print_token_scores(rows: list[dict], extractors: tuple[tuple[str, Callable[[str], str]], ...]) -> None:
    """Token-overlap F1 (the issue's metric) against snippet-anchored lines and the hand-labelled gold."""
    print("token F1, snippet-anchored lines (words of lines holding a with/without snippet):")
    for name, extract in extractors:
        tuning, held_out = anchored_scores(rows, extract)
        print(f"{name:9} all      {tuning.merged(held_out).line()}")
        print(f"{name:9} tuning   {tuning.line()}")
        print(f"{name:9} held-out {held_out.line()}")
    gold = load_gold()
    print(f"token F1, hand-labelled gold story text ({len(gold)} pages):")
    stale: list[str] = []
    for name, extract in extractors:
        everything, held_out, stale = gold_scores(rows, extract, gold)
        print(f"{name:9} all      {everything.line()}")
        print(f"{name:9} held-out {held_out.line()}")
    if stale:
        print(f"STALE gold labels (dump text changed; relabel): {', '.join(stale)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dumps", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--dev", type=Path, default=DEV_DIR)
    parser.add_argument(
        "--rounds", type=int, default=3, help="passes over all dumps for the speed figure (best one counts)"
    )
    parser.add_argument("--misses", action="store_true", help="list tuning-set snippets scored wrong")
    parser.add_argument("--metadata", action="store_true", help="also score title/author/date of parse_dump")
    args = parser.parse_args(argv)
    rows = load_dumps(args.dumps, args.dev)
    print(f"{len(rows)} dumps ({sum(1 for n in range(len(rows)) if n % 4 == 0)} held out)")
    extractors = (("cleaner", cleaner), ("baseline", longest_long_block), ("dump", whole_dump))
    print("snippet F1 (each snippet counts once):")
    for name, extract in extractors:
        tuning, held_out = score(rows, extract)
        everything = Score(*(getattr(tuning, f) + getattr(held_out, f) for f in ("tp", "fn", "fp", "tn")))
        print(f"{name:9} all      {everything.line()}")
        print(f"{name:9} tuning   {tuning.line()}")
        print(f"{name:9} held-out {held_out.line()}")
    print_token_scores(rows, extractors)
    rate = throughput(rows, cleaner, args.rounds)
    chars = sum(len(row["text"]) for row in rows) / len(rows)
    print(
        f"cleaner speed: {rate:.0f} dumps/s on one core (best of {args.rounds} passes, CPU time) (mean dump {chars / 1000:.1f} kB)"
    )
    from dateline.process.dump import parse_dump

    rate = throughput(rows, parse_dump, args.rounds)
    print(f"parse_dump speed: {rate:.0f} dumps/s on one core (same dumps, cleaning included)")
    print("load average (1, 5, 15 min): " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    if SEED.exists():
        for name, rate in seed_speed(args.rounds).items():
            print(
                f"{name} on the seed dump ({SEED.stat().st_size / 1000:.1f} kB): {rate:.0f} dumps/s on one core"
            )
    if args.metadata:
        for field, (right, pages) in metadata_scores(rows, args.dev).items():
            print(
                f"parse_dump {field:6}: {right}/{pages} = {right / pages:.2f} (pages where the HTML states it)"
            )
    if args.misses:
        for number, row in enumerate(rows):
            if number % 4 == 0:
                continue
            flat = flatten(cleaner(row["text"]))
            for snippet in row["with"]:
                if flatten(snippet).strip() not in flat:
                    print(f"FN {row['dump']}: {snippet!r}")
            for snippet in row["without"]:
                if flatten(snippet).strip() in flat:
                    print(f"FP {row['dump']}: {snippet!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
