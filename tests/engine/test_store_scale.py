"""What keeps pages fast at scale: rollup spans, facet counts over the newest matches, search windows."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from dateline.filters import Filters
from dateline.store import counts, matching, pg_matching, queries, search
from dateline.store.spans import rollup_spans
from tests.engine.test_store_queries import (  # noqa: F401
    CORPUS,
    NOW,
    expected_period_counts,
    loaded,
    matches,
    sort_at,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (None, None, [("yearly", None, None)]),
        ("2024-03-15", "2024-03-20", [("daily", "2024-03-15", "2024-03-20")]),
        ("2024-12-30", "2025-01-02", [("daily", "2024-12-30", "2025-01-02")]),
        ("2024-02-01", "2024-03-01", [("monthly", "2024-02-01", "2024-03-01")]),
        ("2024-03-01", "2024-03-01", []),
        (
            "2024-03-15",
            "2026-02-10",
            [
                ("daily", "2024-03-15", "2024-04-01"),
                ("monthly", "2024-04-01", "2025-01-01"),
                ("yearly", "2025-01-01", "2026-01-01"),
                ("monthly", "2026-01-01", "2026-02-01"),
                ("daily", "2026-02-01", "2026-02-10"),
            ],
        ),
        (
            "2024-03-15",
            None,
            [
                ("daily", "2024-03-15", "2024-04-01"),
                ("monthly", "2024-04-01", "2025-01-01"),
                ("yearly", "2025-01-01", None),
            ],
        ),
        (
            None,
            "2025-06-03",
            [
                ("yearly", None, "2025-01-01"),
                ("monthly", "2025-01-01", "2025-06-01"),
                ("daily", "2025-06-01", "2025-06-03"),
            ],
        ),
    ],
)
def test_rollup_spans(lo, hi, expected):
    as_dates = [(level, s and D(s), e and D(e)) for level, s, e in expected]
    assert rollup_spans(lo and D(lo), hi and D(hi)) == as_dates


@given(st.dates(date(1990, 1, 1), date(2040, 1, 1)), st.integers(0, 2000))
def test_rollup_spans_tile_the_range_with_aligned_parts(lo, length):
    hi = lo + timedelta(days=length)
    parts = rollup_spans(lo, hi)
    assert [p[1] for p in parts[1:]] == [p[2] for p in parts[:-1]]  # contiguous, no overlap
    assert (parts[0][1], parts[-1][2]) == (lo, hi) if parts else lo == hi
    for level, start, end in parts:
        assert level != "yearly" or (start.timetuple().tm_yday, end.timetuple().tm_yday) == (1, 1)
        assert level != "monthly" or (start.day, end.day) == (1, 1)


NEWEST = [
    Filters(countries=("US",)),
    Filters(countries=("CN",), topics=("medtop:04000000",), period="30d"),
    Filters(topics=("medtop:11000000",), languages=("en",)),
    Filters(countries=("US",), topics=("medtop:11000000",), languages=("en",)),
    Filters(countries=("DE",), country_mode="mentioned", sources=("Wire", "Post")),
]


@pytest.mark.parametrize("f", NEWEST)
@pytest.mark.parametrize("cap", [3, 10, 1000])
def test_facets_count_the_newest_matches_and_say_so(loaded, f, cap):  # noqa: F811
    chosen = sorted((a for a in CORPUS if matches(a, f)), key=lambda a: (sort_at(a), a.id), reverse=True)
    newest = chosen[:cap]
    about = f.country_mode == "about"
    by_source = queries.source_counts(loaded, f, NOW, cap=cap)
    by_country = queries.country_counts(loaded, f, NOW, mode=f.country_mode, cap=cap)
    assert dict(zip(by_source["source"], by_source["n"], strict=True)) == Counter(a.source for a in newest)
    countries = Counter(c.code for a in newest for c in a.countries if c.about or not about)
    assert dict(zip(by_country["code"], by_country["n"], strict=True)) == countries
    flag = {"newest": cap} if len(chosen) > cap else {}
    assert by_source.attrs == flag and by_country.attrs == flag


def test_aggregates_answer_exactly_whatever_the_cap(loaded):  # noqa: F811
    f = Filters(countries=("US",))
    got = queries.topic_counts(loaded, f, NOW, cap=1)  # country x topic aggregate: no cap needed
    assert got.attrs == {}
    assert got["n"].sum() == sum(len(a.topics) for a in CORPUS if matches(a, f))


def sqlite_only(engine) -> None:  # type: ignore[no-untyped-def]
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's window and sample (by doc number); PostgreSQL's: the test_pg_ tests")


def _window(engine, size: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Ids of the newest `size` stored docs: "report" is in every article."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT article_id FROM article_texts ORDER BY doc DESC LIMIT :n"), {"n": size}
        )
        return [r[0] for r in rows]


def test_search_ranks_within_the_newest_window(loaded, monkeypatch):  # noqa: F811
    sqlite_only(loaded)
    monkeypatch.setattr(search, "WINDOW", 5)
    found, total = queries.search_articles(loaded, Filters(query="report"), NOW, limit=3)
    assert total == len(CORPUS)  # no other filter: the exact count of the words
    assert set(found["id"]) <= set(_window(loaded, 5)) and len(found) == 3
    assert found.attrs == {"ranked_newest": 5}


def test_search_estimates_a_filtered_total_from_the_window(loaded, monkeypatch):  # noqa: F811
    sqlite_only(loaded)
    monkeypatch.setattr(search, "WINDOW", 20)
    f = Filters(query="report", languages=("en",))
    passing = [a.id for a in CORPUS if a.id in set(_window(loaded, 20)) and matches(a, f)]
    found, total = queries.search_articles(loaded, f, NOW, limit=2)
    assert total == round(len(passing) * len(CORPUS) / 20)
    assert found.attrs == {"ranked_newest": 20, "estimated": True}
    assert set(found["id"]) <= set(passing)


def test_search_widens_the_window_until_the_page_fills(loaded, monkeypatch):  # noqa: F811
    sqlite_only(loaded)
    monkeypatch.setattr(search, "WINDOW", 5)
    monkeypatch.setattr(search, "WIDEN", 3)
    f = Filters(query="report", languages=("en",))
    passing = {
        size: [a.id for a in CORPUS if a.id in set(_window(loaded, size)) and matches(a, f)]
        for size in (5, 15, 45)
    }
    size = next(size for size in (5, 15, 45) if len(passing[size]) >= 8)
    assert size > 5  # else the window was not widened
    found, total = queries.search_articles(loaded, f, NOW, limit=8)
    assert found.attrs == {"ranked_newest": size, "estimated": True}
    assert total == round(len(passing[size]) * len(CORPUS) / size)
    assert set(found["id"]) <= set(passing[size]) and len(found) == 8


def test_search_falls_back_to_exact_when_the_window_cannot_fill_a_page(loaded, monkeypatch):  # noqa: F811
    monkeypatch.setattr(search, "WINDOW", 5)
    f = Filters(query="report", countries=("JP",), country_mode="mentioned")
    found, total = queries.search_articles(loaded, f, NOW, limit=50)
    expected = {a.id for a in CORPUS if matches(a, f)}
    assert total == len(expected) and set(found["id"]) == expected
    assert found.attrs == {}


def test_search_facets_count_the_newest_matches_of_a_text_query(loaded):  # noqa: F811
    sqlite_only(loaded)
    by_id = {a.id: a for a in CORPUS}
    f = Filters(query="report", languages=("en",))  # half the corpus: 7 turn up in the first 56 docs
    newest = [i for i in _window(loaded, len(CORPUS)) if matches(by_id[i], f)][:7]
    got = queries.source_counts(loaded, f, NOW, cap=7)
    assert dict(zip(got["source"], got["n"], strict=True)) == Counter(by_id[i].source for i in newest)
    assert got.attrs == {"newest": 7}


def test_search_facets_stop_a_rare_filter_at_the_docs_walked_and_say_so(loaded, monkeypatch):  # noqa: F811
    sqlite_only(loaded)
    monkeypatch.setattr(matching, "FTS_REACH", 3)
    f = Filters(query="report", languages=("fr",), countries=("JP",), country_mode="mentioned")
    walked = set(_window(loaded, 7 * 3))
    passing = [a for a in CORPUS if a.id in walked and matches(a, f)]
    assert len(passing) < 7 < sum(matches(a, f) for a in CORPUS)  # the case under test
    got = queries.source_counts(loaded, f, NOW, cap=7)
    assert dict(zip(got["source"], got["n"], strict=True)) == Counter(a.source for a in passing)
    assert got.attrs == {"newest_with_words": 21}


# ---- a text query on every page: exact below the sample, scaled from every stride-th doc above ----

TEXT_FILTERS = [
    Filters(query="report"),
    Filters(query="report", languages=("en",)),
    Filters(query="report", countries=("US",), country_mode="mentioned"),
    Filters(query="report", topics=("medtop:04000000",), period="30d"),
    Filters(query="report", sources=("Wire", "Post"), period="7d"),
]


def _docs(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT article_id, doc FROM article_texts")).all())


def _has_other_filters(f: Filters) -> bool:
    return bool(f.countries or f.topics or f.sources or f.languages)


@pytest.mark.parametrize("f", TEXT_FILTERS)
def test_text_query_counts_are_exact_below_the_sample(loaded, f):  # noqa: F811
    chosen = [a for a in CORPUS if matches(a, f)]  # "report" is in every article
    assert queries.count_articles_estimate(loaded, f, NOW, sample=1000) == (len(chosen), False)
    assert queries.count_articles(loaded, f, NOW) == len(chosen)
    got = queries.period_counts(loaded, f, NOW, granularity="day", sample=1000)
    days = Counter(sort_at(a)[:10] for a in chosen)
    assert dict(zip(got["period"].dt.strftime("%Y-%m-%d"), got["n"], strict=True)) == days
    assert got.attrs == {}


@pytest.mark.parametrize("f", TEXT_FILTERS)
@pytest.mark.parametrize("sample", [5, 40, 45])
@pytest.mark.parametrize("few_hits", [1, 10])
def test_text_query_counts_scale_an_even_sample_and_say_so(loaded, f, sample, few_hits, monkeypatch):  # noqa: F811
    sqlite_only(loaded)
    monkeypatch.setattr(counts, "FEW_HITS", few_hits)  # 1: retried only when the sample found none
    docs = _docs(loaded)
    words = [a for a in CORPUS if matches(a, Filters(query=f.query, period=f.period, start=f.start))]
    stride = -(-len(words) // sample)
    sampled = [a for a in CORPUS if matches(a, f) and docs[a.id] % stride == 0]
    total, estimated = queries.count_articles_estimate(loaded, f, NOW, sample=sample)
    retry = -(-len(words) // (sample * counts.RETRY_SAMPLE))  # too few sampled matches: a sample 8x larger
    resampled = [a for a in CORPUS if matches(a, f) and docs[a.id] % retry == 0]
    if not _has_other_filters(f) or stride == 1:  # the words alone are counted exactly inside FTS5
        assert total == len([a for a in CORPUS if matches(a, f)]) and not estimated
    elif len(sampled) >= few_hits:
        assert (total, estimated) == (len(sampled) * stride, True)
    elif resampled:
        assert (total, estimated) == (len(resampled) * retry, retry > 1)
    else:  # and a larger sample without a single match counts every one
        assert (total, estimated) == (len([a for a in CORPUS if matches(a, f)]), False)
    # The bars take the same sample as the total, so they add up to it.
    bars, scale = (resampled, retry) if stride > 1 and len(sampled) < few_hits else (sampled, stride)
    got = queries.period_counts(loaded, f, NOW, granularity="day", sample=sample)
    days = Counter(sort_at(a)[:10] for a in bars)
    assert dict(zip(got["period"].dt.strftime("%Y-%m-%d"), got["n"], strict=True)) == {
        d: n * scale for d, n in days.items()
    }
    assert got.attrs == ({"estimated": True} if scale > 1 else {})


@pytest.mark.parametrize("f", TEXT_FILTERS)
@pytest.mark.parametrize("split", ["topic", "country", "source"])
@pytest.mark.parametrize("sample", [1000, 40])
def test_text_query_splits_keep_the_top_keys_of_the_same_pass(loaded, f, split, sample, monkeypatch):  # noqa: F811
    monkeypatch.setattr(counts, "FEW_HITS", 1)  # the first sample stands whenever it found a match
    if sample < 1000:
        sqlite_only(loaded)
    words = [a for a in CORPUS if matches(a, Filters(query=f.query, period=f.period, start=f.start))]
    stride = -(-len(words) // sample) if loaded.dialect.name == "sqlite" else 1
    docs = _docs(loaded) if stride > 1 else {}
    chosen = [a for a in CORPUS if matches(a, f) and (stride == 1 or docs[a.id] % stride == 0)]
    if not chosen:
        return  # a sample with no match is recounted exactly: covered by the count tests
    got = queries.period_counts(loaded, f, NOW, granularity="week", split=split, top=3, sample=sample)
    assert [(r.period, r.key, r.n) for r in got.itertuples()] == expected_period_counts(
        chosen, f, "week", split, 3, scale=stride
    )
    assert got.attrs == ({"estimated": True} if stride > 1 else {})


@pytest.mark.parametrize("f", TEXT_FILTERS)
@pytest.mark.parametrize("lookback", [(1, 8, 64, 512), (1, 2), ()])
@pytest.mark.parametrize("common", [True, False])
def test_text_query_lists_the_newest_matches_exactly(loaded, f, lookback, common, monkeypatch):  # noqa: F811
    from dateline.store import lists

    monkeypatch.setattr(lists, "_LOOKBACK_DAYS", lookback)
    # PostgreSQL looks back only for words its planner puts in many docs; "report" is in all of them.
    monkeypatch.setattr(lists, "pg_estimate", lambda *args: (len(CORPUS) if common else 1, len(CORPUS)))
    chosen = sorted((a for a in CORPUS if matches(a, f)), key=lambda a: (sort_at(a), a.id), reverse=True)
    for limit, offset in [(7, 0), (5, 3), (50, 0)]:
        page = queries.list_articles(loaded, f, NOW, limit=limit, offset=offset)
        assert list(page["id"]) == [a.id for a in chosen[offset : offset + limit]], (limit, offset)


def _countries_in_sample(docs: dict[str, int], stride: int) -> set[str]:
    return {c.code for a in CORPUS if docs[a.id] % stride == 0 for c in a.countries}


def test_a_sample_that_misses_every_match_is_retried_larger_then_counted_exactly(loaded, monkeypatch):  # noqa: F811
    sqlite_only(loaded)
    docs = _docs(loaded)
    mentioned = {c.code for a in CORPUS for c in a.countries}
    small, large = -(-len(CORPUS) // 5), -(-len(CORPUS) // (5 * counts.RETRY_SAMPLE))
    retried = sorted((mentioned - _countries_in_sample(docs, small)) & _countries_in_sample(docs, large))
    assert retried and large > 1  # missed by the sample, found by the larger one
    f = Filters(query="report", countries=(retried[0],), country_mode="mentioned")
    hits = [a for a in CORPUS if matches(a, f) and docs[a.id] % large == 0]
    assert queries.count_articles_estimate(loaded, f, NOW, sample=5) == (len(hits) * large, True)
    # Missed by both: every match is counted.
    monkeypatch.setattr(counts, "RETRY_SAMPLE", 1)
    missed = sorted(mentioned - _countries_in_sample(docs, small))
    f = Filters(query="report", countries=(missed[0],), country_mode="mentioned")
    expected = [a for a in CORPUS if matches(a, f)]
    assert queries.count_articles_estimate(loaded, f, NOW, sample=5) == (len(expected), False)


# ---- PostgreSQL: plans chosen from the planner's estimate of the words' docs ----------------------


def pg_only(engine) -> None:  # type: ignore[no-untyped-def]
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plans")


@pytest.fixture
def analyzed(loaded):  # type: ignore[no-untyped-def]  # noqa: F811
    """The loaded corpus with planner statistics: "report" is then known to be in every doc."""
    pg_only(loaded)
    with loaded.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return loaded


by_id = {a.id: a for a in CORPUS}


def _newest_by_time(engine) -> list[str]:  # type: ignore[no-untyped-def]
    """Ids newest first as the walk meets them: the time index read backwards (ties in its order)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        rows = conn.execute(text("SELECT article_id FROM article_texts ORDER BY sort_at DESC"))
        return [r[0] for r in rows]


