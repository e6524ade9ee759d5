"""Export: download exactly the articles of the current view as CSV or JSON, with no cap."""

from datetime import datetime

import streamlit as st

from components import data, state
from components.article_list import count_text
from components.exporting import FORMATS, export_file
from components.sidebar import format_range

view = state.current_view()
f, now, db = view.filters, view.now, view.db

st.title("⬇️ Export")
total, estimated = data.count_articles_estimate(db, f, now)
st.write(
    f"**{count_text(total, estimated).capitalize()} articles** match the current filters (published: {format_range(f, now)}). "
    "The download contains every one of them — nothing is cut off — with full text, countries and topics."
)
if total == 0:
    st.info("Nothing to export: widen the filters in the sidebar first.", icon="ℹ️")
else:
    fmt = st.radio("Format", list(FORMATS), horizontal=True, format_func=str.upper, key="export_format")
    mime, suffix = FORMATS[fmt]
    store = data.engine()
    stamp = f"{now:%Y%m%d-%H%M}" if view.anchored else f"{datetime.now():%Y%m%d-%H%M}"
    st.download_button(
        f"Download {count_text(total, estimated)} articles as {fmt.upper()}",
        # Built only when clicked, streamed from the database, so big exports don't block the page.
        data=lambda: export_file(data.iter_articles(store, f, now), fmt),
        file_name=f"dateline-{stamp}.{suffix}",
        mime=mime,
        type="primary",
        key="export_download",
    )
    st.caption("CSV: one row per article, lists joined with “; ”. JSON: an array of article objects.")
