"""Dateline dashboard entry point: pages, shared sidebar, URL state (run with `streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.article_view import page_css
from components.sidebar import render_footer, render_sidebar
from dateline.errors import DatelineError
from dateline.filters import Filters

st.set_page_config(page_title="Dateline", page_icon="📰", layout="wide")

# Emoji icons only: Material icons are fetched from the internet (notes/PLATFORM.md).
# The page files live in views/, not pages/: with a pages/ folder beside app.py, Streamlit 1.67 runs
# the first request of a fresh server (and every AppTest rerun) through its old auto-discovery, which
# executes e.g. pages/map.py alone, without this script, when a shared link opens /map.
PAGES = [
    st.Page("views/overview.py", title="Overview", icon="📰", default=True),
    st.Page("views/timeline.py", title="Timeline", icon="📈"),
    st.Page("views/map.py", title="Map", icon="🌍"),
    st.Page("views/reader.py", title="Reader", icon="📖"),
    st.Page("views/search.py", title="Search", icon="🔎"),
    st.Page("views/sources.py", title="Sources", icon="🗂️"),
    st.Page("views/export.py", title="Export", icon="⬇️"),
]
page = st.navigation(PAGES)

try:
    data.engine()
except DatelineError as exc:
    st.error(f"The database could not be opened: {exc}")
    st.info("Set DATELINE_DB_URL (environment or .streamlit/secrets.toml) to a valid SQLAlchemy URL.")
    st.stop()

state.load_url_state()
now, anchored = data.reference_now()
filters = render_sidebar(now, anchored)
state.set_view(state.View(db=data.db_url(), filters=filters, now=now, anchored=anchored))
for notice in state.take_notices():
    st.warning(notice, icon="⚠️")

page_css()
page.run()

state.write_url(filters)
render_footer(state.shareable_url(page.url_path, filters), data.count_articles(data.db_url(), Filters(), now))
