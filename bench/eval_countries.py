"""Score country tagging ("about" sets) on Reuters-21578 and the hand-labelled Wikinews set; print P/R/F1 and speed.

Run: python bench/eval_countries.py [--shared ../shared] [--set NAME] [--errors N] [--per-country]
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateline.process.countries import CountryTagger, mention_forms  # noqa: E402
from dateline.process.gazetteer import default_gazetteer  # noqa: E402

LABELS = ROOT / "tests" / "quality" / "labels_countries.jsonl"
# Reuters place codes whose ISO code is not found by looking the name up in the gazetteer.
REUTERS_CODES = {
    "usa": "US", "uk": "GB", "ussr": "RU", "uae": "AE", "west-germany": "DE", "east-germany": "DE",
    "yemen-arab-republic": "YE", "yemen-demo-republic": "YE", "congo": "CG", "us-virgin-islands": "VI",
    "south-korea": "KR", "north-korea": "KP", "hong-kong": "HK", "zaire": "CD",
}  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Doc:
    key: str
    title: str
    text: str
    dateline: str | None
    gold: frozenset[str]
    date: str = ""


def reuters_code(place: str) -> str:
    if place in REUTERS_CODES:
        return REUTERS_CODES[place]
    entries = default_gazetteer().by_surface.get(place.replace("-", " "))
    if not entries or not entries[0].code:
        raise ValueError(f"unmapped Reuters place code: {place}")
    return entries[0].code


def _field(block: str, tag: str) -> str:
    found = re.search(rf"<{tag}(?: [^>]*)?>(.*?)</{tag}>", block, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def load_reuters(path: Path) -> list[Doc]:
    """Every story of reut2-000.sgm, with its PLACES as the gold "about" set."""
    raw = path.read_text(encoding="latin-1")
    docs = []
    for block in re.findall(r"<REUTERS(.*?)</REUTERS>", raw, re.S):
        places = re.findall(r"<D>(.*?)</D>", _field(block, "PLACES"))
        body = _field(block, "BODY") or (_field(block, "TEXT") if not _field(block, "TITLE") else "")
        body = re.sub(r"\s*Reuter\s*\x03?\s*$", "", body)
        newid = re.search(r'NEWID="(\d+)"', block)
        docs.append(
            Doc(
                key=newid.group(1) if newid else str(len(docs)),
                title=_field(block, "TITLE"),
                text=body,
                dateline=_field(block, "DATELINE") or None,
                gold=frozenset(reuters_code(p) for p in places),
            )
        )
    return docs


def load_wikinews(samples: Path, labels: Path = LABELS) -> list[Doc]:
    """The hand-labelled Wikinews articles; the text's leading date line is left in, as users paste it."""
    gold = {}
    with labels.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                gold[row["url"]] = frozenset(row["about"])
    docs = []
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        with (samples / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["url"] in gold:
                    docs.append(Doc(key=row["url"], title=row["title"], text=row["text"], dateline=None,
                                    gold=gold[row["url"]], date=name[9:13]))  # fmt: skip
    return docs


def predict(tagger: CountryTagger, docs: Iterable[Doc]) -> list[frozenset[str]]:
    return [
        frozenset(t.code for t in tagger.tag(d.title, d.text, dateline=d.dateline) if t.about) for d in docs
    ]


def confusion(
    golds: list[frozenset[str]], preds: list[frozenset[str]]
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """True positives, false positives and false negatives per country code."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in zip(golds, preds, strict=True):
        tp.update(gold & pred)
        fp.update(pred - gold)
        fn.update(gold - pred)
    return tp, fp, fn


def prf(t: int, p: int, n: int) -> tuple[float, float, float]:
    precision = t / (t + p) if t + p else 0.0
    recall = t / (t + n) if t + n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def scores(golds: list[frozenset[str]], preds: list[frozenset[str]]) -> dict[str, float]:
    """Micro P/R/F1 over all (doc, country) pairs; macro F1 averaged over countries with gold support."""
    tp, fp, fn = confusion(golds, preds)
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    supported = [c for c in set(tp) | set(fn) if tp[c] + fn[c] > 0]
    per = [prf(tp[c], fp[c], fn[c]) for c in supported]
    macro_p = sum(p for p, _, _ in per) / len(per) if per else 0.0
    macro_r = sum(r for _, r, _ in per) / len(per) if per else 0.0
    macro_f = sum(f for _, _, f in per) / len(per) if per else 0.0
    return {"micro_p": micro[0], "micro_r": micro[1], "micro_f1": micro[2],
            "macro_p": macro_p, "macro_r": macro_r, "macro_f1": macro_f, "countries": len(supported)}  # fmt: skip


def evaluate(tagger: CountryTagger, docs: list[Doc]) -> dict[str, float]:
    # CPU time of this process, not wall time: "per core" speed stays meaningful on a busy machine.
    start = time.process_time()
    preds = predict(tagger, docs)
    elapsed = time.process_time() - start
    result = scores([d.gold for d in docs], preds)
    result["docs"] = len(docs)
    result["docs_per_s"] = len(docs) / elapsed if elapsed else float("inf")
    return result


def show(name: str, r: dict[str, float]) -> None:
    print(
        f"{name:<22} n={r['docs']:>4}  micro P/R/F1 {r['micro_p']:.3f}/{r['micro_r']:.3f}/{r['micro_f1']:.3f}"
        f"  macro P/R/F1 {r['macro_p']:.3f}/{r['macro_r']:.3f}/{r['macro_f1']:.3f} ({r['countries']} countries)"
        f"  {r['docs_per_s']:,.0f} docs/s per core"
    )


def show_per_country(tagger: CountryTagger, docs: list[Doc]) -> None:
    """Countries with any error, worst F1 first: where the macro average loses its points."""
    tp, fp, fn = confusion([d.gold for d in docs], predict(tagger, docs))
    rows = sorted((prf(tp[c], fp[c], fn[c])[2], c) for c in set(tp) | set(fp) | set(fn) if fp[c] or fn[c])
    print("    code  gold  tp  fp  fn    F1")
    for f1, code in rows:
        print(f"    {code:<4} {tp[code] + fn[code]:>5} {tp[code]:>3} {fp[code]:>3} {fn[code]:>3}  {f1:.2f}")


def show_errors(tagger: CountryTagger, docs: list[Doc], limit: int) -> None:
    """Stories whose predicted set differs from the gold set, with every tag's salience and words."""
    for d in docs:
        tags = tagger.tag(d.title, d.text, dateline=d.dateline)
        pred = frozenset(t.code for t in tags if t.about)
        if pred != d.gold and limit > 0:
            limit -= 1
            found = [(t.code, t.salience, t.mentions, mention_forms(d.text, t)[:3]) for t in tags]
            print(f"--- {d.key} gold={sorted(d.gold)} pred={sorted(pred)} chars={len(d.text)} {found}")
            print(
                f"    missed={sorted(d.gold - pred)} extra={sorted(pred - d.gold)}  {d.title} | {d.dateline}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--errors", type=int, default=0, help="print this many misses per set")
    parser.add_argument("--set", default="all", help="one set name (see the output), or all")
    parser.add_argument("--per-country", action="store_true", help="print TP/FP/FN per country with errors")
    args = parser.parse_args()
    tagger = CountryTagger()
    reuters = load_reuters(args.shared / "dev" / "reuters21578" / "reut2-000.sgm")
    # An empty PLACES field mostly marks a story the indexers never coded (TOPICS="NO"), not "no country".
    sets = {
        "reuters-dev": [d for d in reuters[:500] if d.gold],  # tuned on
        "reuters-holdout": [d for d in reuters[500:] if d.gold],  # checked only
        "reuters-labelled": [d for d in reuters if d.gold],
        "reuters-all-docs": reuters,
    }
    samples = ROOT / "data" / "samples"
    if not (samples / "wikinews_2019.csv").exists():
        samples = args.shared / "samples" / "wikinews"
    if LABELS.exists():
        wikinews = load_wikinews(samples)
        sets["wikinews-2019"] = [d for d in wikinews if "2019" in d.date]  # tuned on
        sets["wikinews-2020"] = [d for d in wikinews if "2020" in d.date]  # checked only
        sets["wikinews"] = wikinews
    for name, docs in sets.items():
        if args.set in ("all", name):
            show(name, evaluate(tagger, docs))
            if args.per_country:
                show_per_country(tagger, docs)
            show_errors(tagger, docs, args.errors)


if __name__ == "__main__":
    main()
