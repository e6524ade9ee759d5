"""The URL is the state: the only home of st.query_params; widgets <-> query string each run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode, urlsplit

import streamlit as st

from dateline.filters import (
    FILTER_KEYS,
    PAGE_KEYS,
    Filters,
    PageState,
    filters_from_params,
    filters_to_params,
    page_state_from_params,
    page_state_to_params,
)

# Session keys of the sidebar widgets (filters) and of each page's own state.
FILTER_WIDGETS = {
    "period": "f_period",
    "range": "f_range",
    "countries": "f_countries",
    "country_mode": "f_cmode",
    "topics": "f_topics",
    "sources": "f_sources",
    "languages": "f_langs",
    "query": "f_query",
}
PAGE_WIDGETS = {
    "granularity": "p_gran",
    "split": "p_split",
    "measure": "p_measure",
    "span": "p_span",
    "article": "p_article",
    "sort": "p_sort",
    "page": "p_page",
}
_PARAM_OF_FIELD = dict(zip(PAGE_WIDGETS, PAGE_KEYS, strict=True))
_WRITTEN = "_url_written"
_NOTICES = "_url_notices"
_USED = "_page_fields_used"
_KNOWN_PAGE_PATHS = {"timeline", "map", "reader", "search", "sources", "export"}


def current_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def load_url_state() -> None:
    """Seed widgets from the URL on the first run and whenever the URL changed under us (a link).

    Navigation between pages clears the query string; an empty one therefore keeps the session's
    filters, and `write_url` puts them back at the end of the run.
    """
    st.session_state[_USED] = set()
    params = current_params()
    first_run = _WRITTEN not in st.session_state
    if not first_run and (not params or params == st.session_state[_WRITTEN]):
        return
    unknown = sorted(set(params) - set(FILTER_KEYS) - set(PAGE_KEYS) - {"embed", "embed_options"})
    filters, notices = filters_from_params(params)
    page, page_notices = page_state_from_params(params)
    notices += page_notices + [f"Unknown parameter {key!r} ignored." for key in unknown]
    _seed_filters(filters)
    _seed_page_state(page)
    st.session_state[_NOTICES] = notices
    st.session_state[_WRITTEN] = params


def take_notices() -> list[str]:
    """Notices about ignored URL parameters, shown once."""
    return st.session_state.pop(_NOTICES, [])


def _seed_filters(f: Filters) -> None:
    w = FILTER_WIDGETS
    st.session_state[w["period"]] = f.period
    st.session_state[w["range"]] = tuple(d for d in (f.start, f.end) if d)
    st.session_state[w["countries"]] = list(f.countries)
    st.session_state[w["country_mode"]] = f.country_mode
    st.session_state[w["topics"]] = list(f.topics)
    st.session_state[w["sources"]] = list(f.sources)
    st.session_state[w["languages"]] = list(f.languages)
    st.session_state[w["query"]] = f.query


def _seed_page_state(page: PageState) -> None:
    for field, key in PAGE_WIDGETS.items():
        st.session_state[key] = getattr(page, field)


def filters_from_widgets() -> Filters:
    """The Filters the sidebar widgets hold now."""
    w, s = FILTER_WIDGETS, st.session_state
    period = s.get(w["period"], "all")
    span = tuple(s.get(w["range"]) or ())
    start: date | None = span[0] if period == "custom" and len(span) > 0 else None
    end: date | None = span[1] if period == "custom" and len(span) > 1 else None
    return Filters(
        period=period,
        start=start,
        end=end,
        countries=tuple(s.get(w["countries"], ())),
        country_mode=s.get(w["country_mode"], "about"),
        topics=tuple(s.get(w["topics"], ())),
        sources=tuple(s.get(w["sources"], ())),
        languages=tuple(s.get(w["languages"], ())),
        query=(s.get(w["query"]) or "").strip(),
    )


def page_state(*fields: str) -> PageState:
    """This page's state (only the named fields; the rest default) and mark them for the URL."""
    st.session_state.setdefault(_USED, set()).update(fields)
    default = PageState()
    values = {f: st.session_state.get(PAGE_WIDGETS[f], getattr(default, f)) for f in fields}
    return PageState(**values)


def init_page_widget(field: str) -> str:
    """The session key for a page widget, initialised so the widget needs no default of its own."""
    key = PAGE_WIDGETS[field]
    st.session_state.setdefault(key, getattr(PageState(), field))
    st.session_state.setdefault(_USED, set()).add(field)
    return key


def set_page_value(field: str, value: object) -> None:
    st.session_state[PAGE_WIDGETS[field]] = value


def view_params(f: Filters, page: PageState | None = None) -> dict[str, str | list[str]]:
    """The query parameters of a view: the filters plus the page fields in use this run."""
    params: dict[str, str | list[str]] = dict(filters_to_params(f))
    if page is not None:
        used = {_PARAM_OF_FIELD[field] for field in st.session_state.get(_USED, set())}
        params.update({k: v for k, v in page_state_to_params(page).items() if k in used})
    return params


def write_url(f: Filters) -> None:
    """Put the current view into the address bar (only when it changed, to avoid extra history)."""
    params = view_params(f, _page_now())
    as_lists = {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}
    if as_lists != current_params():
        st.query_params.from_dict(params)
    st.session_state[_WRITTEN] = as_lists


def link_params(f: Filters, **page_fields: object) -> dict[str, str | list[str]]:
    """Query parameters for a link to a view of `f` with some page fields (article=..., sort=...)."""
    params = dict(filters_to_params(f))
    params.update(page_state_to_params(PageState(**page_fields)))  # type: ignore[arg-type]
    return params


def shareable_url(url_path: str, f: Filters) -> str:
    """The full address of this view, for the "copy link" box."""
    origin = st.context.url or ""
    parts = urlsplit(origin)
    base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    root = _app_root(parts.path, url_path)
    query = urlencode(view_params(f, _page_now()), doseq=True)
    return f"{base}{root}{url_path}" + (f"?{query}" if query else "")


def _app_root(path: str, url_path: str) -> str:
    # The session's first URL may be any page: strip that page's name to get the app's base path.
    root = path.rstrip("/")
    last = root.rsplit("/", 1)[-1] if root else ""
    if last and last == url_path or last in _KNOWN_PAGE_PATHS:
        root = root[: -len(last)].rstrip("/")
    return root + "/"


def _page_now() -> PageState:
    default = PageState()
    return PageState(
        **{name: st.session_state.get(key, getattr(default, name)) for name, key in PAGE_WIDGETS.items()}
    )


@dataclass(frozen=True, kw_only=True)
class View:
    """What every page needs this run: the database, the filters and the reference time."""

    db: str
    filters: Filters
    now: datetime
    anchored: bool  # `now` is the newest article's time (a historical corpus), not the clock


def set_view(view: View) -> None:
    st.session_state["_view"] = view


def current_view() -> View:
    """The view app.py computed before running the page."""
    return st.session_state["_view"]


def search_box() -> None:
    """A large search field on the Search page that edits the sidebar's query filter."""
    box, query = "p_search_box", FILTER_WIDGETS["query"]

    def copy_to_filter() -> None:
        st.session_state[query] = st.session_state[box].strip()

    st.session_state[box] = st.session_state.get(query, "")
    st.text_input(
        "Search the articles", key=box, on_change=copy_to_filter, placeholder="e.g. election OR vote"
    )
