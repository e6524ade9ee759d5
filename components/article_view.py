"""The Reader's pieces: article header, chips, highlighted text, attribution."""

from __future__ import annotations

import streamlit as st

from components import data
from components.format import escape_markdown, format_published, highlight_spans
from dateline.models import Article, TopicTag

WIKINEWS_NOTE = (
    "From [Wikinews](https://en.wikinews.org), licensed "
    "[CC BY 2.5](https://creativecommons.org/licenses/by/2.5/)."
)
_CSS = """<style>
.dl-text { line-height: 1.6; max-width: 48rem; }
.dl-snippet { margin: 0 0 .25rem 0; line-height: 1.5; }
/* Headlines are page links, which Streamlit cuts to one line; let them wrap (phones). */
[data-testid="stPageLink"] a, [data-testid="stPageLink"] a * { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
.dl-text mark, .dl-snippet mark { background: rgba(255, 200, 0, 0.35); color: inherit; padding: 0 .1em; border-radius: 3px; }
</style>"""


def render_header(article: Article) -> None:
    st.title(escape_markdown(article.title or "(untitled)"))
    facts = [
        ("Source", article.source),
        ("By", article.author),
        ("Published", format_published(article.published_at)),
        ("Dateline", article.dateline),
        ("Agency", article.agency),
        ("Language", article.language),
    ]
    st.caption(" · ".join(f"**{name}:** {escape_markdown(str(value))}" for name, value in facts if value))
    url = article.url or ""
    if url.startswith(("http://", "https://")):
        st.link_button("Open the original ↗", url)


def render_chips(article: Article) -> None:
    """Countries (about ones first, bold) and the topics the story is about as badges; then, quieter,
    the topics it only mentions."""
    about = [c for c in article.countries if c.about]
    mentioned = [c for c in article.countries if not c.about]
    chips = [f":blue-badge[🌍 {escape_markdown(c.name or c.code)}]" for c in about]
    chips += [f":gray-badge[{escape_markdown(c.name or c.code)} ×{c.mentions}]" for c in mentioned]
    chips += [
        f":{'green' if t.primary else 'gray'}-badge[🏷️ {_topic_label(t)}]" for t in article.topics if t.about
    ]
    if chips:
        st.markdown(" ".join(chips))
    also = [f":gray-badge[{_topic_label(t)}]" for t in article.topics if not t.about]
    if also:
        st.caption("Also mentions: " + " ".join(also))


def _topic_label(tag: TopicTag) -> str:
    return escape_markdown(data.topic_label(tag.code))


def render_text(article: Article) -> None:
    """The clean text, escaped, with every country mention highlighted (hover shows the country)."""
    spans = [(start, end, tag.name or tag.code) for tag in article.countries for start, end in tag.offsets]
    body = highlight_spans(article.text or "", spans)
    st.markdown(f"<div class='dl-text'><p>{body}</p></div>", unsafe_allow_html=True)
    if is_wikinews(article):
        st.caption(WIKINEWS_NOTE)


def is_wikinews(article: Article) -> bool:
    return "wikinews" in f"{article.url or ''} {article.source or ''}".lower()


def page_css() -> None:
    """The few style rules the app adds (highlights, wrapping headlines); called once per run."""
    st.markdown(_CSS, unsafe_allow_html=True)
