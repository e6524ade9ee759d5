"""Draw the pure plotly figures from dateline.charts, and turn selections into filters and page state."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from components import state
from dateline.charts import alpha2_from_alpha3, span_of_periods


def plotly_config() -> dict[str, object]:
    """Offline maps: plotly.js fetches <topojsonURL>world_110m.json, by default from cdn.plot.ly.

    We serve static/world_110m.json ourselves (server.enableStaticServing) at <base>/app/static/.
    """
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return {"topojsonURL": f"{prefix}/app/static/", "displaylogo": False, "scrollZoom": False}


def _points(key: str) -> list[dict]:
    event = st.session_state.get(key)
    return list(event.selection.points) if event else []


def render_world_map(fig: go.Figure, *, key: str) -> None:
    """Draw the choropleth; a click (shift-click: several) sets the sidebar's country filter."""

    def on_select() -> None:
        # Callbacks run before the script, so the sidebar widget may still be changed here.
        codes = [alpha2_from_alpha3(p.get("location", "")) for p in _points(key)]
        st.session_state[state.FILTER_WIDGETS["countries"]] = [c for c in codes if c]
        state.set_page_value("page", 1)

    st.plotly_chart(
        fig, key=key, on_select=on_select, selection_mode="points", config=plotly_config(), width="stretch"
    )


def render_timeline(fig: go.Figure, *, key: str, granularity: str) -> None:
    """Draw the stacked bars; clicking a bar or box-selecting several sets the page's `span`."""

    def on_select() -> None:
        periods = [str(p["x"])[:10] for p in _points(key) if p.get("x") is not None]
        state.set_page_value("span", span_of_periods(periods, granularity))
        state.set_page_value("page", 1)

    st.plotly_chart(
        fig,
        key=key,
        on_select=on_select,
        selection_mode=("points", "box"),
        config=plotly_config(),
        width="stretch",
    )


def render_figure(fig: go.Figure, *, key: str) -> None:
    st.plotly_chart(fig, key=key, config=plotly_config(), width="stretch")
