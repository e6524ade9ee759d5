"""Search: full-text search with highlighted, ranked snippets, the sidebar filters and facet counts."""

import streamlit as st

from components import data, state
from components.article_list import PAGE_SIZE, page_offset, render_articles, render_pager, render_top_list
from components.format import format_count
from dateline.charts import country_name

view = state.current_view()
f, now, db = view.filters, view.now, view.db

st.title("🔎 Search")
state.search_box()
st.caption('Words match all forms (“elect*” for prefixes); “"exact phrase"”, OR, and -word to exclude.')
if not f.query:
    st.info(
        "Type words to search for above (or in the sidebar). The sidebar filters narrow the results.",
        icon="ℹ️",
    )
else:
    offset = page_offset(f, key="search_pager")
    results, total = data.search_articles(db, f, now, PAGE_SIZE, offset)
    about = "About " if results.attrs.get("estimated") else ""
    st.subheader(f"{about}{format_count(total)} articles match, best first")
    if results.attrs.get("ranked_newest"):
        st.caption(
            f"Ranked among the newest {format_count(results.attrs['ranked_newest'])} articles containing "
            "these words; add words or filters to rank a narrower set."
        )
    hits, facets = st.columns([3, 1], gap="large")
    with hits:
        render_pager(total, key="search_pager", estimated=bool(results.attrs.get("estimated")))
        render_articles(
            results,
            f,
            snippets=True,
            empty="No matches: try fewer words, a prefix like elect*, or wider filters.",
        )
    with facets:
        st.markdown("**Countries**")
        countries = data.country_counts(db, f, now, f.country_mode).rename(columns={"code": "key"})
        render_top_list(countries, f, facet="country", label=country_name, page="views/search.py", limit=6)
        st.markdown("**Topics**")
        topics = data.facet_counts(db, f, now, "topic")
        render_top_list(topics, f, facet="topic", label=data.topic_label, page="views/search.py", limit=6)
        st.markdown("**Sources**")
        sources = data.facet_counts(db, f, now, "source")
        render_top_list(sources, f, facet="source", label=str, page="views/search.py", limit=6)
