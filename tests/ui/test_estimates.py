"""AppTest: every label the pages show for an estimated or capped count, and its absence when exact.

The store's limits (sampled counts, capped facets, the search window) are far above any test corpus,
so they are patched small here: a few hundred articles and a query in all of them then take every
estimating path the pages can show.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest

from dateline.filters import Filters
from dateline.store import counts, matching, search
from dateline.store.db import open_store
from tests.ui.conftest import seed
from tests.ui.corpus import make_articles

ARTICLES = make_articles(300)
QUERY = "story"  # in the text of every article of the corpus
NOW = datetime(2020, 7, 1)  # every test uses period "all", so only the store's signature needs it
SAMPLE, CAP, WINDOW = 7, 10, 40  # WINDOW must exceed a results page (20) for a scaled search total
PAGE_SIZE = 20
# The defaults of these store functions are bound when they are defined: patching `counts.SAMPLE` or
# `counts.CAP` would change nothing, so their keyword defaults are patched instead.
SAMPLED = (counts.count_articles_estimate, counts.period_counts)
CAPPED = (
    counts.country_counts,
    counts.topic_counts,
    counts.source_counts,
    counts.language_counts,
    counts.top_topics_by_country,
    counts.co_countries,
)

SAMPLED_HELP = "Estimated from an even sample of the articles containing the words."
TIMELINE_NOTE = "The words are in very many articles: counts are estimated from an even sample of them."
NEWEST_NOTE = f"Counted over the newest {CAP} matching articles."
# A text query with a rare filter: fewer than CAP matches among the docs its walk may visit.
RARE_QUERY = {"q": QUERY, "country": "XK", "topic": "medtop:04000000"}
WALKED_NOTE = (
    f"Counted over the matches among the newest {CAP * matching.FTS_REACH} articles containing these words."
)
RANKED_NOTE = (
    f"Ranked among the newest {WINDOW} articles containing these words; "
    "add words or filters to rank a narrower set."
)
# What no exact page may say: an "about"/"≈" before a number, or any of the notes above.
ESTIMATE_WORDING = re.compile(r"\babout \d|≈|≥|even sample|newest \d+ (matching )?articles", re.IGNORECASE)

US_QUERY = {"q": QUERY, "country": "US"}
EN_QUERY = {"q": QUERY, "lang": "en"}


def _about(code: str) -> int:
    return sum(any(c.code == code and c.about for c in a.countries) for a in ARTICLES)


EXACT_US = _about("US")
EXACT_EN = sum(a.language == "en" for a in ARTICLES)


@pytest.fixture(scope="module")
def estimates_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('estimates') / 'dateline.db'}"
    seed(url, len(ARTICLES))
    return url


@pytest.fixture
def estimates_env(estimates_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import streamlit as st

    monkeypatch.setenv("DATELINE_DB_URL", estimates_url)
    monkeypatch.setenv("DATELINE_LOAD_SAMPLES", "0")
    monkeypatch.delenv("DATELINE_ADMIN_PASSWORD", raising=False)
    # Loaders are cached on (database, filters, now), not on the store's limits: start each test cold.
    st.cache_data.clear()
    yield estimates_url
    st.cache_data.clear()


@pytest.fixture
def small_limits(estimates_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for function in SAMPLED:
        monkeypatch.setitem(function.__kwdefaults__, "sample", SAMPLE)
    for function in CAPPED:
        monkeypatch.setitem(function.__kwdefaults__, "cap", CAP)
    monkeypatch.setattr(search, "WINDOW", WINDOW)


@pytest.fixture
def us_estimate(estimates_url: str) -> int:
    """The sampled count of US articles holding the query, which must differ from the exact one."""
    engine = open_store(estimates_url)
    n, estimated = counts.count_articles_estimate(
        engine, Filters(query=QUERY, countries=("US",)), NOW, sample=SAMPLE
    )
    engine.dispose()
    assert estimated and n != EXACT_US  # else the pages could show the exact count and still pass
    return n


def visible(at) -> list[str]:
    """Every text the page shows that could carry a count or a note about one."""
    shown = [str(e.value) for kind in ("caption", "subheader", "markdown") for e in getattr(at, kind)]
    shown += [f"{m.label}: {m.value} ({m.help or ''})" for m in at.metric]
    return shown + buttons(at) + [e.proto.label for e in at.get("page_link")]


def captions(at) -> list[str]:
    return [str(e.value) for e in at.caption]


def subheaders(at) -> list[str]:
    return [str(e.value) for e in at.subheader]


def buttons(at) -> list[str]:
    return [e.proto.label for e in at.get("download_button")]


def paragraphs(at) -> list[str]:
    return [str(e.value) for e in at.markdown]


def articles_metric(at) -> list[str]:
    return [str(m.value) for m in at.metric if m.label == "Articles"]


def pager(total: str, n: int) -> str:
    return f"Page 1 of {-(-n // PAGE_SIZE)} · articles 1–{min(n, PAGE_SIZE)} of {total}"


def metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def run_page(app, page: str, params: dict[str, str]):
    at = app(params, page=page)
    assert not at.exception, at.exception
    assert not at.warning, [w.value for w in at.warning]
    return at


# --- Estimated and capped: each label shown --------------------------------------------------------


def test_overview_marks_a_sampled_total_and_capped_top_lists(small_limits, us_estimate, app) -> None:
    at = run_page(app, "views/overview.py", US_QUERY)
    articles = metric(at, "Articles")
    assert articles.value == f"≈ {us_estimate:,}"
    assert articles.help == SAMPLED_HELP
    assert captions(at).count(NEWEST_NOTE) == 3  # top countries, topics and sources
    for name in ("Countries", "Topics", "Sources"):  # distinct values among the newest: a lower bound
        assert metric(at, name).value.startswith("≥ "), name
        assert metric(at, name).help == NEWEST_NOTE


def test_timeline_marks_sampled_bars_and_an_estimated_pager(small_limits, us_estimate, app) -> None:
    at = run_page(app, "views/timeline.py", US_QUERY)
    assert TIMELINE_NOTE in captions(at)
    assert pager(f"about {us_estimate:,}", us_estimate) in captions(at)


def test_timeline_marks_sampled_bars_under_a_query_alone(small_limits, app) -> None:
    # The total of a bare query is counted exactly inside FTS5; only the bars are sampled.
    at = run_page(app, "views/timeline.py", {"q": QUERY})
    assert TIMELINE_NOTE in captions(at)
    assert pager(f"{len(ARTICLES):,}", len(ARTICLES)) in captions(at)


def test_map_marks_a_country_estimate_and_capped_co_countries(small_limits, us_estimate, app) -> None:
    at = run_page(app, "views/map.py", US_QUERY)
    assert f"United States: about {us_estimate:,} articles" in subheaders(at)
    assert pager(f"about {us_estimate:,}", us_estimate) in captions(at)
    assert "Covered together with United States" in subheaders(at)
    assert NEWEST_NOTE in captions(at)
    # The list under the map is hidden once a country is picked; the map's own note still shows.
    assert f"Map counted over the newest {CAP} matching articles." in captions(at)


def test_map_marks_capped_most_covered_countries(small_limits, app) -> None:
    at = run_page(app, "views/map.py", {"q": QUERY})
    assert "Most covered countries" in subheaders(at)
    assert NEWEST_NOTE in captions(at)


def test_export_says_about_in_the_text_and_on_the_button(small_limits, us_estimate, app) -> None:
    at = run_page(app, "views/export.py", US_QUERY)
    assert any(text.startswith(f"**About {us_estimate:,} articles** match") for text in paragraphs(at))
    assert buttons(at) == [f"Download about {us_estimate:,} articles as CSV"]


def test_search_says_it_ranked_the_newest_matches_and_capped_facets(small_limits, app) -> None:
    at = run_page(app, "views/search.py", {"q": QUERY})
    assert f"{len(ARTICLES):,} articles match, best first" in subheaders(at)  # the words' count: exact
    assert RANKED_NOTE in captions(at)
    assert captions(at).count(NEWEST_NOTE) == 3  # countries, topics and sources facets


def test_search_facets_under_a_rare_filter_say_which_articles_they_counted(
    small_limits, estimates_url, app
) -> None:
    engine = open_store(estimates_url)
    rare = Filters(query=QUERY, countries=("XK",), topics=("medtop:04000000",))
    walked = counts.country_counts(engine, rare, NOW, cap=CAP)
    engine.dispose()
    assert walked.attrs == {"newest_with_words": CAP * matching.FTS_REACH}
    at = run_page(app, "views/search.py", RARE_QUERY)
    assert captions(at).count(WALKED_NOTE) == 3  # countries, topics and sources facets
    assert NEWEST_NOTE not in captions(at)
    kosovo = int(walked.set_index("code")["n"]["XK"])
    assert f"{kosovo:,} · Kosovo" in [e.proto.label for e in at.get("page_link")]


def test_search_says_about_for_a_total_scaled_from_the_window(small_limits, estimates_url, app) -> None:
    engine = open_store(estimates_url)
    english = Filters(query=QUERY, languages=("en",))
    results, total = search.search_articles(engine, english, NOW, limit=PAGE_SIZE)
    engine.dispose()
    assert results.attrs == {"ranked_newest": WINDOW, "estimated": True}
    at = run_page(app, "views/search.py", EN_QUERY)
    assert f"About {total:,} articles match, best first" in subheaders(at)
    assert RANKED_NOTE in captions(at)
    assert pager(f"about {total:,}", total) in captions(at)


# --- Limits as shipped: the same pages count exactly and say nothing of estimates ------------------
# Each case: the page, its URL, and (texts of the page, what one of them starts with) pairs.

EXACT_PAGES = {
    "overview": ("views/overview.py", US_QUERY, [(articles_metric, f"{EXACT_US:,}")]),
    "timeline": ("views/timeline.py", US_QUERY, [(captions, pager(f"{EXACT_US:,}", EXACT_US))]),
    "map-country": (
        "views/map.py",
        US_QUERY,
        [(subheaders, f"United States: {EXACT_US:,} articles"), (captions, pager(f"{EXACT_US:,}", EXACT_US))],
    ),
    "map-world": ("views/map.py", {"q": QUERY}, [(subheaders, "Most covered countries")]),
    "export": (
        "views/export.py",
        US_QUERY,
        [
            (paragraphs, f"**{EXACT_US:,} articles** match"),
            (buttons, f"Download {EXACT_US:,} articles as CSV"),
        ],
    ),
    "search": (
        "views/search.py",
        EN_QUERY,
        [
            (subheaders, f"{EXACT_EN:,} articles match, best first"),
            (captions, pager(f"{EXACT_EN:,}", EXACT_EN)),
        ],
    ),
}


@pytest.mark.parametrize("case", EXACT_PAGES)
def test_exact_counts_are_shown_plain(estimates_env, app, case: str) -> None:
    page, params, expected = EXACT_PAGES[case]
    at = run_page(app, page, params)
    for texts, exact in expected:
        assert any(text.startswith(exact) for text in texts(at)), texts(at)
    assert not [text for text in visible(at) if ESTIMATE_WORDING.search(text)]
    assert all(not m.help for m in at.metric)
