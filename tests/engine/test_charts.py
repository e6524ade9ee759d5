"""Chart builders: figures built from DataFrames without Streamlit or a browser."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dateline.charts import (
    EMPTY_TEXT,
    alpha2_from_alpha3,
    country_alpha3,
    country_name,
    make_count_bars,
    make_timeline,
    make_world_map,
)

WEEKS = pd.to_datetime(["2020-01-06", "2020-01-13"])


def timeline_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": [WEEKS[0], WEEKS[0], WEEKS[1], WEEKS[1], WEEKS[1]],
            "key": ["medtop:11000000", "other", "medtop:11000000", "medtop:15000000", "other"],
            "n": [6, 2, 3, 12, 1],
        }
    )


@pytest.mark.parametrize(
    ("code", "name", "alpha3"),
    [("FR", "France", "FRA"), ("US", "United States", "USA"), ("XK", "Kosovo", "XKX"), ("ZZ", "ZZ", None)],
)
def test_country_names_and_codes(code: str, name: str, alpha3: str | None) -> None:
    assert country_name(code) == name
    assert country_alpha3(code) == alpha3
    if alpha3:
        assert alpha2_from_alpha3(alpha3) == code


def test_timeline_stacks_keys_biggest_first_and_other_last() -> None:
    fig = make_timeline(timeline_counts(), key_label=lambda k: {"medtop:11000000": "politics"}.get(k, k))
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["medtop:15000000", "politics", "Other"]
    politics = fig.data[1]
    assert list(politics.y) == [6, 3] and list(politics.customdata[:, 0]) == ["medtop:11000000"] * 2


def test_timeline_share_divides_by_all_articles() -> None:
    totals = pd.DataFrame({"period": WEEKS, "n": [10, 20]})
    fig = make_timeline(timeline_counts(), measure="share", totals=totals)
    other = next(t for t in fig.data if t.name == "Other")
    assert list(other.y) == pytest.approx([20.0, 5.0])
    assert "Share" in fig.layout.yaxis.title.text
    # multi-label shares can sum past 100 %, so a split is drawn as lines, never stacked bars
    assert {t.type for t in fig.data} == {"scatter"}
    sport = next(t for t in fig.data if t.name == "medtop:15000000")
    assert list(sport.y) == pytest.approx([0.0, 60.0])  # absent in week 1: a zero, not a gap


def test_timeline_share_of_a_single_series_stays_bars() -> None:
    counts = pd.DataFrame({"period": WEEKS, "key": ["", ""], "n": [4, 5]})
    totals = pd.DataFrame({"period": WEEKS, "n": [8, 10]})
    fig = make_timeline(counts, measure="share", totals=totals)
    assert [t.type for t in fig.data] == ["bar"] and list(fig.data[0].y) == pytest.approx([50.0, 50.0])


def test_timeline_without_split_is_one_series() -> None:
    counts = pd.DataFrame({"period": WEEKS, "key": ["", ""], "n": [4, 5]})
    fig = make_timeline(counts, granularity="month")
    assert [t.name for t in fig.data] == ["All articles"]
    assert fig.layout.xaxis.title.text == "Month"


def test_labels_with_html_are_escaped_in_hover() -> None:
    counts = pd.DataFrame({"period": WEEKS[:1], "key": ["<b>x</b>"], "n": [1]})
    fig = make_timeline(counts)
    assert "<b>x</b>" not in fig.data[0].hovertemplate
    assert "&lt;b&gt;x&lt;/b&gt;" in fig.data[0].hovertemplate


@pytest.mark.parametrize("builder", [make_timeline, make_world_map])
def test_empty_frames_give_a_figure_that_says_so(builder) -> None:
    fig = builder(pd.DataFrame(columns=["period", "code", "key", "n"]))
    assert fig.layout.annotations[0].text == EMPTY_TEXT


def test_world_map_uses_alpha3_log_scale_and_topics_in_hover() -> None:
    counts = pd.DataFrame({"code": ["US", "FR", "ZZ", "XK"], "n": [1000, 10, 5, 1]})
    topics = pd.DataFrame(
        {"code": ["FR", "FR"], "topic": ["medtop:11000000", "medtop:15000000"], "n": [7, 3]}
    )
    fig = make_world_map(
        counts,
        top_topics=topics,
        topic_label=lambda t: {"medtop:11000000": "politics"}.get(t, t),
        selected=["FR"],
    )
    trace = fig.data[0]
    assert list(trace.locations) == ["USA", "FRA", "XKX"]  # ZZ has no shape and is left out
    assert list(trace.customdata) == ["US", "FR", "XK"]
    assert trace.z[0] == pytest.approx(3.0) and trace.z[2] == pytest.approx(0.0)
    assert "1,000 articles" in trace.text[0]
    assert "politics (7)" in trace.text[1] and "medtop:15000000 (3)" in trace.text[1]
    assert list(trace.selectedpoints) == [1]
    assert fig.layout.geo.fitbounds is False
    assert list(trace.colorbar.ticktext) == ["1", "10", "100", "1,000"]
    assert trace.colorbar.tickvals[-1] == pytest.approx(math.log10(1000))


def test_count_bars_put_the_biggest_on_top() -> None:
    fig = make_count_bars(pd.DataFrame({"key": ["a", "b", "c"], "n": [5, 50, 1]}), label=str.upper)
    assert list(fig.data[0].y) == ["C", "A", "B"]
    assert list(fig.data[0].x) == [1, 5, 50]
