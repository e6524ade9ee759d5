"""A realistic synthetic news corpus for store benchmarks (the distributions of notes/QUERY-PERF.md).

Articles come out in chronological order, as a feed ingester would store them:
- 2023-01-01 .. 2025-12-31, weekly seasonality (Sat x0.6, Sun x0.55), volume +50 % over the 3 years;
- ~2,000 sources, Zipf s=1.05 (the top one has ~14 % of articles);
- 1-4 countries (mean ~1.9), Zipf s=1.1 over 200 ISO codes, US on ~35 % of articles; the first is
  "about", each other one with probability 0.35;
- 1-3 IPTC topics (mean ~1.65), Zipf s=0.8 over the 17 top-level QCodes, sometimes a child (its
  top-level ancestor is then listed too, as the pipeline does);
- text ~3 KB (lognormal, ~435 tokens) and titles ~68 B from a 20k-word Zipf(1.0) vocabulary.

Run `python bench/synth.py 5` to print a few articles.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateline.models import Article, CountryTag, TopicTag  # noqa: E402

START, END = date(2023, 1, 1), date(2025, 12, 31)
TOP_COUNTRIES = ["US", "CN", "GB", "RU", "UA", "DE", "FR", "IN", "JP", "IL", "IR", "CA", "AU", "BR", "IT"]
TOP_TOPIC_ORDER = [
    "11",
    "04",
    "16",
    "02",
    "15",
    "07",
    "13",
    "01",
    "14",
    "06",
    "03",
    "09",
    "05",
    "10",
    "17",
    "12",
    "08",
]
LANGUAGES = (
    ["en", "de", "fr", "es", "it", "pt", "nl", "ru"],
    [0.72, 0.07, 0.06, 0.05, 0.03, 0.03, 0.02, 0.02],
)
LANGUAGE_CDF = np.cumsum(LANGUAGES[1])


def zipf_weights(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return weights / weights.sum()


def draw(rng: np.random.Generator, cdf: np.ndarray, k: int) -> np.ndarray:
    """`k` indices from the distribution with cumulative weights `cdf` (much faster than choice(p=))."""
    return np.minimum(np.searchsorted(cdf, rng.random(k)), len(cdf) - 1)


def draw_distinct(rng: np.random.Generator, cdf: np.ndarray, k: int) -> list[int]:
    picked: list[int] = []
    while len(picked) < k:
        index = int(draw(rng, cdf, 1)[0])
        if index not in picked:
            picked.append(index)
    return picked


def country_codes() -> list[str]:
    import pycountry

    rest = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in TOP_COUNTRIES)
    return (TOP_COUNTRIES + rest)[:200]


def topic_table() -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    """Top-level (code, label) in popularity order, and the children of each."""
    path = ROOT / "data" / "topics" / "mediatopics.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"))) if path.exists() else []
    labels = {r["code"]: r["label"] for r in rows}
    tops = [(f"medtop:{p}000000", labels.get(f"medtop:{p}000000", f"topic {p}")) for p in TOP_TOPIC_ORDER]
    children: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        if r["parent"]:
            root = _root(r["code"], {x["code"]: x["parent"] for x in rows})
            children.setdefault(root, []).append((r["code"], r["label"]))
    return tops, children


def _root(code: str, parents: dict[str, str]) -> str:
    while parents.get(code):
        code = parents[code]
    return code


def vocabulary(rng: np.random.Generator, size: int = 20_000) -> np.ndarray:
    letters = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
    freq = zipf_weights(26, 0.9)
    lengths = np.clip(rng.poisson(5.5, size), 2, 12)
    words = {"".join(rng.choice(letters, n, p=freq)) for n in lengths}
    while len(words) < size:
        words.add("".join(rng.choice(letters, 7, p=freq)))
    return rng.permutation(np.array(sorted(words)[:size]))  # frequency rank unrelated to spelling


def article_times(rng: np.random.Generator, n: int) -> list[datetime]:
    days = [START + timedelta(d) for d in range((END - START).days + 1)]
    weekday = np.array([{5: 0.6, 6: 0.55}.get(d.weekday(), 1.0) for d in days])
    growth = np.linspace(1.0, 1.5, len(days))
    per_day = rng.multinomial(n, weekday * growth / (weekday * growth).sum())
    times = []
    for day, count in zip(days, per_day, strict=True):
        seconds = np.sort(rng.integers(0, 86_400, count))
        base = datetime(day.year, day.month, day.day)
        times += [base + timedelta(seconds=int(s)) for s in seconds]
    return times


def generate(n: int, *, seed: int = 1) -> Iterator[Article]:
    """`n` articles in time order; the same seed gives the same corpus."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng)
    word_p = np.cumsum(zipf_weights(len(vocab), 1.0))
    sources = np.array(
        [f"{vocab[i].title()} {('News', 'Times', 'Post', 'Herald', 'Wire')[i % 5]}" for i in range(2000)]
    )
    source_p = np.cumsum(zipf_weights(len(sources), 1.05))
    codes = country_codes()
    country_p = np.cumsum(zipf_weights(len(codes), 1.1))
    tops, children = topic_table()
    topic_p = np.cumsum(zipf_weights(len(tops), 0.8))
    for i, when in enumerate(article_times(rng, n)):
        yield _article(
            rng, i, when, vocab, word_p, sources, source_p, codes, country_p, tops, children, topic_p
        )


