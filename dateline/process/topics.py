"""Topic tagging: IPTC Media Topics with scores, from weighted phrase lexicons (fast, offline, CPU only)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import compress
from pathlib import Path
from typing import Protocol

from dateline.errors import ConfigError
from dateline.models import TopicTag
from dateline.process.taxonomy import Taxonomy, load_taxonomy
from dateline.settings import DATA_DIR

LEXICON_TOML = DATA_DIR / "topics" / "lexicon.toml"
BACKENDS = ("lexicon", "embeddings")

_WORD = re.compile(r"[^\W_]+")
_KEEP_FINAL_S = ("ss", "us", "is", "os")


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """When a topic is kept; tuned on tests/quality/ labels (see docs/bench-topics.md)."""

    title_weight: float = 3.0  # a cue in the headline counts this many times
    lead_tokens: int = 80  # the first words of the body ...
    lead_weight: float = 1.5  # ... count this much more than the rest
    max_chars: int = 5000  # later text rarely changes what a story is about
    min_top: float = 2.0  # evidence a top-level topic needs at least
    rel_top: float = 0.5  # ... and as a share of the best top-level topic
    min_child: float = 2.5  # evidence a child topic needs at least
    rel_child: float = 0.35  # ... and as a share of its top-level ancestor's
    half_confidence: float = 6.0  # evidence at which the best topic scores 0.5
    second_primary: float = 0.8  # a second top-level topic this close to the best is primary too
    # A top-level topic below rel_top is still listed as mentioned (about=False) when it passes all of:
    mention_share: float = 0.10  # evidence as a share of the best top-level topic's
    mention_min: float = 8.0  # evidence at least
    mention_own_cues: int = 2  # distinct cues of weight >= 2 that give nothing to an about topic
    mention_specific_cues: int = 1  # distinct cues of weight 3


def stem(word: str) -> str:
    """Fold plural endings so 'elections' meets 'election'; applied alike to lexicon and text."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_FINAL_S):
        return word[:-1]
    return word


class _Stems(dict[str, str]):
    """Every word seen so far and its stem, stemmed on first sight: `map(_STEMS.__getitem__, tokens)`
    then looks up the known words (most) in C."""

    def __missing__(self, word: str) -> str:
        stemmed = self[word] = stem(word)
        return stemmed


_STEMS = _Stems()  # cleared when it grows past _STEMS_MAX
_STEMS_MAX = 500_000


