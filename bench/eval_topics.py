"""Score the topic tagger against hand labels and measure its speed (run by hand; prints results).

    python bench/eval_topics.py                 # quality on both labelled sets (about topics; about +
                                                # mentions; how many mentions are labelled) + articles/s
    python bench/eval_topics.py --explain 12    # show topics and cue evidence for one labelled article
    python bench/eval_topics.py --backend embeddings
    python bench/eval_topics.py --lexicon my.toml     # score a candidate lexicon file
    python bench/eval_topics.py --secondary-search   # can any rule add the seed story's secondary topics?

Labelled sets (tests/quality/): labels_topics.jsonl (120 Wikinews articles, keyed by url; text read from
../shared/samples/wikinews) and agnews_style_topics.jsonl (240 short items, world/business/scitech/sport).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateline.process.taxonomy import Taxonomy, load_taxonomy  # noqa: E402
from dateline.process.topics import (  # noqa: E402
    LexiconTagger,
    find_phrases,
    get_topic_tagger,
    read_lexicon,
    words,
)

QUALITY = ROOT / "tests" / "quality"
LABELS = QUALITY / "labels_topics.jsonl"
AGNEWS = QUALITY / "agnews_style_topics.jsonl"
WIKINEWS = ROOT.parent / "shared" / "samples" / "wikinews"
SEED = ROOT / "data" / "samples" / "seed_urdupoint_2023-06-17.txt"
SEED_TITLE = "Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts Amid Rising Tensions"
SEED_WANTED = frozenset({"medtop:04000000", "medtop:16000000"})  # issue 3: economy and conflict, lower
AG_CLASS_OF_TOP = {"medtop:15000000": "sport", "medtop:04000000": "business", "medtop:13000000": "scitech"}


@dataclass(frozen=True, kw_only=True)
class Labelled:
    key: str
    title: str
    text: str
    gold: frozenset[str]  # labelled codes with their ancestors
    gold_primary: str  # top-level ancestor of the first labelled code


@dataclass(frozen=True, kw_only=True)
class Scores:
    micro_p: float
    micro_r: float
    micro_f1: float
    macro_p: float
    macro_r: float
    macro_f1: float


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def multilabel_scores(gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]]) -> Scores:
    """Micro and macro P/R/F1; macro averages over every code that is labelled or predicted."""
    codes = set().union(*gold, *predicted)
    tp = {c: 0 for c in codes}
    fp = dict(tp)
    fn = dict(tp)
    for g, p in zip(gold, predicted, strict=True):
        for c in g & p:
            tp[c] += 1
        for c in p - g:
            fp[c] += 1
        for c in g - p:
            fn[c] += 1
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = all_tp / (all_tp + all_fp) if all_tp + all_fp else 0.0
    micro_r = all_tp / (all_tp + all_fn) if all_tp + all_fn else 0.0
    per_p = [tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0 for c in codes]
    per_r = [tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0 for c in codes]
    per_f = [f1(p, r) for p, r in zip(per_p, per_r, strict=True)]
    n = max(len(codes), 1)
    return Scores(
        micro_p=micro_p,
        micro_r=micro_r,
        micro_f1=f1(micro_p, micro_r),
        macro_p=sum(per_p) / n,
        macro_r=sum(per_r) / n,
        macro_f1=sum(per_f) / n,
    )


def class_macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Single-label macro-F1 over the gold classes."""
    total = 0.0
    classes = sorted(set(gold))
    for c in classes:
        tp = sum(g == p == c for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == c != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == c != p for g, p in zip(gold, predicted, strict=True))
        total += f1(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
    return total / len(classes)


def with_ancestors(codes: Iterable[str], taxonomy: Taxonomy) -> frozenset[str]:
    return frozenset(a for c in codes for a in (c, *taxonomy.ancestors(c)))


def load_wikinews_labels(wikinews_dir: Path, taxonomy: Taxonomy) -> list[Labelled]:
    rows = {}
    for path in sorted(wikinews_dir.glob("wikinews_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.update({row["url"]: row for row in csv.DictReader(handle)})
    labelled = []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        row = rows[label["url"]]
        labelled.append(
            Labelled(
                key=label["url"],
                title=row["title"],
                text=row["text"],
                gold=with_ancestors(label["topics"], taxonomy),
                gold_primary=taxonomy.top_ancestor(label["topics"][0]),
            )
        )
    return labelled


def load_agnews_style() -> list[dict[str, str]]:
    return [json.loads(line) for line in AGNEWS.read_text(encoding="utf-8").splitlines()]


def ag_class(tags: Sequence) -> str:
    """World / business / scitech / sport from the best-scoring top-level topic (world if none)."""
    tops = [t for t in tags if t.about and not t.code.startswith("medtop:2")]
    return AG_CLASS_OF_TOP.get(tops[0].code, "world") if tops else "world"


def evaluate_wikinews(tagger, labelled: Sequence[Labelled]) -> dict[str, float]:
    """Scores of the about topics; of about + mentioned topics together; and how often a mention is labelled."""
    taxonomy = load_taxonomy()
    top = set(taxonomy.top_level())
    predicted, both, mentions, primaries = [], [], [], []
    for item in labelled:
        tags = tagger.tag(item.title, item.text)
        predicted.append(frozenset(t.code for t in tags if t.about))
        both.append(frozenset(t.code for t in tags))
        mentions.append(frozenset(t.code for t in tags if not t.about))
        primaries.append({t.code for t in tags if t.primary and t.code in top})
    gold = [item.gold for item in labelled]
    every = multilabel_scores(gold, predicted)
    tops = multilabel_scores([g & top for g in gold], [p & top for p in predicted])
    every_both = multilabel_scores(gold, both)
    tops_both = multilabel_scores([g & top for g in gold], [p & top for p in both])
    primary_hits = sum(item.gold_primary in p for item, p in zip(labelled, primaries, strict=True))
    mention_hits = [(len(m & g), len(m)) for m, g in zip(mentions, gold, strict=True)]
    top_hits = [(len(m & g & top), len(m & top)) for m, g in zip(mentions, gold, strict=True)]
    return {
        **{f"all_{k}": v for k, v in every.__dict__.items()},
        **{f"top_{k}": v for k, v in tops.__dict__.items()},
        **{f"both_all_{k}": v for k, v in every_both.__dict__.items()},
        **{f"both_top_{k}": v for k, v in tops_both.__dict__.items()},
        "primary_accuracy": primary_hits / len(labelled),
        "mentions": sum(n for _, n in mention_hits),
        "mentions_labelled": sum(h for h, _ in mention_hits),
        "top_mentions": sum(n for _, n in top_hits),
        "top_mentions_labelled": sum(h for h, _ in top_hits),
        "articles_with_mentions": sum(n > 0 for _, n in mention_hits),
    }


def evaluate_agnews(tagger, items: Sequence[dict[str, str]]) -> dict[str, float]:
    gold = [item["class"] for item in items]
    predicted = [ag_class(tagger.tag(item["title"], item["text"])) for item in items]
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(items)
    return {"accuracy": accuracy, "macro_f1": class_macro_f1(gold, predicted)}


def articles_per_second(
    tagger, articles: Sequence[tuple[str, str]], seconds: float = 3.0
) -> tuple[float, float]:
    """(per CPU-second, per wall-clock second): the first is the per-core rate even on a busy machine."""
    done, wall, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        for title, text in articles:
            tagger.tag(title, text)
        done += len(articles)
    return done / (time.process_time() - cpu), done / (time.perf_counter() - wall)


def explain(tagger, item: Labelled) -> None:
    taxonomy = load_taxonomy()
    print(item.title)
    print("gold:", sorted(taxonomy.label(c) for c in item.gold))
    for tag in tagger.tag(item.title, item.text):
        print(
            f"  {tag.score:.3f} {'*' if tag.primary else ' '} {tag.label}{'' if tag.about else ' (mentioned)'}"
        )
    if hasattr(tagger, "evidence"):
        ranked = sorted(tagger.evidence(item.title, item.text).items(), key=lambda kv: -kv[1])
        print("evidence:", ", ".join(f"{taxonomy.label(c)} {v:.1f}" for c, v in ranked[:12]))


# ---- secondary topics (issue 3): can a rule list mention-level topics without losing precision?

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """A top-level topic with cues that the tagger did not list, described for a secondary-topic rule."""

    code: str
    share: float  # its evidence / the best top-level topic's
    evidence: float
    strong_cues: int  # distinct phrases of weight 2 or 3, so one repeated word counts once
    sentences: int  # sentences holding any of its cues (the headline is one)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """List an unlisted top-level topic as secondary when it passes every bar."""

    share: float
    strong_cues: int
    sentences: int
    evidence: float

    def passes(self, c: Candidate) -> bool:
        return (
            c.share >= self.share
            and c.strong_cues >= self.strong_cues
            and c.sentences >= self.sentences
            and c.evidence >= self.evidence
        )


RULE_GRID = [
    Rule(share=share, strong_cues=strong, sentences=sentences, evidence=evidence)
    for share, strong, sentences, evidence in itertools.product(
        (0.0, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4),
        range(7),
        range(1, 6),
        (0, 4, 6, 8, 10, 15, 20),
    )
]


def seed_story() -> tuple[str, str]:
    """The seed's headline and body as the cleaner leaves it (the dump between its first and last lines)."""
    dump = SEED.read_text(encoding="utf-8")
    start = dump.index("US Secretary of State Antony Blinken will travel to Beijing")
    return SEED_TITLE, dump[start : dump.index("in London.", start) + len("in London.")]


def cue_spread(tagger: LexiconTagger, title: str, text: str) -> dict[str, tuple[int, int]]:
    """Per top-level code with cues: (distinct cues of weight >= 2, sentences holding a cue)."""
    lexicon, tops = tagger.lexicon, set(tagger.taxonomy.top_level())
    text = text[: tagger.limits.max_chars]
    ends = list(itertools.accumulate(len(words(s)) for s in SENTENCE_END.split(text)))
    strong: dict[str, set[tuple[str, ...]]] = {}
    where: dict[str, set[int]] = {}
    for sentence_ends, tokens in ((None, words(title)), (ends, words(text))):
        for position, key in find_phrases(tokens, lexicon):
            sentence = -1 if sentence_ends is None else bisect.bisect_right(sentence_ends, position)
            for index, weight in lexicon.phrases[key]:
                code = lexicon.codes[index]
                if code in tops:
                    where.setdefault(code, set()).add(sentence)
                    if weight >= 2:
                        strong.setdefault(code, set()).add(key)
    return {code: (len(strong.get(code, ())), len(spots)) for code, spots in where.items()}


def unlisted_candidates(tagger: LexiconTagger, title: str, text: str) -> list[Candidate]:
    listed = {t.code for t in tagger.tag(title, text) if t.about}
    evidence = tagger.evidence(title, text)
    best = max((evidence.get(c, 0.0) for c in tagger.taxonomy.top_level()), default=0.0)
    spread = cue_spread(tagger, title, text)
    return [
        Candidate(code=c, share=evidence[c] / best, evidence=evidence[c], strong_cues=s, sentences=n)
        for c, (s, n) in spread.items()
        if c not in listed and evidence.get(c, 0.0) > 0
    ]


def search_secondary_rules(tagger: LexiconTagger, labelled: Sequence[Labelled]) -> None:
    """Grid over Rule: the top-level micro-F1 change on Wikinews, and whether the seed gets its topics."""
    tops = set(tagger.taxonomy.top_level())
    tp = fp = fn = 0
    pool: list[tuple[Candidate, bool]] = []
    for item in labelled:
        listed = {t.code for t in tagger.tag(item.title, item.text) if t.about} & tops
        gold = item.gold & tops
        tp, fp, fn = tp + len(listed & gold), fp + len(listed - gold), fn + len(gold - listed)
        pool += [(c, c.code in gold) for c in unlisted_candidates(tagger, item.title, item.text)]
    seed = unlisted_candidates(tagger, *seed_story())
    base = f1(tp / (tp + fp), tp / (tp + fn))
    print(f"wikinews top-level micro-F1 today {base:.3f} ({tp} right, {fp} wrong, {fn} missed);")
    print(f"{len(pool)} unlisted candidates, {sum(g for _, g in pool)} of them labelled")
    for c in sorted(seed, key=lambda c: -c.evidence)[:6]:
        print(
            f"  seed: {tagger.taxonomy.label(c.code)} share {c.share:.2f} evidence {c.evidence:.1f},"
            f" {c.strong_cues} strong cues in {c.sentences} sentences"
        )
    results = []
    for rule in RULE_GRID:
        right = sum(ok for c, ok in pool if rule.passes(c))
        wrong = sum(not ok for c, ok in pool if rule.passes(c))
        changed = f1((tp + right) / (tp + right + fp + wrong), (tp + right) / (tp + fn))
        results.append((changed - base, right, wrong, {c.code for c in seed if rule.passes(c)}, rule))
    results.sort(key=lambda r: -r[0])
    fits = [r for r in results if r[3] >= SEED_WANTED]
    for name, best in (("best rule of all", results[0]), ("best rule listing the seed's topics", fits[0])):
        change, right, wrong, seed_codes, rule = best
        print(
            f"{name}: {rule}  F1 change {change:+.3f} (+{right} right, +{wrong} wrong),"
            f" seed gets {sorted(tagger.taxonomy.label(c) for c in seed_codes)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="lexicon")
    parser.add_argument("--explain", type=int, help="row number in labels_topics.jsonl")
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run the speed test")
    parser.add_argument("--lexicon", type=Path, help="score this lexicon file instead of the shipped one")
    parser.add_argument("--secondary-search", action="store_true", help="grid over secondary-topic rules")
    args = parser.parse_args()
    tagger = get_topic_tagger(args.backend)
    if args.lexicon:
        taxonomy = load_taxonomy()
        tagger = LexiconTagger(lexicon=read_lexicon(args.lexicon, taxonomy), taxonomy=taxonomy)
    labelled = load_wikinews_labels(WIKINEWS, load_taxonomy())
    if args.secondary_search:
        search_secondary_rules(tagger, labelled)
        return
    if args.explain is not None:
        explain(tagger, labelled[args.explain])
        return
    wiki = evaluate_wikinews(tagger, labelled)
    print(f"backend: {args.backend}")
    print(f"wikinews multi-label ({len(labelled)} articles, codes incl. ancestors):")
    for scope in ("all", "top"):
        print(
            f"  {scope:>3}: micro P {wiki[f'{scope}_micro_p']:.3f} R {wiki[f'{scope}_micro_r']:.3f}"
            f" F1 {wiki[f'{scope}_micro_f1']:.3f} | macro P {wiki[f'{scope}_macro_p']:.3f}"
            f" R {wiki[f'{scope}_macro_r']:.3f} F1 {wiki[f'{scope}_macro_f1']:.3f}"
        )
    print(f"  primary top-level topic correct: {wiki['primary_accuracy']:.3f}")
    print("about + mentioned topics together:")
    for scope in ("all", "top"):
        key = f"both_{scope}"
        print(
            f"  {scope:>3}: micro P {wiki[f'{key}_micro_p']:.3f} R {wiki[f'{key}_micro_r']:.3f}"
            f" F1 {wiki[f'{key}_micro_f1']:.3f} | macro F1 {wiki[f'{key}_macro_f1']:.3f}"
        )
    for scope, n, hits in (
        ("all", "mentions", "mentions_labelled"),
        ("top", "top_mentions", "top_mentions_labelled"),
    ):
        total, right = int(wiki[n]), int(wiki[hits])
        print(f"  mention precision ({scope}): {right}/{total} = {right / max(total, 1):.3f} labelled")
    print(f"  articles with a mention: {int(wiki['articles_with_mentions'])} of {len(labelled)}")
    seed = [f"{t.label} {t.score:.3f}{'' if t.about else ' (mentioned)'}" for t in tagger.tag(*seed_story())]
    print(f"seed story: {'; '.join(seed)}")
    items = load_agnews_style()
    ag = evaluate_agnews(tagger, items)
    print(
        f"agnews-style 4-class ({len(items)} short items): accuracy {ag['accuracy']:.3f} macro-F1 {ag['macro_f1']:.3f}"
    )
    per_cpu, per_wall = articles_per_second(tagger, [(i.title, i.text) for i in labelled], args.seconds)
    mean_chars = sum(len(i.text) for i in labelled) / len(labelled)
    print(
        f"speed: {per_cpu:,.0f} articles per CPU-second on one core ({per_wall:,.0f} per wall-clock second);"
        f" wikinews, mean {mean_chars:,.0f} chars"
    )


if __name__ == "__main__":
    main()
