"""The dashboard's filters as one value, and its codec to and from URL query parameters."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateline.process.taxonomy import load_taxonomy
from dateline.settings import DATA_DIR

PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
COUNTRY_MODES = ("about", "mentioned")


@dataclass(frozen=True, kw_only=True)
class Filters:
    """What the user narrowed the news down to; the same on every page.

    `period` is a preset ("24h", "7d", "30d", "all") or "custom", in which case `start`/`end`
    (inclusive days) apply. Codes: countries ISO 3166-1 alpha-2, topics IPTC QCodes.
    """

    period: str = "all"
    start: date | None = None
    end: date | None = None
    countries: tuple[str, ...] = ()
    country_mode: str = "about"
    topics: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    query: str = ""

    def time_range(self, now: datetime) -> tuple[datetime | None, datetime | None]:
        """Half-open [since, until) in the articles' own clock; None means unbounded."""
        if self.period in PERIODS:
            return now - PERIODS[self.period], None
        if self.period == "custom":
            since = datetime.combine(self.start, datetime.min.time()) if self.start else None
            until = datetime.combine(self.end + timedelta(days=1), datetime.min.time()) if self.end else None
            return since, until
        return None, None


def narrow_to_span(f: Filters, span: tuple[date, date] | None) -> Filters:
    """`f` limited to the inclusive days of `span` (a selection on the timeline), keeping other filters.

    The result is a custom range; when `f` already has a bounded custom range, the two intersect.
    """
    if span is None:
        return f
    start, end = span
    if f.period == "custom":
        start = max(start, f.start) if f.start else start
        end = min(end, f.end) if f.end else end
    return replace(f, period="custom", start=start, end=max(start, end))


# --- URL codec -------------------------------------------------------------------------------
# Parameter names are short and stable: they appear in links people share.
PERIOD_CHOICES = ("24h", "7d", "30d", "all", "custom")
MAX_QUERY_LEN = 500
MAX_VALUES = 50  # a hand-edited URL with thousands of values must not become a huge SQL IN list
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_TOPIC_RE = re.compile(r"^medtop:\d{8}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
FILTER_KEYS = ("period", "from", "to", "country", "cmode", "topic", "source", "lang", "q")

Params = Mapping[str, "str | Sequence[str]"]


def filters_to_params(f: Filters) -> dict[str, str | list[str]]:
    """The query parameters for `f`; defaults are left out so links stay short."""
    params: dict[str, str | list[str]] = {}
    if f.period != "all":
        params["period"] = f.period
    if f.period == "custom":
        if f.start:
            params["from"] = f.start.isoformat()
        if f.end:
            params["to"] = f.end.isoformat()
    for key, values in (
        ("country", f.countries),
        ("topic", f.topics),
        ("source", f.sources),
        ("lang", f.languages),
    ):
        if values:
            params[key] = list(values)
    if f.country_mode != "about":
        params["cmode"] = f.country_mode
    if f.query:
        params["q"] = f.query
    return params


def filters_from_params(params: Params) -> tuple[Filters, list[str]]:
    """Filters from query parameters, and a notice for each value that was ignored."""
    notices: list[str] = []
    period = _one(params, "period", notices) or "all"
    if period not in PERIOD_CHOICES:
        notices.append(f"Unknown period {period!r} ignored; showing all dates.")
        period = "all"
    start = _date_param(params, "from", notices)
    end = _date_param(params, "to", notices)
    if (start or end) and period != "custom":
        period = "custom"
    if start and end and start > end:
        notices.append("The start date was after the end date; the two were swapped.")
        start, end = end, start
    mode = _one(params, "cmode", notices) or "about"
    if mode not in COUNTRY_MODES:
        notices.append(f"Unknown country mode {mode!r} ignored; using 'about'.")
        mode = "about"
    query = (_one(params, "q", notices) or "").strip()
    if len(query) > MAX_QUERY_LEN:
        notices.append(f"The search text was cut to {MAX_QUERY_LEN} characters.")
        query = query[:MAX_QUERY_LEN].strip()
    filters = Filters(
        period=period,
        start=start if period == "custom" else None,
        end=end if period == "custom" else None,
        countries=_codes(params, "country", notices, _is_country, str.upper, "country code"),
        country_mode=mode,
        topics=_codes(params, "topic", notices, _is_topic, str.strip, "topic code"),
        sources=_codes(params, "source", notices, None, str.strip, "source"),
        languages=_codes(params, "lang", notices, _LANGUAGE_RE.match, str.lower, "language code"),
        query=query,
    )
    return filters, notices


def _is_country(code: str) -> bool:
    """A real ISO 3166-1 code (or Kosovo's XK), not just two letters: "ZZ" would filter to nothing."""
    return bool(_COUNTRY_RE.match(code)) and code in _known_countries()


@lru_cache(maxsize=1)
def _known_countries() -> frozenset[str]:
    path = DATA_DIR / "gazetteer" / "countries.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"] for row in csv.DictReader(handle))


