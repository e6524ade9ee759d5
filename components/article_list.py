"""Lists of articles and of top facets, each item linking to the article or its filtered view."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from components import data, state
from components.format import counted_over, escape_markdown, format_count, format_published, highlight_snippet
from dateline.charts import country_name
from dateline.filters import Filters

READER = "views/reader.py"
PAGE_SIZE = 20


def describe_codes(countries: str, topics: str) -> str:
    names = [country_name(c) for c in countries.split(",") if c]
    labels = [data.topic_label(t) for t in topics.split(",") if t]
    return " · ".join(part for part in (", ".join(names), ", ".join(labels[:3])) if part)


def render_articles(frame: pd.DataFrame, f: Filters, *, empty: str, snippets: bool = False) -> None:
    """Headlines with source, time, countries and topics; a click opens the article in the Reader."""
    if frame.empty:
        st.info(empty, icon="ℹ️")
        return
    for row in frame.itertuples(index=False):
        with st.container(gap="xsmall"):
            st.page_link(
                READER,
                label=escape_markdown(str(row.title) or "(untitled)"),
                query_params=state.link_params(f, article=str(row.id)),
            )
            if snippets and getattr(row, "snippet", None):
                st.markdown(
                    f"<p class='dl-snippet'>{highlight_snippet(str(row.snippet))}</p>",
                    unsafe_allow_html=True,
                )
            meta = [escape_markdown(str(row.source or "unknown source")), format_published(row.published_at)]
            if hasattr(row, "countries"):
                meta.append(escape_markdown(describe_codes(str(row.countries or ""), str(row.topics or ""))))
            st.caption(" — ".join(m for m in meta if m))


def page_offset(f: Filters, *, key: str) -> int:
    """The 0-based offset of the current results page; a change of filters goes back to page 1.

    A page number from a shared link is kept, since nothing changed yet in that session.
    """
    page_key = state.init_page_widget("page")
    seen = st.session_state.get(f"{key}_filters")
    if seen is not None and seen != f:
        st.session_state[page_key] = 1
    st.session_state[f"{key}_filters"] = f
    return (max(1, int(st.session_state[page_key])) - 1) * PAGE_SIZE


def count_text(total: int, estimated: bool = False) -> str:
    """A count for display; an estimate (scaled from a sample by the store) says so."""
    return f"about {format_count(total)}" if estimated else format_count(total)


def render_pager(total: int, *, key: str, estimated: bool = False) -> None:
    """Previous/next buttons over `total` results (callbacks, so the next run loads the new page)."""
    page_key = state.PAGE_WIDGETS["page"]
    pages = max(1, -(-total // PAGE_SIZE))
    page = max(1, int(st.session_state.get(page_key, 1)))
    left, middle, right = st.columns([1, 3, 1])
    left.button(
        "◀ Previous", key=f"{key}_prev", disabled=page <= 1, width="stretch",
        on_click=state.set_page_value, args=("page", min(page - 1, pages)),
    )  # fmt: skip
    right.button(
        "Next ▶", key=f"{key}_next", disabled=page >= pages, width="stretch",
        on_click=state.set_page_value, args=("page", page + 1),
    )  # fmt: skip
    first = (page - 1) * PAGE_SIZE
    if total and first >= total:
        middle.caption(
            f"Page {page:,} is past the end: {count_text(total, estimated)} articles in {pages:,} pages."
        )
        return
    shown = f"{format_count(first + 1)}–{format_count(min(total, first + PAGE_SIZE))}" if total else "0"
    middle.caption(f"Page {page:,} of {pages:,} · articles {shown} of {count_text(total, estimated)}")


def render_top_list(frame: pd.DataFrame, f: Filters, *, facet: str, label, page: str, limit: int = 8) -> None:
    """Top facet values with counts; each links to `page` with that value added to the filters."""
    if frame.empty:
        st.caption("Nothing here yet for these filters.")
        return
    field = {"country": "countries", "topic": "topics", "source": "sources"}[facet]
    for key, n in frame.head(limit).itertuples(index=False):
        narrowed = replace(f, **{field: tuple(dict.fromkeys((*getattr(f, field), str(key))))})
        st.page_link(
            page,
            label=f"{format_count(n)} · {escape_markdown(label(str(key)))}",
            query_params=state.link_params(narrowed),
        )
    scope = counted_over(frame.attrs)
    if scope:
        # The store counts huge match sets over their newest articles only; say so, never hide it.
        st.caption(f"Counted over {scope}.")