def words(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens; punctuation and possessive 's dropped."""
    if len(_STEMS) > _STEMS_MAX:
        _STEMS.clear()
    out = list(map(_STEMS.__getitem__, _WORD.findall(text.lower())))
    if "s" in out:  # what is left of a possessive 's
        out = [word for word in out if word != "s"]
    return out


@dataclass(frozen=True, kw_only=True)
class Lexicon:
    """Phrases (as tuples of stemmed words) with the weight each gives to each topic index."""

    codes: tuple[str, ...]
    phrases: Mapping[tuple[str, ...], tuple[tuple[int, float], ...]]
    longest_from: Mapping[tuple[str, str], int]  # first two words -> longest phrase starting so
    first_words: frozenset[str]  # the words some phrase starts with: text at any other word is skipped


def parse_lexicon(entries: Mapping[str, Mapping[str, list[str]]], taxonomy: Taxonomy) -> Lexicon:
    """Build the lookup table; a phrase's weight also counts for every ancestor (the max, not the sum)."""
    codes = taxonomy.all_codes()
    index = {code: i for i, code in enumerate(codes)}
    weights: dict[tuple[str, ...], dict[int, float]] = {}
    for code, tiers in entries.items():
        if code not in index:
            raise ConfigError(f"lexicon topic {code} is not in the taxonomy")
        for weight_text, phrases in tiers.items():
            weight = float(weight_text)
            for phrase in phrases:
                key = tuple(words(phrase))
                if not key:
                    raise ConfigError(f"lexicon phrase {phrase!r} under {code} has no words")
                per_topic = weights.setdefault(key, {})
                for target in (code, *taxonomy.ancestors(code)):
                    per_topic[index[target]] = max(per_topic.get(index[target], 0.0), weight)
    longest: dict[tuple[str, str], int] = {}
    for key in weights:
        if len(key) > 1:
            pair = (key[0], key[1])
            longest[pair] = max(longest.get(pair, 2), len(key))
    table = {key: tuple(sorted(per_topic.items())) for key, per_topic in weights.items()}
    first_words = frozenset(key[0] for key in weights)
    return Lexicon(codes=codes, phrases=table, longest_from=longest, first_words=first_words)


def read_lexicon(path: Path, taxonomy: Taxonomy) -> Lexicon:
    with path.open("rb") as handle:
        return parse_lexicon(tomllib.load(handle), taxonomy)


def find_phrases(tokens: list[str], lexicon: Lexicon) -> list[tuple[int, tuple[str, ...]]]:
    """(position, phrase) for each match, longest first, without overlaps."""
    phrases, longest_from = lexicon.phrases, lexicon.longest_from
    found = []
    n, end = len(tokens), 0  # `end`: where the last phrase found stops
    # Only positions whose word starts a phrase can match (a third of a story's words), found in one C-level pass.
    for i in compress(range(n), map(lexicon.first_words.__contains__, tokens)):
        if i < end:
            continue
        size = 1
        longest = longest_from.get((tokens[i], tokens[i + 1])) if i + 1 < n else None
        if longest is not None:
            size = next(
                (k for k in range(min(longest, n - i), 1, -1) if tuple(tokens[i : i + k]) in phrases), 1
            )
        key = tuple(tokens[i : i + size])
        if size > 1 or key in phrases:
            found.append((i, key))
            end = i + size
    return found


def evidence(title: str, text: str, lexicon: Lexicon, limits: Thresholds) -> list[float]:
    """Weighted cue count per topic index: headline and lead count more, repeats count less."""
    return weigh_cues(title, text, lexicon, limits)[0]


def weigh_cues(
    title: str, text: str, lexicon: Lexicon, limits: Thresholds
) -> tuple[list[float], frozenset[tuple[str, ...]]]:
    """The evidence per topic index, and the distinct phrases found (for the mention rule)."""
    totals = [0.0] * len(lexicon.codes)
    seen: dict[tuple[str, ...], int] = {}
    zones = (
        (words(title), limits.title_weight, 0),
        (words(text[: limits.max_chars]), 1.0, limits.lead_tokens),
    )
    for tokens, zone_weight, lead in zones:
        for position, key in find_phrases(tokens, lexicon):
            seen[key] = seen.get(key, 0) + 1
            factor = zone_weight * (limits.lead_weight if position < lead else 1.0) / seen[key]
            for topic, weight in lexicon.phrases[key]:
                totals[topic] += weight * factor
    return totals, frozenset(seen)


def select_topics(
    totals: list[float], lexicon: Lexicon, taxonomy: Taxonomy, limits: Thresholds
) -> tuple[TopicTag, ...]:
    """Keep the top-level topics near the best one and their well-supported children; score and rank."""
    raw = dict(zip(lexicon.codes, totals, strict=True))
    best = max((raw[code] for code in taxonomy.top_level()), default=0.0)
    if best < limits.min_top:
        return ()
    tops = {c for c in taxonomy.top_level() if raw[c] >= max(limits.min_top, limits.rel_top * best)}
    kept = set(tops)
    for top in tops:
        kept.update(kept_children(top, raw, taxonomy, limits))
    scores = {code: relative_score(raw[code], best, limits) for code in kept}
    primary = choose_primary(scores, tops, taxonomy, limits)
    order = sorted(kept, key=lambda c: (-scores[c], len(taxonomy.ancestors(c)), c))
    return tuple(
        TopicTag(code=c, label=taxonomy.label(c), score=scores[c], primary=c in primary) for c in order
    )


def relative_score(evidence: float, best: float, limits: Thresholds) -> float:
    """Evidence relative to the best top-level topic's, times how sure the best one is."""
    return round(min(1.0, evidence / best) * best / (best + limits.half_confidence), 3)


def distinct_cues(
    phrases: frozenset[tuple[str, ...]], lexicon: Lexicon, about: frozenset[int], wanted: frozenset[int]
) -> dict[int, tuple[int, int]]:
    """Per `wanted` topic index: (distinct cues of weight >= 2 that give nothing to an `about` index,
    distinct cues of weight 3).

    Counting distinct phrases, not occurrences, is what tells several cues apart from one stray word
    repeated."""
    counts = dict.fromkeys(wanted, (0, 0))
    for key in phrases:
        weights = lexicon.phrases[key]
        hits = [(topic, weight) for topic, weight in weights if topic in wanted and weight >= 2]
        if not hits:
            continue
        shared = any(topic in about for topic, _ in weights)
        for topic, weight in hits:
            own, specific = counts[topic]
            counts[topic] = (own + (not shared), specific + (weight >= 3))
    return counts


def select_mentions(
    totals: list[float],
    phrases: frozenset[tuple[str, ...]],
    about: tuple[TopicTag, ...],
    lexicon: Lexicon,
    taxonomy: Taxonomy,
    limits: Thresholds,
) -> tuple[TopicTag, ...]:
    """Top-level topics the story mentions but is not about, with their well-supported children.

    They are scored like the about topics but kept below the lowest of them, and never primary.
    """
    if not about:
        return ()
    raw = dict(zip(lexicon.codes, totals, strict=True))
    best = max(raw[code] for code in taxonomy.top_level())
    listed = {t.code for t in about}
    floor = max(limits.mention_min, limits.mention_share * best)
    candidates = [c for c in taxonomy.top_level() if c not in listed and raw[c] >= floor]
    if not candidates:
        return ()
    index = {code: i for i, code in enumerate(lexicon.codes)}
    cues = distinct_cues(
        phrases, lexicon, frozenset(index[c] for c in listed), frozenset(index[c] for c in candidates)
    )
    kept: set[str] = set()
    for top in candidates:
        own, specific = cues[index[top]]
        if own >= limits.mention_own_cues and specific >= limits.mention_specific_cues:
            kept |= {top, *kept_children(top, raw, taxonomy, limits)}
    ceiling = min(t.score for t in about) - 0.001
    scores = {c: max(0.001, min(relative_score(raw[c], best, limits), ceiling)) for c in kept}
    order = sorted(kept, key=lambda c: (-scores[c], len(taxonomy.ancestors(c)), c))
    return tuple(
        TopicTag(code=c, label=taxonomy.label(c), score=scores[c], primary=False, about=False) for c in order
    )


def tag_levels(
    totals: list[float],
    phrases: frozenset[tuple[str, ...]],
    lexicon: Lexicon,
    taxonomy: Taxonomy,
    limits: Thresholds,
) -> tuple[TopicTag, ...]:
    """The about topics (best first), then the mentioned ones (lower scores, about=False)."""
    about = select_topics(totals, lexicon, taxonomy, limits)
    return about + select_mentions(totals, phrases, about, lexicon, taxonomy, limits)


def kept_children(top: str, raw: Mapping[str, float], taxonomy: Taxonomy, limits: Thresholds) -> set[str]:
    """Children of `top` (with their ancestors) that carry a fair share of its evidence."""
    floor = max(limits.min_child, limits.rel_child * raw[top])
    # The cheap evidence test first: most codes have none, and the taxonomy walk costs more.
    below = (c for c, v in raw.items() if v >= floor and c != top and c in taxonomy)
    return {a for c in below if taxonomy.top_ancestor(c) == top for a in (c, *taxonomy.ancestors(c))}


def choose_primary(
    scores: Mapping[str, float], tops: set[str], taxonomy: Taxonomy, limits: Thresholds
) -> set[str]:
    """The best top-level topic and its best child; or, with no child, a runner-up that is nearly as good."""
    ranked = sorted(tops, key=lambda c: (-scores[c], c))
    first = ranked[0]
    children = [c for c in scores if taxonomy.top_ancestor(c) == first and c != first]
    if children:
        # the child listed first (best score, then the shallower, then the code): ties go the same way
        # whatever order `scores` was built in (a set's, which varies from run to run)
        return {first, min(children, key=lambda c: (-scores[c], len(taxonomy.ancestors(c)), c))}
    if len(ranked) > 1 and scores[ranked[1]] >= limits.second_primary * scores[first]:
        return {first, ranked[1]}
    return {first}


class TopicTagger(Protocol):
    @property
    def backend(self) -> str: ...

    def tag(self, title: str, text: str) -> tuple[TopicTag, ...]: ...


@dataclass(frozen=True, kw_only=True)
class LexiconTagger:
    """The default backend: phrase lookups in one pass, about 0.4 ms of CPU per article."""

    lexicon: Lexicon
    taxonomy: Taxonomy
    limits: Thresholds = Thresholds()
    backend: str = "lexicon"

    def evidence(self, title: str, text: str) -> dict[str, float]:
        """Raw evidence per topic code (for tuning and for the embeddings backend's blend)."""
        totals = evidence(title, text, self.lexicon, self.limits)
        return {code: value for code, value in zip(self.lexicon.codes, totals, strict=True) if value}

    def tag(self, title: str, text: str) -> tuple[TopicTag, ...]:
        totals, phrases = weigh_cues(title or "", text or "", self.lexicon, self.limits)
        return tag_levels(totals, phrases, self.lexicon, self.taxonomy, self.limits)


def get_topic_tagger(backend: str = "lexicon") -> TopicTagger:
    """A shared, immutable tagger for the named backend, built once per process."""
    if backend not in BACKENDS:
        raise ConfigError(f"unknown topics backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return _build_tagger(backend)


@cache
def _build_tagger(backend: str) -> TopicTagger:
    if backend == "lexicon":
        taxonomy = load_taxonomy()
        return LexiconTagger(lexicon=read_lexicon(LEXICON_TOML, taxonomy), taxonomy=taxonomy)
    from dateline.process.topics_embed import EmbeddingTagger  # optional extra: torch is heavy

    lexicon_tagger = _build_tagger("lexicon")
    assert isinstance(lexicon_tagger, LexiconTagger)
    return EmbeddingTagger.load(lexicon_tagger)


def tag_topics(title: str, text: str, *, backend: str = "lexicon") -> tuple[TopicTag, ...]:
    """IPTC topics for one article: about topics best first (1-2 primary), then mentioned ones (about=False).

    Each listed child comes with its ancestors."""
    return get_topic_tagger(backend).tag(title, text)
