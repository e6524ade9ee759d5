"""Grid over the mention rule (Thresholds.mention_*): how often a mention is a labelled topic, and the seed.

    python bench/tune_topic_mentions.py            # every setting that lists the seed's economy and conflict
    python bench/tune_topic_mentions.py --show 20  # the shipped rule's mentions on Wikinews, with their cues

A mention is counted right when it is one of the article's labelled topics (top level, ancestors added).
The labels record what each story is about, so this undercounts topics that are only mentioned.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_topics import (  # noqa: E402
    SEED_WANTED,
    WIKINEWS,
    Labelled,
    load_taxonomy,
    load_wikinews_labels,
    seed_story,
)

from dateline.process.topics import LexiconTagger, get_topic_tagger, weigh_cues  # noqa: E402

GRID = {
    "mention_share": (0.05, 0.08, 0.10),
    "mention_min": (4.0, 6.0, 8.0, 10.0),
    "mention_own_cues": (1, 2, 3),
    "mention_specific_cues": (0, 1, 2),
}


def top_mentions(tagger: LexiconTagger, title: str, text: str) -> set[str]:
    tops = set(tagger.taxonomy.top_level())
    return {t.code for t in tagger.tag(title, text) if not t.about and t.code in tops}


def score(tagger: LexiconTagger, labelled: list[Labelled]) -> tuple[int, int, set[str]]:
    """(mentions that are labelled, all mentions) over Wikinews at top level; the seed's mentions."""
    right = total = 0
    for item in labelled:
        found = top_mentions(tagger, item.title, item.text)
        right, total = right + len(found & item.gold), total + len(found)
    return right, total, top_mentions(tagger, *seed_story())


def search(base: LexiconTagger, labelled: list[Labelled]) -> None:
    results = []
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(GRID, values, strict=True))
        tagger = dataclasses.replace(base, limits=dataclasses.replace(base.limits, **setting))
        right, total, seed = score(tagger, labelled)
        results.append((right / max(total, 1), right, total, seed >= SEED_WANTED, setting))
    shipped = score(base, labelled)
    print(f"shipped {base.limits}: {shipped[0]}/{shipped[1]} mentions labelled, seed {sorted(shipped[2])}")
    fits = sorted((r for r in results if r[3]), key=lambda r: (-r[0], -r[1]))
    print(f"{len(fits)} of {len(results)} settings list the seed's economy and conflict; the best 8:")
    for precision, right, total, _, setting in fits[:8]:
        print(f"  {precision:.3f} ({right}/{total})  {setting}")
    best = max(results, key=lambda r: (r[0], r[1]))
    print(f"best of all: {best[0]:.3f} ({best[1]}/{best[2]}) {best[4]}, seed listed: {best[3]}")


def show(tagger: LexiconTagger, labelled: list[Labelled], count: int) -> None:
    """The first `count` top-level mentions, with the distinct cues behind each, for reading."""
    taxonomy = load_taxonomy()
    shown = 0
    for item in labelled:
        _, phrases = weigh_cues(item.title, item.text, tagger.lexicon, tagger.limits)
        for code in sorted(top_mentions(tagger, item.title, item.text)):
            index = tagger.lexicon.codes.index(code)
            cues = sorted(
                " ".join(key)
                for key in phrases
                if any(i == index and w >= 2 for i, w in tagger.lexicon.phrases[key])
            )
            mark = "labelled" if code in item.gold else "unlabelled"
            print(f"{item.title[:70]}\n  {taxonomy.label(code)} ({mark}): {', '.join(cues)}")
            shown += 1
            if shown >= count:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, help="print this many of the shipped rule's mentions")
    args = parser.parse_args()
    tagger = get_topic_tagger()
    assert isinstance(tagger, LexiconTagger)
    labelled = load_wikinews_labels(WIKINEWS, load_taxonomy())
    if args.show:
        show(tagger, labelled, args.show)
    else:
        search(tagger, labelled)


if __name__ == "__main__":
    main()