def test_pg_estimate_reads_the_words_share_from_the_statistics(analyzed):
    from dateline.store.fulltext import pg_estimate

    with analyzed.connect() as conn:
        assert pg_estimate(conn, "report", None, None) == (len(CORPUS), len(CORPUS))
        words, docs = pg_estimate(conn, "word3", None, None)
    assert docs == len(CORPUS) and 0 < words < len(CORPUS)


def test_pg_search_ranks_within_the_newest_docs_holding_the_words(analyzed, monkeypatch):
    monkeypatch.setattr(search, "PG_CANDIDATES", 5)
    found, total = queries.search_articles(analyzed, Filters(query="report"), NOW, limit=3)
    assert total == len(CORPUS)  # the planner's estimate: exact here
    assert set(found["id"]) <= set(_newest_by_time(analyzed)[:5]) and len(found) == 3
    assert found.attrs == {"ranked_newest": 5, "estimated": True}


def test_pg_search_estimates_a_filtered_total_and_widens_until_the_page_fills(analyzed, monkeypatch):
    monkeypatch.setattr(search, "PG_CANDIDATES", 5)
    monkeypatch.setattr(search, "WIDEN", 3)
    f = Filters(query="report", languages=("en",))
    newest = _newest_by_time(analyzed)
    by_id = {a.id: a for a in CORPUS}
    passing = {size: [i for i in newest[:size] if matches(by_id[i], f)] for size in (5, 15, 45)}
    size = next(size for size in (5, 15, 45) if len(passing[size]) >= 8)
    assert size > 5  # else the window was not widened
    found, total = queries.search_articles(analyzed, f, NOW, limit=8)
    assert found.attrs == {"ranked_newest": size, "estimated": True}
    assert total == round(len(passing[size]) * len(CORPUS) / size)
    assert set(found["id"]) <= set(passing[size]) and len(found) == 8


