"""Pure plotly figure builders (`make_*`) for the dashboard: DataFrames in, figures out, no Streamlit."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import pycountry

OTHER = "other"
EMPTY_TEXT = "No articles match these filters"
# Codes in use that ISO 3166 (and pycountry) lacks; plotly's shapes use the same user-assigned codes.
_EXTRA_COUNTRIES = {"XK": ("Kosovo", "XKX")}
_GRANULARITY_TITLE = {"day": "Day", "week": "Week (starting Monday)", "month": "Month"}


def country_name(code: str) -> str:
    """A readable name for an alpha-2 code ("FR" -> "France"); the code itself when unknown."""
    if code in _EXTRA_COUNTRIES:
        return _EXTRA_COUNTRIES[code][0]
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or getattr(found, "name", code))


def country_alpha3(code: str) -> str | None:
    """The ISO 3166-1 alpha-3 code plotly maps use, or None for an unknown alpha-2."""
    if code in _EXTRA_COUNTRIES:
        return _EXTRA_COUNTRIES[code][1]
    found = pycountry.countries.get(alpha_2=code)
    return found.alpha_3 if found else None


def alpha2_from_alpha3(code: str) -> str | None:
    """Back from a map location (alpha-3) to the stored alpha-2 code."""
    for alpha2, (_, alpha3) in _EXTRA_COUNTRIES.items():
        if alpha3 == code:
            return alpha2
    found = pycountry.countries.get(alpha_3=code)
    return found.alpha_2 if found else None


def empty_figure(message: str = EMPTY_TEXT, *, height: int = 320) -> go.Figure:
    """A blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(
        height=height, xaxis_visible=False, yaxis_visible=False, margin=dict(l=0, r=0, t=10, b=0)
    )
    return fig


def make_timeline(
    counts: pd.DataFrame,
    *,
    granularity: str = "week",
    measure: str = "count",
    totals: pd.DataFrame | None = None,
    key_label: Callable[[str], str] = str,
    height: int = 380,
) -> go.Figure:
    """Stacked bars of articles per period (`period`, `key`, `n`), as counts or % of all articles."""
    if counts.empty:
        return empty_figure(height=height)
    data = counts.assign(label=[_key_text(k, key_label) for k in counts["key"]])
    value_title = "Articles"
    if measure == "share" and totals is not None and not totals.empty:
        # Every period with articles gets a point for every key (0 % when the key is absent),
        # so lines fall to zero instead of jumping over the periods where a key did not appear.
        grid = pd.MultiIndex.from_product([totals["period"], data["key"].unique()], names=["period", "key"])
        labels = dict(zip(data["key"], data["label"], strict=False))
        data = (
            data.set_index(["period", "key"])[["n"]]
            .reindex(grid, fill_value=0)
            .reset_index()
            .assign(label=lambda frame: frame["key"].map(labels))
        )
        merged = data.merge(totals.rename(columns={"n": "total"}), on="period", how="left")
        data = data.assign(value=(100 * merged["n"] / merged["total"].where(merged["total"] > 0)).fillna(0.0))
        value_title, number = "Share of all articles (%)", "%{y:.1f}%"
    else:
        data = data.assign(value=data["n"])
        number = "%{y:,}"
    # An article can have several countries or topics, so shares of a split add up to more than
    # 100 %: stacking them would mislead. Shares are drawn as one line per key instead.
    as_lines = measure == "share" and data["key"].nunique() > 1
    fig = go.Figure()
    for label in _stack_order(data):
        part = data[data["label"] == label].sort_values("period")
        trace = dict(
            x=part["period"],
            y=part["value"],
            name=label,
            customdata=part[["key"]].to_numpy(),
            hovertemplate=f"<b>{_escape(label)}</b><br>%{{x|%Y-%m-%d}}: {number}<extra></extra>",
        )
        if as_lines:
            fig.add_scatter(mode="lines+markers", marker_size=5, **trace)
        else:
            fig.add_bar(**trace)
    fig.update_layout(
        barmode="stack",
        height=height,
        margin=dict(l=0, r=0, t=10, b=0),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
        xaxis_title=_GRANULARITY_TITLE.get(granularity, granularity),
        yaxis_title=value_title,
        yaxis_tickformat=",",
        hovermode="closest",
    )
    return fig


