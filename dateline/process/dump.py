"""Plain-text page dumps: the story and its title, byline, date, site name and tags, from line shapes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from dateline.process.clean import LineVerdict, rule_blocks

HEAD_WINDOW = 25  # lines above the story searched for the title and byline
BYLINE_REACH = 3  # paragraphs into the story within which dropped lines may still be its byline
ISOLATED_BONUS = 1.0  # headlines stand apart; menu items and teasers run on
LEAD_CHARS = 1500  # the part of the story a headline's words are looked for in
TAIL_WINDOW = 8  # lines below the story searched for the tag line
NOT_TAGS = frozenset({"boilerplate phrase", "menu", "copyright", "truncated teaser"})
TAGS_NAMED_SHARE = 0.3  # menus name little of the story; a story's tags name a good part of it
MIN_TAG_WORDS = 6  # a tag line without separators is a long run of capitalised terms
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WRITTEN_DATE = re.compile(
    rf"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
    rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})",
    re.I,
)
# "| 03:10 AM", ", 7:35AM GMT", " at 5:19 pm": the time printed after a date.
TIME_AFTER_DATE = re.compile(
    r"\s*(?:[|,•·–-]|\bat\b)?\s*\d{1,2}(?:[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
    r"(?-i:\s+[A-Z]{2,4}\b)?",
    re.I,
)
STAMP_WORD = re.compile(
    r"\b(?:published|updated|posted|written|last (?:updated|modified)|modified|on)\b:?", re.I
)
UPDATED_ONLY = re.compile(r"^\W*(?:updated|last (?:updated|modified)|modified)\b", re.I)
BY = re.compile(r"^(?i:(?:written\s+)?by:?)\s*(?=[A-Z])")
CONTACT = re.compile(r"\S+@[\w-]+\.\S+|@\w+|https?://\S+")
AFFILIATION = re.compile(r"\s+(?:for|of|at|in)\s+(?:the\s+)?[A-Z].*$", re.I)
NAME_JOINS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)
DOMAIN = re.compile(r"\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b", re.I)
DATED_NAME = re.compile(r"^\W*(?:date\s*:?\s*)?(\d{4}-\d\d-\d\d)\s+(\S.{0,40})$", re.I)
SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "or", "ne", "go"})
NAME = re.compile(r"^[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|de|da|van|von|der|bin|al|el|la|le)){0,4}$")
NOT_TITLES = frozenset(
    {"menu", "boilerplate phrase", "copyright", "date or time", "byline", "truncated teaser"}
)
TRAILING_BY = re.compile(r"\s+by\s+([A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3})")
BYLINE_BREAK = re.compile(r"\s+[|•·–—-]\s+|\s*[|•·]\s*")
SEPARATORS = re.compile(r"\s*(?:,|;|\||·|•|#)\s*")
NON_WORD = re.compile(r"\W+")
CONTENT_WORD = re.compile(r"\w{4,}")
WORD = re.compile(r"\w+")
DIGIT = re.compile(r"\d")


@dataclass(frozen=True, kw_only=True)
class DumpParse:
    """What a page dump says about its story; fields are None or empty when the dump does not say."""

    title: str | None
    author: str | None
    published: str | None  # the date/time as written ("June 17, 2023 | 03:10 AM"), parsed downstream
    source_name: str | None  # "UrduPoint" from a "date 2023-06-17 UrduPoint.com" header
    domain: str | None  # "urdupoint.com"
    body: str  # the story, paragraphs joined with blank lines
    site_tags: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class _Header:
    line: int
    domain: str | None
    source_name: str
    date: str | None


def site_name(domain: str) -> str:
    """The name part of a domain as written: "UrduPoint.com" → "UrduPoint", "www.bbc.co.uk" → "bbc"."""
    labels = [label for label in domain.split(".") if label]
    if labels and labels[0].lower() == "www":
        labels = labels[1:]
    if len(labels) > 2 and labels[-2].lower() in SECOND_LEVEL and len(labels[-1]) == 2:
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else domain)


def _header(lines: list[LineVerdict]) -> _Header | None:
    """A short line near the top naming the site (its domain, or a name beside an ISO date), often with
    the page's date: "date 2023-06-17 UrduPoint.com", "2024-01-09 Dawn News", "bbc.co.uk"."""
    for line in lines[:3]:
        if len(line.text) > 80 or len(line.text.split()) > 6:
            continue
        domain = DOMAIN.search(line.text)
        date = WRITTEN_DATE.search(line.text)
        if domain and (date or line.text.strip().lower() == domain.group(1).lower()):
            return _Header(
                line=line.number,
                domain=domain.group(1).lower().removeprefix("www."),
                source_name=site_name(domain.group(1)),
                date=date.group(0) if date else None,
            )
        named = DATED_NAME.match(line.text)
        if named and NAME.match(named.group(2)):
            return _Header(line=line.number, domain=None, source_name=named.group(2), date=named.group(1))
    return None


