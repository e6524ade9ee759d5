"""Reader: one article's clean text with its metadata, tags, highlighted mentions and related stories."""

import streamlit as st

from components import data, state
from components.article_list import render_articles
from components.article_view import render_chips, render_header, render_text

view = state.current_view()
f, now, db = view.filters, view.now, view.db
page = state.page_state("article")
article = data.get_article(db, page.article) if page.article else None

if not page.article:
    st.title("📖 Reader")
    st.info(
        "Pick a headline on Overview, Timeline, Map or Search to read it here. The latest ones:", icon="ℹ️"
    )
    render_articles(
        data.list_articles(db, f, now, 10, 0, "newest"), f, empty="No articles yet: add some on Sources."
    )
elif article is None:
    st.title("📖 Reader")
    st.warning(f"No article with id {page.article!r} in this database (it may have been removed).", icon="⚠️")
else:
    main, side = st.columns([3, 1], gap="large")
    with main:
        render_header(article)
        render_chips(article)
        render_text(article)
    with side:
        st.subheader("Related stories")
        related = data.related_articles(db, article)
        render_articles(related, f, empty="No related stories found.")