@pytest.mark.parametrize(
    "f",
    [
        Filters(query="report", countries=("JP",), country_mode="mentioned"),  # driven by JP's tag rows
        Filters(query="report", languages=("fr",)),  # by the words' docs, checked per doc
        Filters(query="report", countries=("US",), topics=("medtop:04000000",), sources=("Wire", "Post")),
    ],
)
def test_pg_search_counts_exactly_when_no_window_can_fill_the_page(analyzed, monkeypatch, f):
    monkeypatch.setattr(search, "PG_CANDIDATES", 5)
    docs = _docs(analyzed)
    newest_first = lambda i: (sort_at(by_id[i]), docs[i])  # noqa: E731
    expected = sorted((a.id for a in CORPUS if matches(a, f)), key=newest_first, reverse=True)
    found, total = queries.search_articles(analyzed, f, NOW, limit=200)
    assert total == len(expected) and set(found["id"]) == set(expected[:5])  # ranked: the newest 5
    assert found.attrs == ({"ranked_newest": 5} if len(expected) > 5 else {})
    assert queries.count_articles(analyzed, f, NOW) == len(expected)
    page = queries.list_articles(analyzed, f, NOW, limit=7)
    assert list(page["id"]) == sorted(expected, key=lambda i: (sort_at(by_id[i]), i), reverse=True)[:7]


