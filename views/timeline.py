"""Timeline: articles per day, week or month, split by topic, country or source; select bars to list them."""

import streamlit as st

from components import data, state
from components.article_list import PAGE_SIZE, page_offset, render_articles, render_pager
from components.charts import render_timeline
from components.format import format_day
from dateline.charts import country_name, make_timeline
from dateline.filters import GRANULARITIES, MEASURES, SPLITS, Filters, narrow_to_span

view = state.current_view()
f, now, db = view.filters, view.now, view.db
SPLIT_LABELS = {"none": "nothing", "topic": "topic", "country": "country", "source": "source"}
KEY_LABEL = {"topic": data.topic_label, "country": country_name}

st.title("📈 Timeline")
left, middle, right = st.columns(3)
left.radio("Articles per", GRANULARITIES, key=state.init_page_widget("granularity"), horizontal=True)
middle.selectbox("Split by", SPLITS, key=state.init_page_widget("split"), format_func=SPLIT_LABELS.get)
right.radio(
    "Show", MEASURES, key=state.init_page_widget("measure"), horizontal=True,
    format_func={"count": "article counts", "share": "share of all articles"}.get,
)  # fmt: skip
page = state.page_state("granularity", "split", "measure", "span", "page")
split = None if page.split == "none" else page.split
counts = data.period_counts(db, f, now, page.granularity, split)
totals = None
if page.measure == "share":
    totals = data.period_totals(db, Filters(period=f.period, start=f.start, end=f.end), now, page.granularity)
fig = make_timeline(
    counts,
    granularity=page.granularity,
    measure=page.measure,
    totals=totals,
    key_label=KEY_LABEL.get(split, str),
)
render_timeline(fig, key="timeline_chart", granularity=page.granularity)
if counts.attrs.get("estimated"):
    st.caption("The words are in very many articles: counts are estimated from an even sample of them.")
span = page.span
weeks = " Weeks start on Monday." if page.granularity == "week" else ""
st.caption(f"Click a bar, or drag a box over several, to list those articles.{weeks}")

shown = narrow_to_span(f, span)
heading = f"Articles {format_day(span[0])} – {format_day(span[1])}" if span else "Articles"
st.subheader(heading)
if span and st.button("Show all periods", key="clear_span"):
    state.set_page_value("span", None)
    st.rerun()
offset = page_offset(shown, key="timeline_pager")
total, estimated = data.count_articles_estimate(db, shown, now)
render_pager(total, key="timeline_pager", estimated=estimated)
render_articles(
    data.list_articles(db, shown, now, PAGE_SIZE, offset, "newest"),
    shown,
    empty="No articles here: select another bar, or widen the filters in the sidebar.",
)
