"""The filters <-> URL codec: a round trip keeps every value, bad parameters become notices."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline.filters import (
    MAX_QUERY_LEN,
    Filters,
    PageState,
    _known_countries,
    filters_from_params,
    filters_to_params,
    page_state_from_params,
    page_state_to_params,
)
from dateline.process.taxonomy import load_taxonomy

# Codes come from the real vocabularies: a well-formed but unknown code ("ZZ") is rejected on purpose.
country = st.sampled_from(sorted(_known_countries()))
topic = st.sampled_from(sorted(load_taxonomy().all_codes()))
language = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=3)
# Sources and queries are free text: anything that survives stripping, including &, =, #, quotes, unicode.
free_text = st.text(min_size=1, max_size=60).map(str.strip).filter(bool)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))


def unique(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(strategy, unique=True, max_size=6).map(tuple)


@st.composite
def filters(draw: st.DrawFn) -> Filters:
    period = draw(st.sampled_from(["24h", "7d", "30d", "all", "custom"]))
    start = end = None
    if period == "custom":
        start, end = draw(st.none() | days), draw(st.none() | days)
        if start and end and start > end:
            start, end = end, start
    return Filters(
        period=period,
        start=start,
        end=end,
        countries=draw(unique(country)),
        country_mode=draw(st.sampled_from(["about", "mentioned"])),
        topics=draw(unique(topic)),
        sources=draw(unique(free_text)),
        languages=draw(unique(language)),
        query=draw(st.just("") | free_text),
    )


@given(filters())
def test_filters_round_trip_through_params(f: Filters) -> None:
    assert filters_from_params(filters_to_params(f)) == (f, [])


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=20) | st.lists(st.text(max_size=20))))
def test_any_params_give_filters_never_an_exception(params: dict) -> None:
    f, notices = filters_from_params(params)
    assert isinstance(f, Filters) and all(isinstance(n, str) for n in notices)
    assert filters_from_params(filters_to_params(f))[0] == f  # what we accept, we can write back


def test_default_filters_make_an_empty_query_string() -> None:
    assert filters_to_params(Filters()) == {}


@pytest.mark.parametrize(
    ("params", "expected", "notice_part"),
    [
        ({"period": "1y"}, Filters(), "Unknown period"),
        ({"country": ["fr", "FR", "France"]}, Filters(countries=("FR",)), "'France'"),
        ({"topic": "politics"}, Filters(), "not a valid topic code"),
        ({"country": ["ZZ", "XK"]}, Filters(countries=("XK",)), "'ZZ' is not a valid country code"),
        ({"topic": "medtop:99999999"}, Filters(), "not a valid topic code"),
        ({"lang": "English"}, Filters(), "not a valid language code"),
        ({"cmode": "near"}, Filters(), "Unknown country mode"),
        ({"from": "2020-13-01"}, Filters(), "is not a date"),
        (
            {"from": "2020-02-01", "to": "2020-01-01"},
            Filters(period="custom", start=date(2020, 1, 1), end=date(2020, 2, 1)),
            "swapped",
        ),
        ({"q": ["a", "b"]}, Filters(query="a"), "given 2 times"),
        ({"q": "x" * (MAX_QUERY_LEN + 5)}, Filters(query="x" * MAX_QUERY_LEN), "cut to"),
    ],
)
def test_bad_params_become_notices(params: dict, expected: Filters, notice_part: str) -> None:
    f, notices = filters_from_params(params)
    assert f == expected
    assert any(notice_part in n for n in notices), notices


def test_dates_without_a_period_mean_custom() -> None:
    f, notices = filters_from_params({"from": "2020-03-01"})
    assert (f.period, f.start, f.end, notices) == ("custom", date(2020, 3, 1), None, [])


def test_custom_range_covers_whole_end_day() -> None:
    f = Filters(period="custom", start=date(2020, 1, 1), end=date(2020, 1, 31))
    assert f.time_range(datetime(2030, 1, 1)) == (datetime(2020, 1, 1), datetime(2020, 2, 1))


page_states = st.builds(
    PageState,
    granularity=st.sampled_from(["day", "week", "month"]),
    split=st.sampled_from(["none", "topic", "country", "source"]),
    measure=st.sampled_from(["count", "share"]),
    span=st.none() | st.tuples(days, days).map(lambda d: (min(d), max(d))),
    article=st.just("") | st.text("abcdef0123456789", min_size=8, max_size=40),
    sort=st.sampled_from(["newest", "oldest"]),
    page=st.integers(1, 10_000),
)


@given(page_states)
def test_page_state_round_trip_through_params(state: PageState) -> None:
    assert page_state_from_params(page_state_to_params(state)) == (state, [])


@pytest.mark.parametrize(
    ("params", "notice_part"),
    [
        ({"gran": "hour"}, "Unknown gran"),
        ({"page": "-3"}, "not a page number"),
        ({"page": "0"}, "not a page number"),
        ({"article": "<script>"}, "malformed"),
        ({"span": "2020-01-01..soon"}, "Span"),
    ],
)
def test_bad_page_params_become_notices(params: dict, notice_part: str) -> None:
    state, notices = page_state_from_params(params)
    assert state == PageState()
    assert any(notice_part in n for n in notices), notices
