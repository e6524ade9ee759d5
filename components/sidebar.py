"""The shared sidebar: every filter, the reference time, the copy-link box and the attribution."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from components import data, state
from components.copy_link import render_copy_link
from components.format import format_count, format_day
from dateline.charts import country_name
from dateline.filters import COUNTRY_MODES, PERIOD_CHOICES, Filters

PERIOD_LABELS = {
    "24h": "Last 24 hours",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "all": "All dates",
    "custom": "Custom…",
}
ATTRIBUTION = (
    "Sample articles: [Wikinews](https://en.wikinews.org), "
    "[CC BY 2.5](https://creativecommons.org/licenses/by/2.5/)."
)


def render_sidebar(now: datetime, anchored: bool) -> Filters:
    """Draw the filter widgets (seeded from the URL by `state.load_url_state`) and return the Filters."""
    w = state.FILTER_WIDGETS
    for key, default in (
        (w["period"], "all"),
        (w["range"], ()),
        (w["country_mode"], "about"),
        (w["query"], ""),
    ):
        st.session_state.setdefault(key, default)
    for key in (w["countries"], w["topics"], w["sources"], w["languages"]):
        st.session_state.setdefault(key, [])
    with st.sidebar:
        st.text_input("Search text", key=w["query"], placeholder='e.g. election -local, "climate change"')
        _period_widgets(now, anchored)
        _facet_widgets()
        st.button("Reset filters", key="reset_filters", width="stretch", on_click=_reset)
    return state.filters_from_widgets()


def _period_widgets(now: datetime, anchored: bool) -> None:
    w = state.FILTER_WIDGETS
    st.selectbox("Period", PERIOD_CHOICES, key=w["period"], format_func=PERIOD_LABELS.__getitem__)
    if st.session_state[w["period"]] == "custom":
        first, last = data.date_bounds(data.db_url())
        # A shared link may hold days outside this database's range: widen the bounds, never fail.
        chosen = list(st.session_state.get(w["range"]) or ())
        st.date_input(
            "From – to (inclusive)",
            key=w["range"],
            min_value=min([_day(first, date(1990, 1, 1)), *chosen]),
            max_value=max([_day(last, now.date()), now.date(), *chosen]),
            format="YYYY-MM-DD",
        )
    if anchored:
        st.caption(f"Periods are relative to the newest article, {now:%Y-%m-%d %H:%M}.")


def _facet_widgets() -> None:
    w, db = state.FILTER_WIDGETS, data.db_url()
    everything, now = Filters(), data.reference_now()[0]
    # Counted the way the "Country match" below counts, so a country's number here is the one its pages show.
    mode = st.session_state.get(w["country_mode"], "about")
    countries = data.country_counts(db, everything, now, mode)
    by_country = dict(zip(countries["code"], countries["n"], strict=True))
    st.multiselect(
        "Countries",
        _options(list(by_country), w["countries"]),
        key=w["countries"],
        format_func=lambda c: f"{country_name(c)} ({format_count(by_country.get(c, 0))})",
        placeholder="All countries",
    )
    st.radio(
        "Country match",
        COUNTRY_MODES,
        key=w["country_mode"],
        horizontal=True,
        format_func={"about": "is about", "mentioned": "mentions"}.__getitem__,
        help="'is about': the country is a main subject. 'mentions': named anywhere in the text.",
    )
    st.multiselect(
        "Topics",
        _options(_topic_options(), w["topics"]),
        key=w["topics"],
        format_func=_topic_option_label,
        placeholder="All topics",
    )
    sources = data.facet_counts(db, everything, now, "source")
    st.multiselect(
        "Sources", _options(list(sources["key"]), w["sources"]), key=w["sources"], placeholder="All sources"
    )
    languages = data.facet_counts(db, everything, now, "language")
    st.multiselect(
        "Languages",
        _options(list(languages["key"]), w["languages"]),
        key=w["languages"],
        placeholder="All languages",
    )


def _options(known: list[str], key: str) -> list[str]:
    # Values from a shared link may be absent from this database; keep them selectable so they show.
    chosen = [v for v in st.session_state.get(key, []) if v not in known]
    return chosen + [k for k in known if k]


def _topic_options() -> list[str]:
    tax = data.taxonomy()
    return [code for top in tax.top_level() for code in (top, *tax.children(top))]


def _topic_option_label(code: str) -> str:
    tax = data.taxonomy()
    if code not in tax:
        return code
    return f"↳ {tax.label(code)}" if tax.parent(code) else tax.label(code).capitalize()


def _day(text: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(text[:10]) if text else fallback
    except ValueError:
        return fallback


def _reset() -> None:
    # A callback: it runs before the next script run, while the widgets may still be changed.
    defaults = {"f_period": "all", "f_range": (), "f_cmode": "about", "f_query": ""}
    for key in state.FILTER_WIDGETS.values():
        st.session_state[key] = defaults.get(key, [])


def render_footer(share_url: str, db_rows: int | None = None) -> None:
    """Copy-link box, the time note and the attribution, at the bottom of the sidebar."""
    with st.sidebar:
        st.divider()
        st.caption("Link to this view: it opens exactly this page with these filters.")
        render_copy_link(share_url)
        st.caption("Times are shown as published: the source's local time, with its UTC offset when known.")
        if db_rows is not None:
            st.caption(f"{format_count(db_rows)} articles in the database.")
        st.caption(ATTRIBUTION)


def format_range(f: Filters, now: datetime) -> str:
    """The filters' time range in words, for headings."""
    since, until = f.time_range(now)
    if since is None and until is None:
        return "all dates"
    start = format_day(since) if since else "the beginning"
    end = format_day(until, inclusive_end=True) if until else f"{now:%Y-%m-%d %H:%M}"
    return f"{start} – {end}"
