"""Datelines at the head of a story ("WASHINGTON (Reuters) -"): place, wire agency, date, and the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical wire names, keyed by the lower-case forms pages write them in.
AGENCIES = {
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "sputnik": "Sputnik", "sputnik news": "Sputnik", "upi": "UPI", "united press international": "UPI",
    "xinhua": "Xinhua", "xinhua news agency": "Xinhua", "xinhuanet": "Xinhua",
    "tass": "TASS", "itar-tass": "TASS", "dpa": "dpa", "ani": "ANI", "pti": "PTI", "ians": "IANS",
    "anadolu": "Anadolu", "anadolu agency": "Anadolu", "aa": "Anadolu", "efe": "EFE", "ansa": "ANSA",
    "kyodo": "Kyodo", "kyodo news": "Kyodo", "yonhap": "Yonhap", "bernama": "Bernama", "app": "APP",
    "wam": "WAM", "irna": "IRNA", "ria novosti": "RIA Novosti", "ria": "RIA Novosti",
    "bloomberg": "Bloomberg", "cna": "CNA", "cnn": "CNN", "bbc": "BBC", "aap": "AAP", "pa": "PA",
    "pa media": "PA", "press association": "PA", "cp": "CP", "the canadian press": "CP",
    "canadian press": "CP", "ips": "IPS", "kuna": "KUNA", "spa": "SPA", "mena": "MENA", "qna": "QNA",
    "bna": "BNA", "petra": "Petra", "sana": "SANA", "isna": "ISNA", "fars": "Fars", "tasnim": "Tasnim",
    "interfax": "Interfax", "ukrinform": "Ukrinform", "unian": "UNIAN", "pap": "PAP", "ctk": "CTK",
    "mti": "MTI", "apa": "APA", "ats": "ATS", "belga": "Belga", "anp": "ANP", "tt": "TT", "ntb": "NTB",
    "ritzau": "Ritzau", "stt": "STT", "lusa": "Lusa", "europa press": "Europa Press", "agi": "AGI",
    "ana": "ANA", "ana-mpa": "ANA-MPA", "hina": "HINA", "tanjug": "Tanjug", "antara": "Antara",
    "pna": "PNA", "vna": "VNA", "mna": "MNA", "xinhua/ians": "Xinhua", "cns": "CNS", "jiji": "Jiji",
    "jiji press": "Jiji", "nhk": "NHK", "kcna": "KCNA", "ndtv": "NDTV", "nna": "NNA", "apa-ots": "APA",
}  # fmt: skip
MONTH = (
    r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE = rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?(?:\s+\d{{4}})?)"
DATE_IN_PARENS = re.compile(DATE + r"|\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./]\d{2,4}", re.I)
CAPS_WORD = r"[A-Z][A-Z.'’/\-]*[A-Z.]"
TITLE_WORD = r"[A-Z][a-zà-ÿ'’\-]+"
# "KYIV, Ukraine" / "NAPA COUNTY, Calif." : a place in capitals, optionally with its region as written.
REGION = rf"(?:,\s+(?!{MONTH}\s+\d)[A-Z][A-Za-z.'’\-]*(?:\s+(?!{MONTH}\s+\d)[A-Z][A-Za-z.'’\-]*)?)"
CAPS_PLACE = rf"{CAPS_WORD}(?:\s+{CAPS_WORD}){{0,4}}{REGION}?"
TITLE_PLACE = rf"{TITLE_WORD}(?:\s+{TITLE_WORD}){{0,2}}{REGION}?"
DASH = r"(?:-{1,2}|–|—|―)"
CAPS_DATELINE = re.compile(
    rf"^(?P<place>{CAPS_PLACE})(?:,?\s+(?P<date>{DATE}))?\s*(?:\((?P<paren>[^()\n]{{1,80}})\))?"
    rf"\s*(?P<sep>{DASH}|:)?\s+(?=\S)"
)
TITLE_DATELINE = re.compile(
    rf"^(?P<place>{TITLE_PLACE})(?:,?\s+(?P<date>{DATE}))?\s*(?:\((?P<paren>[^()\n]{{1,80}})\))?"
    rf"\s*(?P<sep>{DASH}|:)?\s+(?=[\"“‘A-Z0-9])"
)
# Words that open a first line with a colon or dash but are labels, not places.
NOT_PLACES = frozenset({
    "breaking", "update", "updated", "exclusive", "watch", "video", "photo", "photos", "analysis", "opinion",
    "editorial", "note", "editor's", "correction", "clarification", "live", "warning", "disclaimer",
    "summary", "background", "context", "source", "sources", "related", "read", "more", "listen", "q", "a",
    "advertisement", "sponsored", "comment", "review", "interview", "explainer", "factbox", "timeline",
    "fact", "check", "highlights", "key", "points", "transcript", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tonight",
})  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Dateline:
    """The dateline found at the head of a story (all None when there is none) and the story after it."""

    place: str | None
    agency: str | None
    date_text: str | None
    body: str


def _agency(paren: str | None) -> str | None:
    """The last known wire named in the parentheses ("UrduPoint News / Sputnik - 17th June" → Sputnik)."""
    if not paren:
        return None
    without_dates = DATE_IN_PARENS.sub(" ", paren)
    found = None
    for part in re.split(r"\s*(?:/|,|;|\+|&|\band\b|\s-\s|–|—)\s*", without_dates):
        name = AGENCIES.get(part.strip(" .-").lower())
        found = name or found
    return found


def _date_text(match: re.Match[str]) -> str | None:
    if match.group("date"):
        return match.group("date")
    in_parens = DATE_IN_PARENS.search(match.group("paren") or "")
    return in_parens.group(0) if in_parens else None


def _is_label(place: str) -> bool:
    words = place.lower().replace(",", " ").split()
    return not words or words[0] in NOT_PLACES or " ".join(words) in NOT_PLACES


def _match(body: str) -> re.Match[str] | None:
    """A dateline match that has something besides the place: a date, an agency or a separator."""
    for pattern in (CAPS_DATELINE, TITLE_DATELINE):
        match = pattern.match(body)
        if not match or _is_label(match.group("place")):
            continue
        paren = match.group("paren")
        if paren and not (_agency(paren) or DATE_IN_PARENS.search(paren) or match.group("sep")):
            continue  # "Smith (right) said" is a sentence, not a dateline
        if pattern is TITLE_DATELINE and not (_agency(paren) or match.group("date") or match.group("sep")):
            continue
        if match.group("date") or paren or match.group("sep"):
            return match
    return None


def parse_dateline(body: str) -> Dateline:
    """Split the dateline off the first paragraph of a story, if it opens with one."""
    text = body.lstrip()
    match = _match(text)
    if match is None:
        return Dateline(place=None, agency=None, date_text=None, body=body)
    return Dateline(
        place=match.group("place").strip(),
        agency=_agency(match.group("paren")),
        date_text=_date_text(match),
        body=text[match.end() :],
    )
