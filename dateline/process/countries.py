"""Country tagging: the ISO 3166 countries a story mentions, how salient each is, and which it is about."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from dateline.models import CountryTag
from dateline.process.gazetteer import Entry, Gazetteer, default_gazetteer, fold

# How much one mention says about a country, by the kind of name that matched.
KIND_WEIGHT = {"demonym": 0.6, "institution": 0.7, "region": 0.7, "city": 0.8, "capital": 0.9, "state": 0.8}
PLACE_KINDS = frozenset({"city", "capital", "state", "region"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that may stand right before a place without making it part of a person's name.
FREE_BEFORE = _words(
    "In The And But Or For From To With Of On At By As If When While After Before Since Both Unlike Like "
    "Across Including Against Between Into Over Under Why How Where What Is Was Will Did Does Has Have Can "
    "Could Would Should Than Then Also Even Only Not All Neighbouring Neighboring Northern Southern Eastern "
    "Western Central North South East West Greater Downtown Metropolitan Suburban Rural Coastal Northeast "
    "Northwest Southeast Southwest Mainland Inside Outside Near Around Through Via Said Says New Old Upper "
    "Lower Visit Visits Visiting Leave Leaves Left Reach Reached Enter Entered Whereas Although Though "
    "Meanwhile However Today Yesterday Tomorrow Nowadays Now Still"
)
FREE_AFTER = _words("On In And Or As To For But At By From With Of Is Was Has Had Will Would Said Says")
# "LET US", "ABOUT US": in capitals, US after these words is the pronoun.
PRONOUN_BEFORE = _words(
    "LET TO FOR WITH OF JOIN TELL GIVE HELP ABOUT CONTACT BY AMONG ALL SOME MANY MOST FEW BEHIND "
    "SHOW SEND FOLLOW ASK MAKE LEAVE KEEP TAKE BRING FROM LIKE BETWEEN AGAINST UPON ONTO INTO "
    "TOLD GAVE SHOWED ASKED MADE LEFT KEPT TOOK BROUGHT"
)
PREV_WORD = re.compile(r"([A-Z][\w'’.-]*)\s$")
NEXT_WORD = re.compile(r"\s([A-Z][a-z][\w'’-]*)")
LEAD_CHARS = 300
# Newswire marks company names and tickers with angle brackets ("<SDC SYDNEY DEVELOPMENT CORP>", "<UK>").
COMPANY_BRACKETS = re.compile(r"<[^<>\n]{1,80}>")
# A name used as a currency's ("U.S. dlrs", "Swiss francs", "US$5bn") says little about the story's place.
CURRENCY_AFTER = re.compile(
    r"\s*(?:\$|(?:dlrs?|dollars?|francs?|yen|marks|pounds|sterling|pesos?|crowns|kronor|guilders?|lire|"
    r"rupees?|ringgit|riyals?|dinars?|rand|escudos?|schillings?|shekels?|yuan)\b)",
    re.IGNORECASE,
)
CURRENCY_WEIGHT = 0.15
# What may stand between two names of an enumeration: "Bahrain, Kuwait, Oman and Qatar".
LIST_GLUE = re.compile(r"\s*(?:,|/|,?\s+(?:and|or|as well as))\s*")
MONTH_WORD = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?=\s*\d)", re.IGNORECASE
)
# Signs of a US company or market story, for the newswire convention that such stories are about
# the United States even when no place is named.
US_MARKET_SIGNS = (
    r"U\.?S\.? dlrs?\b", r"Inc\b\.?", r"Corp\b\.?", r"Co\b\.?", r"LLC\b\.?", r"Nasdaq\b", r"NYSE\b", r"SEC\b",
    r"Dow Jones\b", r"S&P\b", r"Amex\b", r"over-the-counter\b", r"Federal Reserve\b",
)  # fmt: skip
# Each sign opens with a literal letter and checks the word boundary before it only after it (`(?<=\b.)`):
# a flat alternation of literals lets the regex engine skip to the next candidate letter in C, some 20
# times faster over a long story than trying every alternative at every position (same matches).
US_MARKET = re.compile(r"\$\s?\d|" + "|".join(f"{sign[0]}(?<=\\b.){sign[1:]}" for sign in US_MARKET_SIGNS))
US_MARKET_MIN = 2  # signs needed
US_STATE_ABBREVIATIONS = _words(
    "ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev "
    "n.h n.j n.m n.y n.c n.d okla ore pa r.i s.c s.d tenn tex vt va wash w.va wis wyo d.c penn wisc oreg "
    "nebr n.mex n.dak s.dak mich"
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Mention:
    """A place name found in the title or the text, with the entries it could mean."""

    start: int
    end: int
    entries: tuple[Entry, ...]
    in_title: bool
    currency: bool = False  # the name of a currency's country: "U.S. dlrs"


def _case_fits(span: str, surface: str) -> bool:
    """Every capital in the name is a capital in the text ("China" and "CHINA", never "china")."""
    if span == surface:  # written as listed, as most mentions are
        return True
    letters = [c for c in span if c.isalnum()]
    name = [c for c in surface if c.isalnum()]
    return len(letters) == len(name) and all(
        a.isupper() or not b.isupper() for a, b in zip(letters, name, strict=True)
    )


def _in_capitals(text: str, start: int, end: int) -> bool:
    """The match sits in an ALL-CAPS stretch (a headline or dateline), where case says nothing."""
    return text[max(0, start - 12) : end + 12].isupper()


def _person_context(text: str, start: int, end: int, *, check_next: bool) -> bool:
    """A capitalised word glued to the name: "Michael Jordan", "Chad Smith", "Denzel Washington"."""
    before = PREV_WORD.search(text, max(0, start - 40), start)
    if before and before.group(1) not in FREE_BEFORE:
        return True
    after = NEXT_WORD.match(text, end) if check_next else None
    return bool(after and after.group(1) not in FREE_AFTER)


def _pronoun_us(text: str, start: int) -> bool:
    words = text[max(0, start - 20) : start].split()
    return bool(words) and words[-1].strip(",;:") in PRONOUN_BEFORE


def _fitting(text: str, start: int, end: int, entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """The entries whose spelling fits the text here (case rules and the "LET US" guard)."""
    span = text[start:end]
    fitting = tuple(e for e in entries if _case_fits(span, e.surface))
    if fitting and fitting[0].guard == "caps" and _in_capitals(text, start, end) and _pronoun_us(text, start):
        return ()
    return fitting


def _names_a_person(text: str, start: int, end: int, entry: Entry) -> bool:
    """Glued to a capitalised word as in a personal name ("Don Imus", "Chad Smith")."""
    if _in_capitals(text, start, end) and not entry.surface.isupper():
        return False  # headline capitals hide names' case, so the person test cannot work there
    if entry.guard == "person":
        return _person_context(text, start, end, check_next=True)
    if entry.kind in PLACE_KINDS and entry.source != "hand":
        return _person_context(text, start, end, check_next=False)
    return False


def find_mentions(text: str, gazetteer: Gazetteer, *, in_title: bool = False) -> list[Mention]:
    """Gazetteer names in `text`: whole words, case-aware, longest match first, no overlaps."""
    found = []
    people = set()  # names used for a person anywhere in the text: one sense per story
    companies = [m.span() for m in COMPANY_BRACKETS.finditer(text)] if "<" in text else []
    for last, (key_length, entries) in gazetteer.automaton.iter(f" {fold(text)} "):
        # The key is " name " and the text is framed by one space: map back to offsets in `text`.
        start, end = last - key_length + 1, last - 1
        if companies and any(a < start and end < b for a, b in companies):
            continue
        fitting = _fitting(text, start, end, entries)
        if not fitting:
            continue
        if _names_a_person(text, start, end, fitting[0]):
            people.add(fitting[0].surface)
            continue
        if text.startswith(".", end) and fitting[0].surface.endswith("."):
            end += 1  # "U.S." keeps its last full stop, which folding turned into a word break
        found.append((start, end, fitting))
    found.sort(key=lambda m: (m[0], m[0] - m[1]))
    chosen: list[Mention] = []
    last_end = -1
    for start, end, entries in found:
        if start >= last_end:
            currency = not in_title and bool(CURRENCY_AFTER.match(text, end))
            chosen.append(
                Mention(start=start, end=end, entries=entries, in_title=in_title, currency=currency)
            )
            last_end = end
    # Blocking phrases ("Paris Club") drop out here, and so do later bare uses of a person's name.
    return [m for m in chosen if m.entries[0].code and m.entries[0].surface not in people]


def _resolve(mentions: list[Mention], place: str | None = None) -> list[tuple[Mention, Entry]]:
    """One entry per mention; a name with several countries ("Georgia") goes to the one whose
    towns and regions the story (or its dateline, `place`) also names, else to the first listed."""
    evidence = Counter(
        m.entries[0].code for m in mentions if len(m.entries) == 1 and m.entries[0].kind in PLACE_KINDS
    )
    if place:
        evidence[place] += 1
    resolved = []
    for m in mentions:
        best = max(m.entries, key=lambda e: evidence[e.code]) if len(m.entries) > 1 else m.entries[0]
        resolved.append((m, best))
    return resolved


def dateline_code(dateline: str | None, gazetteer: Gazetteer) -> str | None:
    """The country of a dateline place: "WASHINGTON", "KYIV, Ukraine", "GREENWICH, Conn., March 2 -"."""
    if not dateline:
        return None
    place = re.split(r"\s[-–—]|\(|\s\d", MONTH_WORD.sub(" ", dateline))[0]
    parts = [p.strip(" .,").lower() for p in place.split(",") if p.strip(" .,")]
    for part in reversed(parts[1:]):
        if part.rstrip(".") in US_STATE_ABBREVIATIONS:
            return "US"
        code = _place_code(part, gazetteer)
        if code:
            return code
    return _place_code(parts[0], gazetteer) if parts else None


def _place_code(place: str, gazetteer: Gazetteer) -> str | None:
    entries = gazetteer.by_surface.get(place)
    if entries and entries[0].code:
        return entries[0].code
    return gazetteer.dateline_places.get(place)


@dataclass
class _Evidence:
    """What one story says about one country, gathered while reading its mentions."""

    weight: float = 0.0
    mentions: int = 0
    in_title: bool = False
    listed: bool = False  # named in an enumeration of several countries
    first: int = -1
    last: int = -1
    offsets: list[tuple[int, int]] = field(default_factory=list)


def _collect(resolved: list[tuple[Mention, Entry]]) -> dict[str, _Evidence]:
    per_code: dict[str, _Evidence] = defaultdict(_Evidence)
    for m, entry in resolved:
        ev = per_code[entry.code]
        ev.weight += CURRENCY_WEIGHT if m.currency else KIND_WEIGHT.get(entry.kind, 1.0)
        ev.mentions += 1
        if m.in_title:
            ev.in_title = True
            continue
        ev.offsets.append((m.start, m.end))
        ev.first = m.start if ev.first < 0 else ev.first
        ev.last = m.end
    return per_code


def enumerated(text: str, resolved: list[tuple[Mention, Entry]], *, at_least: int) -> set[str]:
    """Countries named in a run of `at_least` or more different countries joined only by commas and
    "and"/"or" ("Bahrain, Kuwait, Oman and Qatar"): newswire indexers tag every member of such a list."""
    listed: set[str] = set()
    run: list[str] = []
    previous_end = -1
    for m, entry in (pair for pair in resolved if not pair[0].in_title):
        if run and not LIST_GLUE.fullmatch(text, previous_end, m.start):
            listed.update(run if len(set(run)) >= at_least else ())
            run = []
        run.append(entry.code)
        previous_end = m.end
    listed.update(run if len(set(run)) >= at_least else ())
    return listed


def _salience(ev: _Evidence, *, total: float, in_dateline: bool, text_length: int, wire: bool) -> float:
    """0..1 from the places that signal focus: title, dateline, lead, share of mentions, count, spread;
    in wire copy also membership of an enumeration and being named more than once."""
    share = ev.weight / total if total else 0.0
    spread = (ev.last - ev.first) / text_length if ev.first >= 0 and text_length else 0.0
    lead = 0 <= ev.first < LEAD_CHARS
    score = 0.35 * ev.in_title + 0.35 * in_dateline + 0.15 * lead + 0.2 * share
    score += 0.2 * min(ev.weight, 3.0) / 3.0 + 0.1 * spread
    if wire:
        score += WIRE_LIST_BONUS * ev.listed + WIRE_REPEAT_BONUS * (ev.weight >= REPEAT_WEIGHT)
    return round(min(score, 1.0), 3)


# Weights and floors were tuned on the first half of Reuters-21578 and the 2019 Wikinews labels, then
# checked on the second half and the 2020 labels (docs/bench-countries.md). A floor that moved with story
# length was tried too and lost on the held-out halves, so the floor depends on the kind of copy only.
ABOUT_FLOOR = 0.35
# Wire indexers tag every country with a part in the story: a lower floor, and a bonus for being one of an
# enumeration of LIST_MIN or more countries ("Bahrain, Kuwait, Oman and Qatar") or named more than once.
WIRE_FLOOR = 0.3
WIRE_LIST_BONUS = 0.1
WIRE_REPEAT_BONUS = 0.15
REPEAT_WEIGHT = 1.5  # two mentions of a city or a name, not two demonyms
LIST_MIN = 3


def wire_copy(title: str) -> bool:
    """Teletype-era wire copy, whose headline is in capitals ("GULF BOND MARKETS LAG, GIB SAYS")."""
    letters = [c for c in title if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


class CountryTagger:
    """Tags countries with one gazetteer, loaded once; `tag` reads no files."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()

    def tag(self, title: str, text: str, *, dateline: str | None = None) -> tuple[CountryTag, ...]:
        mentions = find_mentions(title, self.gazetteer, in_title=True) + find_mentions(text, self.gazetteer)
        place = dateline_code(dateline, self.gazetteer)
        resolved = _resolve(mentions, place)
        per_code = _collect(resolved)
        for code in enumerated(text, resolved, at_least=LIST_MIN):
            per_code[code].listed = True
        if place:
            per_code.setdefault(place, _Evidence())
        total = sum(ev.weight for ev in per_code.values())
        wire = wire_copy(title)
        scored = {
            code: _salience(ev, total=total, in_dateline=code == place, text_length=len(text), wire=wire)
            for code, ev in per_code.items()
        }
        floor = WIRE_FLOOR if wire else ABOUT_FLOOR
        about = {code for code, salience in scored.items() if salience >= floor}
        if not about:
            fallback = place or self._market_default(title, text)
            if fallback:
                # A story that names no country strongly is about its dateline's (or its market's) country.
                about.add(fallback)
                scored[fallback] = max(scored.get(fallback, 0.0), floor)
                per_code.setdefault(fallback, _Evidence())
        tags = [self._tag(code, ev, scored[code], code in about) for code, ev in per_code.items()]
        tags.sort(key=lambda t: (-t.salience, -t.mentions, t.code))
        return tuple(tags)

    @staticmethod
    def _market_default(title: str, text: str) -> str | None:
        """The newswire convention: a US company or market story is about the US though it names no place."""
        signs = US_MARKET.finditer(f"{title}\n{text}")
        return "US" if sum(1 for _ in islice(signs, US_MARKET_MIN)) >= US_MARKET_MIN else None

    def _tag(self, code: str, ev: _Evidence, salience: float, about: bool) -> CountryTag:
        return CountryTag(
            code=code,
            name=country_name(code, self.gazetteer),
            mentions=ev.mentions,
            salience=salience,
            about=about,
            offsets=tuple(ev.offsets),
        )


@cache
def default_tagger() -> CountryTagger:
    """The tagger over the bundled gazetteer, built on first use and shared afterwards."""
    return CountryTagger()


def tag_countries(title: str, text: str, *, dateline: str | None = None) -> tuple[CountryTag, ...]:
    """Countries of one article, most salient first; `about` marks the story's focus."""
    return default_tagger().tag(title, text, dateline=dateline)


def country_name(code: str, gazetteer: Gazetteer | None = None) -> str:
    """Short common name for an alpha-2 code ("KR" -> "South Korea"); the code itself if unknown."""
    country = (gazetteer or default_gazetteer()).countries.get(code.upper())
    return country.name if country else code


def alpha3(code: str) -> str:
    """ISO alpha-3 for an alpha-2 code ("US" -> "USA"), as plotly maps want; "" if unknown."""
    country = default_gazetteer().countries.get(code.upper())
    return country.alpha3 if country else ""


def mention_forms(text: str, tag: CountryTag) -> tuple[str, ...]:
    """The words in `text` that made the tag, in order ("Beijing", "Chinese", "China"), to explain it."""
    return tuple(text[start:end] for start, end in tag.offsets)