def _squash(text: str) -> str:
    return NON_WORD.sub(" ", text).strip().lower()


def _is_title_like(text: str) -> bool:
    words = text.split()
    return 3 <= len(words) <= 30 and len(text) <= 250 and text[-1] not in ".,;:" and text[0].isalnum()


def _content_words(text: str) -> set[str]:
    return {word for word in CONTENT_WORD.findall(text.lower()) if not word.isdigit()}


def _title_score(line: LineVerdict, rank: float, repeated: bool, above_byline: bool, lead: set[str]) -> float:
    """How headline-like a line is: written twice, just above the byline, echoed by the story's lead."""
    words = _content_words(line.text)
    echo = len(words & lead) / len(words) if words else 0.0
    size = len(line.text.split())
    return (
        3 * repeated
        + 1.5 * above_byline
        + 2 * echo
        + 0.5 * (size >= 4)
        + 0.5 * (5 <= size <= 20)
        + 0.5 * rank
    )


def _title(head: list[LineVerdict], skip: set[int], byline_at: int | None, lead: str) -> LineVerdict | None:
    """The headline among the title-like lines above the story (the first copy when it is written twice)."""
    candidates = [
        line
        for line in head
        if line.number not in skip and _is_title_like(line.text) and line.reason not in NOT_TITLES
    ]
    if not candidates:
        return None
    copies = Counter(_squash(line.text) for line in candidates)
    above = [line for line in candidates if byline_at is not None and line.number < byline_at]
    nearest_above = above[-1] if above else None
    lead_words = _content_words(lead)
    numbers = {line.number for line in head}
    scored = []
    for i, line in enumerate(candidates):
        repeated = copies[_squash(line.text)] > 1
        score = _title_score(line, i / len(candidates), repeated, line is nearest_above, lead_words)
        score += ISOLATED_BONUS * (line.number - 1 not in numbers and line.number + 1 not in numbers)
        scored.append((score, -i if repeated else i, line))  # of two copies, the first
    return max(scored, key=lambda item: item[:2])[2]


def _stamp(text: str) -> str | None:
    """The date/time in a byline or stamp line, as written from the date onwards."""
    # Every written date has a digit: the cheap scan spares most lines the date pattern's search.
    date = WRITTEN_DATE.search(text) if DIGIT.search(text) else None
    if not date:
        return None
    time = TIME_AFTER_DATE.match(text, date.end())
    return text[date.start() : time.end() if time else date.end()].strip(" |·•,")


def _names(text: str) -> str | None:
    """The people in a byline's name part ("Glen Owen And Brendan Carlin For The Mail" → two names)."""
    text = BYLINE_BREAK.split(BY.sub("", CONTACT.sub(" ", text).strip(" |·•-–—,:")))[0]
    text = AFFILIATION.sub("", text.strip(" |·•-–—,:"))
    parts = [part.strip() for part in NAME_JOINS.split(text) if part.strip()]
    if not parts or not NAME.match(parts[0]):
        return None
    # Later parts must look like full names: "Jane Doe, Reuters" names one person.
    names = [parts[0]] + [part for part in parts[1:] if NAME.match(part) and " " in part]
    return ", ".join(names)


def _author(text: str) -> str | None:
    """The person named in a byline ("By Jane Doe, Reuters" → "Jane Doe")."""
    date = WRITTEN_DATE.search(text)
    before = STAMP_WORD.split(text[: date.start()] if date else text)[0]
    found = _names(before) if before.strip() else None
    if found:
        return found
    trailing = TRAILING_BY.search(text)
    return trailing.group(1) if trailing else None


def _byline(area: list[LineVerdict], skip: set[int]) -> tuple[str | None, str | None, set[int]]:
    """(author, published, line numbers used) from the short lines around the title."""
    author = published = None
    published_is_update = False
    used: set[int] = set()
    lines = [line for line in area if line.number not in skip and len(line.text) <= 120]
    for i, line in enumerate(lines):
        stamp = _stamp(line.text)
        is_update = UPDATED_ONLY.match(line.text) is not None
        if stamp and (published is None or (published_is_update and not is_update)):
            published, published_is_update = stamp, is_update
            used.add(line.number)
        if author is not None:
            continue
        after = lines[i + 1] if i + 1 < len(lines) else None
        if line.text.lower().rstrip(":") == "by" and after is not None:
            author, by_lines = _names(after.text), {line.number, after.number}
        elif BY.match(line.text) or (stamp and TRAILING_BY.search(line.text)):
            author, by_lines = _author(line.text), {line.number}
        elif stamp and STAMP_WORD.search(line.text):
            # "Faizan Hashmi Published June 17": without "By", only a full name counts
            found = _author(line.text)
            author, by_lines = (found if found and " " in found else None), {line.number}
        else:
            continue
        used |= by_lines if author else set()
    return author, published, used