def _is_topic(code: str) -> bool:
    return bool(_TOPIC_RE.match(code)) and code in load_taxonomy().all_codes()


def _all(params: Params, key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _one(params: Params, key: str, notices: list[str]) -> str | None:
    values = _all(params, key)
    if len(values) > 1:
        notices.append(f"Parameter {key!r} was given {len(values)} times; the first was used.")
    return values[0] if values else None


def _date_param(params: Params, key: str, notices: list[str]) -> date | None:
    text = _one(params, key, notices)
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        notices.append(f"Parameter {key!r}: {text!r} is not a date like 2020-01-31; ignored.")
        return None


def _codes(
    params: Params,
    key: str,
    notices: list[str],
    valid: Callable[[str], object] | None,
    normalise: Callable[[str], str],
    what: str,
) -> tuple[str, ...]:
    kept: list[str] = []
    for raw in _all(params, key):
        value = normalise(raw)
        if not value or (valid and not valid(value)):
            notices.append(f"{raw!r} is not a valid {what}; ignored.")
        elif value not in kept:
            kept.append(value)
    if len(kept) > MAX_VALUES:
        notices.append(f"Only the first {MAX_VALUES} values of {key!r} were used.")
        kept = kept[:MAX_VALUES]
    return tuple(kept)


# --- Page state: what a page shows besides the filters (granularity, article, sort, page) ------
GRANULARITIES = ("day", "week", "month")
SPLITS = ("none", "topic", "country", "source")
MEASURES = ("count", "share")
SORTS = ("newest", "oldest")
PAGE_KEYS = ("gran", "split", "measure", "span", "article", "sort", "page")
_ARTICLE_ID_RE = re.compile(r"^[A-Za-z0-9_\-:.]{1,128}$")


@dataclass(frozen=True, kw_only=True)
class PageState:
    """Per-page view state that also lives in the URL; fields a page doesn't use stay default."""

    granularity: str = "week"
    split: str = "topic"
    measure: str = "count"
    span: tuple[date, date] | None = None  # a selected range of periods on the timeline (inclusive days)
    article: str = ""
    sort: str = "newest"
    page: int = 1


def page_state_to_params(state: PageState) -> dict[str, str]:
    """The query parameters for `state`, leaving out defaults."""
    default = PageState()
    params: dict[str, str] = {}
    for key, value, choices in (
        ("gran", state.granularity, default.granularity),
        ("split", state.split, default.split),
        ("measure", state.measure, default.measure),
        ("sort", state.sort, default.sort),
    ):
        if value != choices:
            params[key] = value
    if state.span:
        params["span"] = f"{state.span[0].isoformat()}..{state.span[1].isoformat()}"
    if state.article:
        params["article"] = state.article
    if state.page != 1:
        params["page"] = str(state.page)
    return params


def page_state_from_params(params: Params) -> tuple[PageState, list[str]]:
    """Page state from query parameters, and a notice for each value that was ignored."""
    notices: list[str] = []
    fields: dict[str, object] = {}
    for key, name, choices in (
        ("gran", "granularity", GRANULARITIES),
        ("split", "split", SPLITS),
        ("measure", "measure", MEASURES),
        ("sort", "sort", SORTS),
    ):
        value = _one(params, key, notices)
        if value is None:
            continue
        if value in choices:
            fields[name] = value
        else:
            notices.append(f"Unknown {key} {value!r} ignored; choose one of {', '.join(choices)}.")
    article = _one(params, "article", notices)
    if article:
        if _ARTICLE_ID_RE.match(article):
            fields["article"] = article
        else:
            notices.append("The article id in the link is malformed; ignored.")
    page = _one(params, "page", notices)
    if page:
        if page.isdigit() and 1 <= int(page) <= 1_000_000:
            fields["page"] = int(page)
        else:
            notices.append(f"Page {page!r} is not a page number; showing page 1.")
    fields["span"] = _span_param(params, notices)
    return PageState(**fields), notices  # type: ignore[arg-type]


def _span_param(params: Params, notices: list[str]) -> tuple[date, date] | None:
    text = _one(params, "span", notices)
    if not text:
        return None
    first, sep, last = text.partition("..")
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last if sep else first)
    except ValueError:
        notices.append(f"Span {text!r} is not like 2020-01-06..2020-02-02; ignored.")
        return None
    return (start, end) if start <= end else (end, start)