def test_pg_search_falls_back_when_the_words_are_rarer_than_estimated(analyzed, monkeypatch):
    """Stale statistics: a walk that meets too few docs holding the words stops at its reach."""
    monkeypatch.setattr(search, "PG_CANDIDATES", 5)
    monkeypatch.setattr(search, "pg_estimate", lambda *args: (len(CORPUS), len(CORPUS)))
    docs = _docs(analyzed)
    word3 = [a.id for a in CORPUS if int(a.id[1:]) % 7 == 3]
    word3.sort(key=lambda i: (sort_at(by_id[i]), docs[i]))
    found, total = queries.search_articles(analyzed, Filters(query="word3"), NOW, limit=100)
    assert total == len(word3) and set(found["id"]) == set(word3[-5:])
    assert found.attrs == {"ranked_newest": 5}


@pytest.mark.parametrize("f", [Filters(query="report"), Filters(query="report", languages=("en",))])
@pytest.mark.parametrize("cap", [1, 7])
def test_pg_search_facets_walk_the_newest_docs_holding_the_words(analyzed, f, cap):
    by_id = {a.id: a for a in CORPUS}
    filtered = bool(f.languages)
    reach = cap * pg_matching.PG_FTS_REACH if filtered else len(CORPUS)
    passing = [i for i in _newest_by_time(analyzed)[:reach] if matches(by_id[i], f)]
    got = queries.source_counts(analyzed, f, NOW, cap=cap)
    assert dict(zip(got["source"], got["n"], strict=True)) == Counter(by_id[i].source for i in passing[:cap])
    assert got.attrs == ({"newest": cap} if len(passing) > cap else {"newest_with_words": reach})