def _split_tags(line: str, story: str) -> tuple[str, ...] | None:
    """Tags from a tag line, or None when it is not one: separated short terms ("Lagos, Transport, ..."),
    or capitalised words only ("World China United Kingdom ..."), joined where the story joins them."""
    parts = [part.strip() for part in SEPARATORS.split(line) if part.strip()]
    if len(parts) > 1:
        return tuple(parts) if len(parts) >= 3 and all(len(part.split()) <= 4 for part in parts) else None
    words = line.split()
    if len(words) < MIN_TAG_WORDS or any(not (word[0].isupper() or word[0].isdigit()) for word in words):
        return None
    if any(mark in line for mark in '.,:;!?()"“”'):
        return None
    tags, i = [], 0
    while i < len(words):
        size = 3  # the longest run of words the story also has, down to one word
        while size > 1 and " ".join(words[i : i + size]) not in story:
            size -= 1
        tags.append(" ".join(words[i : i + size]))
        i += size
    return tuple(tags)


def _words(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def _site_tags(tail: list[LineVerdict], story: str) -> tuple[tuple[str, ...], int | None]:
    """A short label line followed by a line of terms of which the story names a good part:
    (the tags, the label's line number), or ((), None)."""
    story_words = ""  # the story's words, found once a label with tags under it turns up
    for label, line in zip(tail, tail[1:], strict=False):
        if (
            line.kept
            or line.reason in NOT_TAGS
            or len(label.text.split()) > 3
            or label.text[-1] in ".!?"
            or any(c.isdigit() for c in label.text)
        ):
            continue
        tags = _split_tags(line.text, story)
        if not tags:
            continue
        story_words = story_words or f" {_words(story)} "
        needed, named = TAGS_NAMED_SHARE * len(tags), 0
        for tag in tags:  # counted until there are enough
            named += f" {_words(tag)} " in story_words
            if named >= needed:
                return tags, label.number
    return (), None


def _story_start(kept: list[LineVerdict], lines: list[LineVerdict]) -> int:
    """Line number where the story proper begins: its first kept line of running text."""
    for line in kept:
        if len(line.text.split()) >= 15:
            return line.number
    return kept[0].number if kept else (lines[-1].number + 1 if lines else 0)


def parse_dump(text: str) -> DumpParse:
    """Title, byline, date, site, story and tags of a plain-text page dump; empty fields when absent."""
    lines: list[LineVerdict] = list(rule_blocks(text)[0])  # clean_text's verdicts, unconverted
    header = _header(lines)
    skip = {header.line} if header else set()
    kept = [line for line in lines if line.kept and line.number not in skip]
    start = _story_start(kept, lines)
    numbers = [line.number for line in lines]  # ascending: slices by bisection, not scans
    at_start = bisect_left(numbers, start)
    head = lines[max(0, at_start - HEAD_WINDOW) : at_start]
    # Bylines also come after a standfirst, among the first lines of the story.
    third = [line.number for line in kept if line.number >= start][:BYLINE_REACH][-1:] or [start]
    opening = [line for line in lines[at_start : bisect_right(numbers, third[0])] if not line.kept]
    author, published, used = _byline(head + opening, skip)
    lead = " ".join(line.text for line in kept if line.number >= start)[:LEAD_CHARS]
    title = _title(head, skip | used, min(used, default=None), lead)
    title_squashed = _squash(title.text) if title else None
    skip |= used | {line.number for line in head if _squash(line.text) == title_squashed}
    after = title.number if title else -1
    paragraphs = [line for line in kept if line.number > after and line.number not in skip]
    story = "\n\n".join(line.text for line in paragraphs)
    last = kept[-1].number if kept else -1
    at_tail = bisect_right(numbers, last - 2)
    tail = lines[at_tail : at_tail + TAIL_WINDOW + 2]
    tags, label_at = _site_tags(tail, f"{title.text if title else ''}\n{story}")
    if label_at is not None:
        paragraphs = [line for line in paragraphs if line.number < label_at]
    return DumpParse(
        title=title.text if title else None,
        author=author,
        published=published or (header.date if header else None),
        source_name=header.source_name if header else None,
        domain=header.domain if header else None,
        body="\n\n".join(line.text for line in paragraphs),
        site_tags=tags,
    )
