"""Sources: what is in the database, recent ingests and their problems; uploads and feeds for admins."""

import streamlit as st

from components import data, state
from components.admin import admin_signed_in, render_add_feed, render_upload
from components.format import format_count

view = state.current_view()
db = view.db

st.title("🗂️ Sources")
stats = data.source_stats(db)
if stats.empty:
    st.info(
        "The database is empty. Sign in below to upload files or add a feed, or run `dateline ingest`.",
        icon="ℹ️",
    )
else:
    st.caption(
        f"{format_count(stats['n'].sum())} articles from {format_count(len(stats))} sources. Times as published."
    )
    st.dataframe(
        stats,
        hide_index=True,
        width="stretch",
        column_config={
            "source": "Source",
            "n": st.column_config.NumberColumn("Articles", format="localized"),
            "first_published": "First article",
            "last_published": "Latest article",
            "last_ingested": "Last ingest (UTC)",
        },
    )

st.subheader("Recent ingests")
runs = data.ingest_runs(db)
if runs.empty:
    st.caption("No ingest runs recorded yet.")
else:
    st.dataframe(
        runs,
        hide_index=True,
        width="stretch",
        column_config={
            "run_id": "Run",
            "started_at": "Started (UTC)",
            "finished_at": "Finished (UTC)",
            "sources": "Sources",
            **{
                k: st.column_config.NumberColumn(k.capitalize(), format="localized")
                for k in ("new", "updated", "unchanged", "failed")
            },
        },
    )
    run_id = st.selectbox("Problems of run", list(runs["run_id"]), key="problems_run")
    problems = data.run_problems(db, int(run_id))
    if problems.empty:
        st.caption("This run reported no problems.")
    else:
        st.dataframe(problems, hide_index=True, width="stretch")

st.subheader("Add news")
if admin_signed_in():
    render_upload()
    render_add_feed()