@pytest.mark.parametrize("f", TEXT_FILTERS)
@pytest.mark.parametrize("sample", [5, 40])
def test_pg_text_query_counts_scale_an_even_sample_and_say_so(analyzed, f, sample, monkeypatch):
    words = [a for a in CORPUS if matches(a, Filters(query=f.query, period=f.period, start=f.start))]
    monkeypatch.setattr(pg_matching, "pg_estimate", lambda *args: (len(words), len(CORPUS)))
    monkeypatch.setattr(pg_matching, "PG_SAMPLE_PROBES", 60)  # at most 60 of the 240 docs probed
    # However few its hits, PostgreSQL's sample is not retried larger: bounded by its probes, it would
    # be the same sample (with SQLite's retry the strides below would change).
    monkeypatch.setattr(counts, "FEW_HITS", 10**6)
    stride = max(-(-len(words) // sample), 4)
    if len(words) // stride < sample // 2 or 2 * (len(CORPUS) // stride) > len(words):
        stride = 1  # a thin or dearer sample: every match counted
    docs = _docs(analyzed)
    chosen = [a for a in CORPUS if matches(a, f) and docs[a.id] % stride == 0]
    total, estimated = queries.count_articles_estimate(analyzed, f, NOW, sample=sample)
    if chosen:
        assert (total, estimated) == (len(chosen) * stride, stride > 1)
    else:  # a sample without a single match is counted again, exactly
        assert (total, estimated) == (sum(matches(a, f) for a in CORPUS), False)
    got = queries.period_counts(analyzed, f, NOW, granularity="day", sample=sample)
    days = Counter(sort_at(a)[:10] for a in chosen)
    assert dict(zip(got["period"].dt.strftime("%Y-%m-%d"), got["n"], strict=True)) == {
        d: n * stride for d, n in days.items()
    }
    assert got.attrs == ({"estimated": True} if stride > 1 else {})
