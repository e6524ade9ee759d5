"""Publish dates as written on a page, in any common format, to ISO 8601 without shifting them."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser

# Zone abbreviations that pages commonly print; an unknown one leaves the time as local time.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "GST": 4, "PKT": 5, "IST": 5.5, "ICT": 7, "WIB": 7, "HKT": 8, "SGT": 8, "AWST": 8,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "EST": -5, "EDT": -4,
    "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "HST": -10,
}  # fmt: skip
TZINFOS = {name: int(hours * 3600) for name, hours in _ZONES.items()}

_NOISE = re.compile(
    r"\b(published|updated|posted|last modified|modified|on|at|am\s*/\s*pm)\b[:]?|[|•·@]|\bthe\b",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\b|T\d{2}", re.IGNORECASE)
_EPOCH = re.compile(r"^\d{10}(\.\d+)?$")
# 03.02.2022 is 3 February in the countries that write dates with dots.
_DOTTED_DAY_FIRST = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
_EARLIEST_YEAR = 1800
_FUTURE_SLACK = timedelta(days=1)  # pages in zones ahead of ours may be dated "tomorrow"


@dataclass(frozen=True, kw_only=True)
class PublishedDate:
    """The outcome of reading a date: the ISO text, or why it could not be used."""

    iso: str | None
    reason: str | None = None


def normalize_published(value: str, *, now: datetime | None = None) -> str | None:
    """Any written date/time to ISO 8601 (local time as written); None when unusable."""
    return read_published(value, now=now).iso


def read_published(value: str | None, *, now: datetime | None = None) -> PublishedDate:
    """Parse a date as written; say why when it is malformed, impossible, or in the future."""
    text = (value or "").strip()
    if not text:
        return PublishedDate(iso=None, reason="no date")
    now = now or datetime.now(UTC)
    parsed = _parse(text)
    if parsed is None:
        return PublishedDate(iso=None, reason=f"unreadable or impossible date {text[:60]!r}")
    if parsed.year < _EARLIEST_YEAR:
        return PublishedDate(iso=None, reason=f"implausible date {text[:60]!r}")
    if _as_aware(parsed) > _as_aware(now) + _FUTURE_SLACK:
        return PublishedDate(iso=None, reason=f"date in the future {text[:60]!r}")
    return PublishedDate(iso=_format(parsed, has_time=bool(_TIME.search(text) or _EPOCH.match(text))))


def _parse(text: str) -> datetime | None:
    if _EPOCH.match(text):
        return datetime.fromtimestamp(float(text), tz=UTC)
    cleaned = _ORDINAL.sub(r"\1", _NOISE.sub(" ", text))
    cleaned = re.sub(r"(?<=\d)\.(?=\d{2}\s*[ap]\.?m)", ":", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,-")
    # Two different defaults reveal a missing day, month or year: such a date is too vague to use.
    day_first = bool(_DOTTED_DAY_FIRST.search(cleaned))
    first = _try_parse(cleaned, datetime(2000, 1, 1), day_first=day_first)
    second = _try_parse(cleaned, datetime(2001, 2, 2), day_first=day_first)
    if first is None or second is None or first.date() != second.date():
        return None
    return first


def _try_parse(text: str, default: datetime, *, day_first: bool = False) -> datetime | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UnknownTimezoneWarning: the time then stays local
        try:
            return dateutil_parser.parse(text, default=default, tzinfos=TZINFOS, dayfirst=day_first)
        except (ValueError, OverflowError, TypeError):
            return None


def _as_aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _format(moment: datetime, *, has_time: bool) -> str:
    if not has_time:
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()
