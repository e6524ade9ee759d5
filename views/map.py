"""Map: articles per country on a world choropleth; click a country to filter and see its coverage."""

from dataclasses import replace

import streamlit as st

from components import data, state
from components.article_list import (
    PAGE_SIZE,
    count_text,
    page_offset,
    render_articles,
    render_pager,
    render_top_list,
)
from components.charts import render_world_map
from components.format import counted_over
from dateline.charts import country_alpha3, country_name, make_world_map

view = state.current_view()
f, now, db = view.filters, view.now, view.db
# The map itself ignores the country filter, so the whole world stays visible to pick from.
world = replace(f, countries=())
mode_text = "about" if f.country_mode == "about" else "mentioning"

st.title("🌍 Map")
st.caption(
    f"Articles {mode_text} each country (switch “Country match” in the sidebar). "
    "Click a country to filter by it; shift-click to add more; click the sea to clear."
)
counts = data.country_counts(db, world, now, f.country_mode)
fig = make_world_map(
    counts,
    top_topics=data.top_topics_by_country(db, world, now),
    topic_label=data.topic_label,
    selected=f.countries,
)
render_world_map(fig, key="world_map")
unmapped = [c for c in counts["code"] if not country_alpha3(c)]
if unmapped:
    st.caption("Not on the map (no shape): " + ", ".join(sorted(unmapped)))
if counted_over(counts.attrs):
    # Colours and hovers come from capped counts here; say so even when the list below is hidden.
    st.caption(f"Map counted over {counted_over(counts.attrs)}.")

if not f.countries:
    st.subheader("Most covered countries")
    render_top_list(
        counts.rename(columns={"code": "key"}),
        f,
        facet="country",
        label=country_name,
        page="views/map.py",
        limit=15,
    )
else:
    names = ", ".join(country_name(c) for c in f.countries)
    articles, together = st.columns([3, 2], gap="large")
    with articles:
        offset = page_offset(f, key="map_pager")
        total, estimated = data.count_articles_estimate(db, f, now)
        st.subheader(f"{names}: {count_text(total, estimated)} articles")
        render_pager(total, key="map_pager", estimated=estimated)
        render_articles(
            data.list_articles(db, f, now, PAGE_SIZE, offset, "newest"),
            f,
            empty=f"No articles {mode_text} {names} for these filters: widen the period in the sidebar.",
        )
    with together:
        first = f.countries[0]
        st.subheader(f"Covered together with {country_name(first)}")
        co = data.co_countries(db, replace(f, countries=(first,)), now, first)
        render_top_list(
            co.rename(columns={"code": "key"}),
            replace(f, countries=(first,)),
            facet="country",
            label=country_name,
            page="views/map.py",
            limit=15,
        )
