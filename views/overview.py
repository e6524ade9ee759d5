"""Overview: counts for the current filters, latest headlines, top countries, topics and sources."""

import streamlit as st

from components import data, state
from components.article_list import render_articles, render_top_list
from components.format import counted_over, format_count
from components.sidebar import format_range
from dateline.charts import country_name

view = state.current_view()
f, now, db = view.filters, view.now, view.db

st.title("📰 Overview")
st.caption(f"Published: {format_range(f, now)}. Times are as published by each source.")
total, estimated = data.count_articles_estimate(db, f, now)
countries = data.country_counts(db, f, now, f.country_mode)
topics = data.facet_counts(db, f, now, "topic")
sources = data.facet_counts(db, f, now, "source")

cols = st.columns(4)
cols[0].metric(
    "Articles",
    ("≈ " if estimated else "") + format_count(total),
    help="Estimated from an even sample of the articles containing the words." if estimated else None,
)
for col, name, frame in zip(
    cols[1:], ("Countries", "Topics", "Sources"), (countries, topics, sources), strict=True
):
    scope = counted_over(frame.attrs)  # distinct values among the newest matches: a lower bound
    col.metric(
        name,
        ("≥ " if scope else "") + format_count(len(frame)),
        help=f"Counted over {scope}." if scope else None,
    )

if total == 0:
    st.info(
        "No articles match these filters. Widen the period or clear filters in the sidebar "
        "(“Reset filters”), or add news on the **Sources** page.",
        icon="ℹ️",
    )

latest, tops = st.columns([3, 2], gap="large")
with latest:
    st.subheader("Latest headlines")
    render_articles(
        data.list_articles(db, f, now, 12, 0, "newest"),
        f,
        empty="Nothing to show yet: no headlines for these filters.",
    )
with tops:
    st.subheader("Top countries")
    render_top_list(
        countries.rename(columns={"code": "key"}), f, facet="country", label=country_name, page="views/map.py"
    )
    st.subheader("Top topics")
    render_top_list(topics, f, facet="topic", label=data.topic_label, page="views/timeline.py")
    st.subheader("Top sources")
    render_top_list(sources, f, facet="source", label=str, page="views/overview.py")
