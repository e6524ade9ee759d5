"""The query API against a pure-Python recount over a random corpus, on every filter combination."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from dateline.filters import Filters
from dateline.models import Article, CountryTag, TopicTag
from dateline.store import queries, writes

NOW = datetime(2024, 3, 20, 13, 45)
SEEN = datetime(2024, 3, 18, 8, 30)  # first-seen time of the undated articles
COUNTRIES = ["US", "CN", "GB", "DE", "FR", "BR", "IN", "JP"]
TOPICS = ["medtop:04000000", "medtop:11000000", "medtop:15000000", "medtop:13000000", "medtop:01000000"]
SOURCES = ["Wire", "Daily", "Herald", "Gazette", "Post"]


def random_corpus(size: int = 240, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    corpus = []
    for n in range(size):
        day = date(2024, 1, 1).toordinal() + rng.randrange(80)
        stamp = datetime.fromordinal(day).replace(hour=rng.randrange(24), minute=rng.randrange(60))
        codes = rng.sample(COUNTRIES[: rng.choice([3, 8])], rng.randint(0, 3))
        topics = rng.sample(TOPICS, rng.randint(0, 3))
        corpus.append(
            Article(
                id=f"r{n:04d}",
                url=f"https://example.org/{n}",
                title=f"Report {n}",
                text=f"Text of report {n} with word{n % 7}.",
                published_at=None
                if n % 17 == 0
                else stamp.isoformat() + rng.choice(["", "+02:00", "-05:00"]),
                source=rng.choice(SOURCES),
                language=rng.choice(["en", "en", "de", "fr"]),
                countries=tuple(
                    CountryTag(code=c, name=c, mentions=1, salience=0.5, about=i == 0 or rng.random() < 0.3)
                    for i, c in enumerate(codes)
                ),
                topics=tuple(
                    TopicTag(code=t, label=t, score=0.5, primary=i == 0) for i, t in enumerate(topics)
                ),
            )
        )
    return corpus


CORPUS = random_corpus()


def canonical(a: Article) -> Article:
    """Tags in the order the store returns them: about countries first, then by salience; primary topic first."""
    countries = sorted(a.countries, key=lambda c: (not c.about, -c.salience, c.code))
    topics = sorted(a.topics, key=lambda t: (not t.primary, -t.score, t.code))
    return dataclasses.replace(a, countries=tuple(countries), topics=tuple(topics))


def sort_at(a: Article) -> str:
    return writes.sort_key(a.published_at, SEEN.isoformat())


def matches(a: Article, f: Filters) -> bool:
    since, until = f.time_range(NOW)
    when = sort_at(a)
    about = f.country_mode == "about"
    return (
        (since is None or when >= since.isoformat(timespec="seconds"))
        and (until is None or when < until.isoformat(timespec="seconds"))
        and (not f.countries or any(c.code in f.countries and (c.about or not about) for c in a.countries))
        and (not f.topics or any(t.code in f.topics for t in a.topics))
        and (not f.sources or a.source in f.sources)
        and (not f.languages or a.language in f.languages)
    )


def expected_counts(keys: Counter) -> list[dict]:
    return [{"n": n, **k} for k, n in sorted(keys.items(), key=lambda kv: (-kv[1], kv[0]))]


FILTERS = [
    Filters(),
    Filters(period="7d"),
    Filters(period="30d", countries=("CN",)),
    Filters(period="24h"),
    Filters(countries=("US",), country_mode="mentioned"),
    Filters(countries=("GB", "DE")),
    Filters(topics=("medtop:04000000",)),
    Filters(period="custom", start=date(2024, 2, 1), end=date(2024, 2, 29), topics=("medtop:11000000",)),
    Filters(countries=("US",), topics=("medtop:15000000",)),
    Filters(
        countries=("CN",), topics=("medtop:04000000",), sources=("Wire", "Post"), country_mode="mentioned"
    ),
    Filters(sources=("Wire",)),
    Filters(sources=("Wire", "Post"), topics=("medtop:13000000",)),
    Filters(period="30d", languages=("de",)),
    Filters(languages=("fr",), countries=("JP",), country_mode="mentioned"),
    Filters(period="custom", start=date(2024, 3, 1)),
    Filters(period="custom", end=date(2024, 1, 31), countries=("US", "CN", "FR")),
]


@pytest.fixture
def loaded(db):  # type: ignore[no-untyped-def]
    for start in range(0, len(CORPUS), 100):
        writes.save_batch(db, CORPUS[start : start + 100], run_id=None, now=SEEN)
    return db


def test_counts_by_every_dimension(loaded):
    for f in FILTERS:
        chosen = [a for a in CORPUS if matches(a, f)]
        assert queries.count_articles(loaded, f, NOW) == len(chosen), f
        for mode in ("about", "mentioned"):
            tally = Counter((c.code,) for a in chosen for c in a.countries if c.about or mode == "mentioned")
            got = queries.country_counts(loaded, f, NOW, mode=mode)
            assert got.to_dict("records") == [{"code": k[0], "n": n} for k, n in _ordered(tally)], (f, mode)
        tally = Counter((t.code,) for a in chosen for t in a.topics)
        assert queries.topic_counts(loaded, f, NOW).to_dict("records") == [
            {"code": k[0], "n": n} for k, n in _ordered(tally)
        ], f
        tally = Counter((a.source,) for a in chosen)
        assert queries.source_counts(loaded, f, NOW).to_dict("records") == [
            {"source": k[0], "n": n} for k, n in _ordered(tally)
        ], f
        tally = Counter((a.language,) for a in chosen)
        assert queries.language_counts(loaded, f, NOW)["n"].sum() == len(chosen)


def _ordered(tally: Counter) -> list:
    return sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))


def _period_of(when: str, granularity: str) -> pd.Timestamp:
    day = pd.Timestamp(when[:10])
    if granularity == "week":
        return day - pd.Timedelta(days=day.weekday())
    return day.replace(day=1) if granularity == "month" else day


def expected_period_counts(chosen, f: Filters, granularity: str, split: str | None, top: int, scale: int = 1):
    """(period, key, n) rows that period_counts must give for the `chosen` articles, top keys kept."""
    keyed = []
    for a in chosen:
        if split is None:
            keys = [""]
        elif split == "topic":
            keys = [t.code for t in a.topics]
        elif split == "source":
            keys = [a.source]
        else:
            keys = [c.code for c in a.countries if c.about or f.country_mode == "mentioned"]
        keyed += [(_period_of(sort_at(a), granularity), k) for k in keys]
    totals = Counter(k for _, k in keyed)
    if len(totals) > top:
        keep = {k for k, _ in _ordered(Counter({(k,): n for k, n in totals.items()}))[:top]}
        keep = {k[0] for k in keep}
        keyed = [(p, k if k in keep else "other") for p, k in keyed]
    return sorted((p, k, n * scale) for (p, k), n in Counter(keyed).items())


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
@pytest.mark.parametrize("split", [None, "topic", "country", "source"])
def test_period_counts(loaded, granularity, split):
    top = 3
    for f in FILTERS:
        chosen = [a for a in CORPUS if matches(a, f)]
        expected = expected_period_counts(chosen, f, granularity, split, top)
        got = queries.period_counts(loaded, f, NOW, granularity=granularity, split=split, top=top)
        assert list(got.columns) == ["period", "key", "n"]
        assert [(r.period, r.key, r.n) for r in got.itertuples()] == expected, f
        assert got.empty or pd.api.types.is_datetime64_any_dtype(got["period"])


def test_period_totals_share_support(loaded):
    got = queries.period_totals(loaded, Filters(), NOW, "month")
    assert list(got.columns) == ["period", "n"]
    assert got["n"].sum() == len(CORPUS)


def test_co_countries_and_top_topics(loaded):
    for f in FILTERS:
        chosen = [a for a in CORPUS if matches(a, f)]
        for country in ("US", "CN"):
            tagged = [
                a for a in chosen if matches(a, Filters(countries=(country,), country_mode=f.country_mode))
            ]
            tally = Counter((c.code,) for a in tagged for c in a.countries if c.code != country)
            got = queries.co_countries(loaded, f, NOW, country=country, limit=4)
            assert got.to_dict("records") == [{"code": k[0], "n": n} for k, n in _ordered(tally)[:4]], f
        pairs = Counter(
            (c.code, t.code)
            for a in chosen
            for c in a.countries
            if c.about or f.country_mode == "mentioned"
            for t in a.topics
        )
        got = queries.top_topics_by_country(loaded, f, NOW, per_country=2)
        expected = []
        for code in sorted({c for c, _ in pairs}):
            ranked = sorted(((-n, t) for (c, t), n in pairs.items() if c == code))[:2]
            expected += [{"code": code, "topic": t, "n": -n} for n, t in ranked]
        assert got.to_dict("records") == expected, f


def test_list_articles_pages_in_order(loaded):
    for f in FILTERS:
        chosen = sorted((a for a in CORPUS if matches(a, f)), key=lambda a: (sort_at(a), a.id), reverse=True)
        page = queries.list_articles(loaded, f, NOW, limit=7, offset=3)
        assert list(page["id"]) == [a.id for a in chosen[3:10]], f
        oldest = queries.list_articles(loaded, f, NOW, limit=5, sort="oldest")
        assert list(oldest["id"]) == [a.id for a in chosen[::-1][:5]], f
    page = queries.list_articles(loaded, Filters(), NOW, limit=500)
    assert list(page.columns) == queries.ARTICLE_LIST_COLUMNS
    by_id = {a.id: a for a in CORPUS}
    for row in page.itertuples():
        article = by_id[row.id]
        about_first = sorted(article.countries, key=lambda c: (not c.about, -c.salience, c.code))
        assert row.countries == ",".join(c.code for c in about_first)
        assert row.topics.split(",")[0] == (article.topics[0].code if article.topics else "")
        # An undated article is listed (by first-seen time) with a missing published_at.
        assert row.published_at == article.published_at or (
            pd.isna(row.published_at) and not article.published_at
        )


def test_iter_articles_streams_everything(loaded):
    streamed = list(queries.iter_articles(loaded, Filters(), NOW, batch=16))
    assert sorted(a.id for a in streamed) == sorted(a.id for a in CORPUS)
    assert {a.id: a for a in streamed} == {a.id: canonical(a) for a in CORPUS}
    with loaded.connect() as conn:  # as the CLI export calls it
        streamed = queries.iter_articles(conn, Filters(query="report"), NOW, batch=7)
        assert sum(1 for _ in streamed) == len(CORPUS)
    f = Filters(countries=("US",), topics=("medtop:04000000",), period="30d")
    assert [a.id for a in queries.iter_articles(loaded, f, NOW, batch=3)] == [
        a.id for a in sorted((a for a in CORPUS if matches(a, f)), key=lambda a: (sort_at(a), a.id))
    ]


def test_empty_results_keep_their_columns(loaded):
    nothing = Filters(countries=("ZZ",))
    assert queries.count_articles(loaded, nothing, NOW) == 0
    assert list(queries.country_counts(loaded, nothing, NOW).columns) == ["code", "n"]
    assert list(queries.period_counts(loaded, nothing, NOW, split="topic").columns) == ["period", "key", "n"]
    assert list(queries.top_topics_by_country(loaded, nothing, NOW).columns) == ["code", "topic", "n"]
    assert list(queries.list_articles(loaded, nothing, NOW).columns) == queries.ARTICLE_LIST_COLUMNS
    assert list(queries.co_countries(loaded, nothing, NOW, country="US").columns) == ["code", "n"]


def test_get_and_related(loaded):
    original = CORPUS[5]
    assert queries.get_article(loaded, original.id) == canonical(original)
    assert queries.get_article(loaded, "nope") is None
    related = queries.related_articles(loaded, original, limit=5)
    assert list(related.columns) == ["id", "title", "source", "published_at", "score"]
    assert original.id not in set(related["id"])
    assert list(related["score"]) == sorted(related["score"], reverse=True)


def test_related_prefers_the_same_story(db, article):
    writes.save_batch(db, [article(n) for n in range(10)], run_id=None, now=SEEN)
    related = queries.related_articles(db, article(0), limit=3)
    assert set(related["id"][:3]) <= {f"art-{n}" for n in range(1, 5)}  # story-0 holds art-0..art-4


def test_related_looks_further_back_in_a_sparse_corpus(db, article):
    near = article(1, story_id="s-a")
    months_away = article(2, story_id="s-b", published_at="2024-06-20T10:00:00+01:00")
    years_away = article(3, story_id="s-c", published_at="2027-01-05T10:00:00+01:00")
    writes.save_batch(db, [near, months_away, years_away], run_id=None, now=SEEN)
    # a week and two months hold nothing; two years holds only the June story (one is not enough for a
    # list of three), so the search goes on to any time and finds the 2027 one too, best match first
    assert list(queries.related_articles(db, near, limit=1)["id"]) == ["art-2"]
    assert list(queries.related_articles(db, near, limit=3)["id"]) == ["art-3", "art-2"]


def test_source_stats_and_bounds(loaded):
    stats = queries.source_stats(loaded)
    assert list(stats.columns) == ["source", "n", "first_published", "last_published", "last_ingested"]
    assert dict(zip(stats["source"], stats["n"], strict=True)) == dict(Counter(a.source for a in CORPUS))
    first, last = queries.date_bounds(loaded)
    assert (first, last) == (min(map(sort_at, CORPUS)), max(map(sort_at, CORPUS)))
    assert queries.latest_published(loaded) == datetime.fromisoformat(last)


def test_empty_store_bounds(db):
    assert queries.date_bounds(db) == (None, None)
    assert queries.latest_published(db) is None
    assert queries.source_stats(db).empty
    assert queries.ingest_runs(db).empty


def test_aware_now_reads_the_same_wall_clock(loaded):
    aware = NOW.replace(tzinfo=UTC)
    for f in (Filters(period="7d"), Filters(period="30d", topics=("medtop:04000000",))):
        assert queries.count_articles(loaded, f, aware) == queries.count_articles(loaded, f, NOW)
        assert queries.period_counts(loaded, f, aware).equals(queries.period_counts(loaded, f, NOW))


def test_source_stats_merge_missing_and_empty_sources(db, article):  # type: ignore[no-untyped-def]
    early = dataclasses.replace(article(1), source=None, published_at="2024-01-02T08:00:00")
    late = dataclasses.replace(article(2), source="", published_at="2024-02-03T09:00:00")
    named = dataclasses.replace(article(3), source="Wire", published_at="2024-01-05T10:00:00")
    writes.save_batch(db, [early, late, named], run_id=None, now=SEEN)
    stats = queries.source_stats(db)
    assert stats[["source", "n", "first_published", "last_published"]].values.tolist() == [
        ["", 2, "2024-01-02T08:00:00", "2024-02-03T09:00:00"],
        ["Wire", 1, "2024-01-05T10:00:00", "2024-01-05T10:00:00"],
    ]
    assert stats["last_ingested"].notna().all()