def _article(
    rng, i, when, vocab, word_p, sources, source_p, codes, country_p, tops, children, topic_p
) -> Article:  # type: ignore[no-untyped-def]
    n_tokens = int(np.clip(rng.lognormal(np.log(400), 0.45), 40, 4000))
    words = vocab[draw(rng, word_p, n_tokens + 10)]
    text = " ".join(words[10:]) + "."
    picked = draw_distinct(rng, country_p, min(4, 1 + int(rng.poisson(0.95))))
    countries = tuple(
        CountryTag(
            code=codes[k],
            name=codes[k],
            mentions=int(1 + rng.poisson(2 if j == 0 else 0.7)),
            salience=round(float(1.0 / (j + 1)), 3),
            about=j == 0 or bool(rng.random() < 0.35),
            offsets=((0, 2),),
        )
        for j, k in enumerate(picked)
    )
    return Article(
        id=f"syn-{i:08d}",
        url=f"https://synthetic.example/{i}",
        title=" ".join(words[:10]).capitalize(),
        text=text,
        published_at=when.isoformat(timespec="seconds"),
        source=str(sources[draw(rng, source_p, 1)[0]]),
        language=LANGUAGES[0][int(draw(rng, LANGUAGE_CDF, 1)[0])],
        countries=countries,
        topics=_topics(rng, tops, children, topic_p),
        story_id=f"story-{i // 3}" if rng.random() < 0.2 else None,
    )


def _topics(rng, tops, children, topic_p) -> tuple[TopicTag, ...]:  # type: ignore[no-untyped-def]
    count = 1 + min(2, int(rng.poisson(0.5)))
    chosen = [tops[k] for k in draw_distinct(rng, topic_p, count)]
    tags = [
        TopicTag(code=c, label=label, score=round(1.0 - 0.2 * j, 2), primary=j == 0)
        for j, (c, label) in enumerate(chosen)
    ]
    kids = children.get(chosen[0][0])
    if kids and rng.random() < 0.3:
        code, label = kids[int(rng.integers(len(kids)))]
        tags.append(TopicTag(code=code, label=label, score=0.5, primary=False))
    return tuple(tags)


if __name__ == "__main__":
    for article in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(
            article.published_at,
            article.source,
            [c.code for c in article.countries],
            [t.code for t in article.topics],
        )
        print("  ", article.title, "|", len(article.text), "B")
