"""Text formatting for the UI: counts, times, escaped titles, highlight markers."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def format_count(n: int | float | None) -> str:
    return f"{int(n or 0):,}"


def counted_over(attrs: dict) -> str | None:
    """What a capped count was counted over (the store's `attrs`), as words; None when it is exact."""
    if attrs.get("newest"):
        return f"the newest {format_count(attrs['newest'])} matching articles"
    if attrs.get("newest_with_words"):
        # A text query with a rare filter: fewer matches than the cap among the docs walked.
        reach = format_count(attrs["newest_with_words"])
        return f"the matches among the newest {reach} articles containing these words"
    return None


def format_day(value: datetime | date, *, inclusive_end: bool = False) -> str:
    """A day as YYYY-MM-DD; an exclusive end bound shows the last included day."""
    if inclusive_end and isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value - timedelta(days=1)
    return f"{value:%Y-%m-%d}"


def format_published(text: str | None) -> str:
    """A stored ISO time as 'YYYY-MM-DD HH:MM (UTC+02:00)'; the offset only when the source stated one."""
    if not text:
        return "time unknown"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return f"{moment:%Y-%m-%d}"
    shown = f"{moment:%Y-%m-%d %H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return shown + " (local time)"
    if offset == timedelta(0):
        return shown + " UTC"
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"{shown} (UTC{'+' if minutes >= 0 else '-'}{hours:02d}:{rest:02d})"


def escape_markdown(text: str) -> str:
    """User text shown through st.markdown: no formatting, links or HTML take effect."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def highlight_snippet(snippet: str) -> str:
    """HTML for a search snippet: everything escaped, then the \\x02…\\x03 markers become <mark>."""
    escaped = html.escape(snippet)
    return escaped.replace("\x02", "<mark>").replace("\x03", "</mark>")


def highlight_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """HTML for an article body with (start, end, title) spans marked; all text escaped."""
    out: list[str] = []
    position = 0
    for start, end, title in sorted(spans):
        if start < position or end > len(text) or start >= end:
            continue  # overlapping or out-of-range offsets: skip rather than garble the text
        out.append(html.escape(text[position:start]))
        out.append(f'<mark title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out).replace("\n\n", "</p><p>").replace("\n", "<br>")