def make_world_map(
    counts: pd.DataFrame,
    *,
    top_topics: pd.DataFrame | None = None,
    topic_label: Callable[[str], str] = str,
    selected: Iterable[str] = (),
    height: int = 460,
) -> go.Figure:
    """A world choropleth of articles per country (`code` alpha-2, `n`), on a log colour scale."""
    rows = [
        (c, a3, int(n))
        for c, n in zip(counts["code"], counts["n"], strict=True)
        if (a3 := country_alpha3(c)) and n > 0
    ]
    if not rows:
        return empty_figure(height=height)
    codes, locations, values = (list(col) for col in zip(*rows, strict=True))
    topics = _topics_by_country(top_topics, topic_label)
    hover = [
        f"<b>{_escape(country_name(c))}</b><br>{n:,} article{'s' if n != 1 else ''}" + topics.get(c, "")
        for c, n in zip(codes, values, strict=True)
    ]
    top = max(values)
    ticks = [v for v in (1, 10, 100, 1_000, 10_000, 100_000, 1_000_000) if v <= top] or [1]
    wanted = set(selected)
    fig = go.Figure(
        go.Choropleth(
            locations=locations,
            locationmode="ISO-3",
            z=[math.log10(v) for v in values],
            zmin=0,
            zmax=max(math.log10(top), 1.0),
            customdata=codes,
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            # Light blue to navy: the lightest shade still reads as "some news" on a dark background.
            colorscale=[[0.0, "#c6dbef"], [0.5, "#4a98c9"], [1.0, "#08306b"]],
            marker_line_width=0.4,
            marker_line_color="rgba(128,128,128,0.6)",
            colorbar=dict(
                title="Articles",
                tickvals=[math.log10(v) for v in ticks],
                ticktext=[f"{v:,}" for v in ticks],
                thickness=10,
                orientation="h",  # below the map: on a phone a vertical bar takes a third of the width
                x=0.5,
                xanchor="center",
                y=0,
                yanchor="top",
                len=0.6,
                title_side="top",
            ),
            selectedpoints=[i for i, c in enumerate(codes) if c in wanted] if wanted else None,
        )
    )
    fig.update_geos(
        fitbounds=False,  # plotly.js 4 recentres on the data otherwise (notes/PLATFORM.md)
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showcountries=True,
        countrycolor="rgba(128,128,128,0.5)",
        showland=True,
        landcolor="rgba(128,128,128,0.12)",
        bgcolor="rgba(0,0,0,0)",
        lataxis_range=[-58, 85],
    )
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0), dragmode=False)
    return fig


def make_count_bars(
    counts: pd.DataFrame, *, label: Callable[[str], str] = str, height_per_bar: int = 26
) -> go.Figure:
    """Horizontal bars for a top-N table (`key`, `n`), biggest on top."""
    if counts.empty:
        return empty_figure(height=160)
    data = counts.sort_values("n", ascending=True)
    labels = [label(str(k)) for k in data["key"]]
    fig = go.Figure(
        go.Bar(
            x=data["n"],
            y=labels,
            orientation="h",
            customdata=data[["key"]].to_numpy(),
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    fig.update_layout(
        height=max(160, 40 + height_per_bar * len(data)),
        margin=dict(l=0, r=0, t=10, b=0),
        xaxis_title="Articles",
        xaxis_tickformat=",",
        yaxis_type="category",
    )
    return fig


def _key_text(key: object, key_label: Callable[[str], str]) -> str:
    if key in ("", None):
        return "All articles"
    return "Other" if key == OTHER else key_label(str(key))


def _stack_order(data: pd.DataFrame) -> list[str]:
    totals = data.groupby("label", sort=False)["n"].sum().sort_values(ascending=False)
    order = [label for label in totals.index if label != "Other"]
    return order + (["Other"] if "Other" in totals.index else [])


def _topics_by_country(top_topics: pd.DataFrame | None, topic_label: Callable[[str], str]) -> dict[str, str]:
    if top_topics is None or top_topics.empty:
        return {}
    lines: dict[str, str] = {}
    for code, group in top_topics.sort_values("n", ascending=False).groupby("code", sort=False):
        parts = [
            f"{_escape(topic_label(str(t)))} ({int(n):,})"
            for t, n in zip(group["topic"], group["n"], strict=True)
        ]
        lines[str(code)] = "<br>Top topics: " + ", ".join(parts)
    return lines


def _escape(text: str) -> str:
    """Plotly renders a small HTML subset in hover text: show labels as text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def span_of_periods(periods: Iterable[str], granularity: str) -> tuple[date, date] | None:
    """The inclusive days covered by selected bars (their period starts), e.g. weeks -> Monday..Sunday."""
    starts = sorted(date.fromisoformat(p[:10]) for p in periods)
    if not starts:
        return None
    last = starts[-1]
    if granularity == "week":
        end = last + timedelta(days=6)
    elif granularity == "month":
        end = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    else:
        end = last
    return starts[0], end
