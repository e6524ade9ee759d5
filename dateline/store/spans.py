"""Split a span of days into whole years, whole months and loose days, to read the coarsest rollups."""

from __future__ import annotations

from datetime import date


def _year_start(d: date) -> date:
    return date(d.year, 1, 1)


def _month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def _next_year(d: date) -> date:
    return date(d.year + 1, 1, 1)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


_LEVELS = (("yearly", _year_start, _next_year), ("monthly", _month_start, _next_month))


def rollup_spans(
    lo: date | None, hi: date | None, levels: int = 2
) -> list[tuple[str, date | None, date | None]]:
    """Half-open [lo, hi) (None: unbounded) as (level, start, end) parts that cover it exactly, each
    as coarse as possible: "yearly" parts hold whole years, "monthly" whole months, "daily" the rest."""
    if lo is not None and hi is not None and lo >= hi:
        return []
    if levels == 0:
        return [("daily", lo, hi)]
    level, start_of, next_of = _LEVELS[len(_LEVELS) - levels]
    first = lo if lo is None or start_of(lo) == lo else next_of(lo)
    last = hi if hi is None or start_of(hi) == hi else start_of(hi)
    if first is not None and last is not None and first >= last:
        return rollup_spans(lo, hi, levels - 1)  # no whole unit inside
    head = rollup_spans(lo, first, levels - 1) if lo is not None else []
    tail = rollup_spans(last, hi, levels - 1) if hi is not None else []
    return [*head, (level, first, last), *tail]
