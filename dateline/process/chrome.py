"""Site chrome rules for single lines of a page dump: menus, credits, calls to action, stamps, teasers."""

from __future__ import annotations

import re
from bisect import bisect_left

# jusText's length thresholds (characters), shared with the classifier in clean.py.
LENGTH_LOW = 70
LENGTH_HIGH = 200

WORD = re.compile(r"\w+", re.UNICODE)
COPYRIGHT = re.compile(
    r"©|&copy|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|\brights (?:of [\w ]{1,40})?are reserved",
    re.I,
)
RELATIVE_TIME = re.compile(
    r"\b(?:\d+|an?|one)\s*"
    r"(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mos?|months?|y|yrs?|years?)"
    r"\s+ago\b|^(?:just now|yesterday|today)$",
    re.I,
)
# Calls to action, disclosures and credits every kind of site puts around its stories (no one site's
# wording), keyed by a word each contains: a line is searched only for the phrases of the words it has.
# None: the word alone is enough.
BOILERPLATE_PHRASES: dict[str, str | None] = {
    **dict.fromkeys((
        "subscribe", "subscriber", "subscribers", "subscription", "subscriptions", "newsletter",
        "newsletters", "signin", "login", "cookie", "cookies", "advertise", "advertiser", "advertisers",
        "advertising", "advertisement", "sponsored", "affiliate", "compensation", "disclaimer", "disclosure",
        "inbox", "inboxes", "recaptcha", "teilen", "kommentar", "anmelden",
    )),
    "sign": r"\bsign (?:up|in)\b", "signing": r"\bsigning up\b", "log": r"\blog in\b",
    "email": r"\byour email\b", "mail": r"\be-mail address\b", "notify": r"\bnotify me\b",
    "leave": r"\bleave a (?:reply|comment)\b", "post": r"\bpost a comment\b",
    "comments": r"\bcomments\b.{0,20}\bclosed\b", "share": r"\bshare (?:this|on)\b|\bclick to share\b",
    "follow": r"\bfollow (?:us|[\w ]{1,30}? on (?:twitter|facebook|instagram|linkedin|tiktok|youtube|x))\b",
    "app": r"\bwith the [\w ]{0,25} app\b|\bdownload (?:the|our) [\w ]{0,25}app\b",
    "apps": r"\bdownload (?:the|our) [\w ]{0,25}apps\b", "privacy": r"\bprivacy policy\b",
    "terms": r"\bterms of (?:use|service)\b", "associates": r"\bassociates program\b",
    "associate": r"\bassociate program\b", "amazon": r"\bparticipant in the amazon\b",
    "participates": r"\bparticipates in the\b", "qualifying": r"\bqualifying purchases\b",
    "like": r"\byou may also like\b", "related": r"\brelated (?:articles|posts|stories)\b",
    "more": r"\b(?:read|see|show|load) more\b|\bmore from\b", "latest": r"\bread the latest\b",
    "letter": r"\bsubmit a letter\b", "earn": r"\bearn (?:a )?(?:commission|revenue)\b",
    "earns": r"\bearns (?:a )?(?:commission|revenue)\b", "print": r"\bprint recipe\b", "skip": r"\bskip to\b",
    "back": r"\bback to top\b", "getty": r"\bgetty images\b", "photo": r"\bphoto by\b|\bphoto:",
    "image": r"\bimage credit\b|\bimage:", "photograph": r"\bphotograph:", "credit": r"\bcredit:",
    # German, Italian, French and Spanish sites say the same things.
    **dict.fromkeys((
        "abonnieren", "datenschutzerklärung", "impressum", "weiterlesen", "pubblicità", "condividi",
        "iscriviti", "accedi", "registrati", "partager", "abonnez", "publicité", "compartir", "suscríbete",
    )),
    "anzeige": r"^anzeige$", "werbung": r"^werbung$", "publicidad": r"^publicidad$",
    "teile": r"\bteile (?:diesen|den|das|es)\b", "interessant": r"\bauch interessant\b",
    "interessieren": r"\bkönnte (?:sie|dich) auch interessieren\b", "mehr": r"\bmehr zum thema\b",
    "foto": r"\bfoto:", "bild": r"\bbild:", "abbildung": r"^abbildung\s*\d*\s*:", "leggi": r"\bleggi anche\b",
    "lire": r"\blire aussi\b", "lee": r"\blee también\b",
}  # fmt: skip
BOILERPLATE_PATTERNS = {
    word: re.compile(phrase, re.I) if phrase else None for word, phrase in BOILERPLATE_PHRASES.items()
}
SOCIAL_HANDLE = re.compile(r"(?<![\w.])@\w{2,}")  # "@ExampleNews", not an e-mail address
# A domain alone on its line ("EXAMPLENEWS.COM"): a credit or the site's logo.
SITE_NAME = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
BOILERPLATE_KEYS = frozenset(BOILERPLATE_PATTERNS)
COPYRIGHT_WORDS = frozenset({"copyright", "reserved"})
KEY_WORDS = BOILERPLATE_KEYS | COPYRIGHT_WORDS | {"ago"}  # the words some rule needs before it runs
PHOTO_CREDIT = re.compile(r"\b[A-Z]{2,}/[A-Z][a-z]+")  # "REUTERS/Toby Melville"
AUTHOR_BIO = re.compile(
    r"^[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,2}\s+(?:is|was|has been|writes|covers|joined)\b"
    r"(?=.{0,160}\b(?:writer|editor|reporter|journalist|author|contributor|columnist|correspondent|expert"
    r"|founder|consultant|blogger|freelancer?|photographer|producer)s?\b)",
    re.I,
)
# Headers that close a story: comments, related reading (whole short lines only).
STORY_END = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|thoughts)(?:\s+(?:on|to)\b.*)?$"
    r"|^(?:leave a (?:reply|comment)|post a comment|add a comment|join the (?:discussion|conversation)"
    r"|related(?: (?:articles|posts|stories|content|reading))?|you (?:may|might) also like|more (?:from|stories)\b.*"
    r"|recommended(?: for you)?|read next|further reading|most (?:read|popular|viewed)|trending(?: now)?"
    r"|(?:\d+\s+)?(?:kommentare?|commenti|commentaires|comentarios)|auch interessant|mehr zum thema"
    r"|das könnte (?:sie|dich) auch interessieren|(?:ähnliche|weitere|verwandte) (?:artikel|beiträge|themen)"
    r"|leggi anche|articoli correlati|potrebbe interessarti|(?:à )?lire aussi|articles similaires"
    r"|sur le même sujet|(?:artículos|noticias) relacionad[oa]s|te puede interesar|lee también)\W*$",
    re.I,
)
# The first words STORY_END can start with (after a count): a set lookup spares most lines the regex.
STORY_END_WORDS = frozenset({
    "comment", "comments", "response", "responses", "replies", "thoughts", "leave", "post", "add", "join",
    "related", "you", "more", "recommended", "read", "further", "most", "trending", "kommentar", "kommentare",
    "commenti", "commentaires", "comentarios", "auch", "mehr", "das", "ähnliche", "weitere", "verwandte",
    "leggi", "articoli", "potrebbe", "à", "lire", "articles", "sur", "artículos", "noticias", "te", "lee",
})  # fmt: skip
STORY_END_CHARS = 120  # "11 responses to “<the story's title>”"
TEASER_CHARS = 60  # a story's own subheadings are mostly shorter
TEASER_CAPITALISED = 0.7  # share of the longer words capitalised in a headline ("Doubts About the Plan Grow")
BIO_REACH = 2  # story paragraphs at each end checked for an author's bio
BOILERPLATE_HITS_IN_LONG_LINES = 2  # a long line is boilerplate only when it matches twice
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
TIME_OR_MONTH = re.compile(
    r"\b\d{1,2}[:.]\d\d\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b\.?", re.I
)
DATE_OR_TIME = re.compile(
    r"^(?:\w+,? )?(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?|\d{1,4}[-/. ]\w{1,9}\.?[-/. ]\d{2,4}"
    r"(?:,? \d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?)?|\w{3,9}\.? \d{1,2},? \d{4}"
    r"(?:,? (?:at )?\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?)?)(?: [A-Z]{2,4})?$",
    re.I,
)
BYLINE = re.compile(r"^(?:by|von|par|por|di)\s+\S", re.I)
BYLINE_WORDS = frozenset({"by", "von", "par", "por", "di"})
RELATIVE_DAYS = frozenset({"just now", "yesterday", "today"})
TRUNCATED = re.compile(r"(?:\s\.\.|\.\.\.|…|\[\.\.\.\])$")
MENU_SEPARATOR = re.compile(r" [|·•/»>\-–] ")  # lines arrive with their white space collapsed
DIGIT = re.compile(r"\d")
# The buttons of a share bar, as its words ("Pinterest Email Send Text Message Print", "Save FB Tweet More").
SHARE_WORDS = frozenset({
    "share", "tweet", "pin", "pinterest", "facebook", "fb", "twitter", "linkedin", "whatsapp", "reddit",
    "flipboard", "email", "e", "mail", "print", "save", "send", "text", "message", "sms", "more", "copy",
    "link", "telegram", "tumblr", "pocket", "messenger", "social",
})  # fmt: skip
TERMINAL = frozenset(".!?:;\"'”’)…")


def _is_menu(text: str) -> bool:
    """A run of short labels joined by separators ("Home | News | Sport", "Travel - Arabic - Events")."""
    if len(text) < 9:
        return False
    parts = MENU_SEPARATOR.split(text)
    if len(parts) < 3:
        return False
    return sum(len(part.split()) for part in parts) / len(parts) <= 4


def _is_truncated_teaser(text: str, texts: list[str]) -> bool:
    """A shortened copy of another line ("Emirati writers spotlight transformativ .."); `texts` are the
    dump's distinct lines, sorted, so the longer copy is found by bisection."""
    # TRUNCATED matches at most six characters at the end: searching from there spares the whole line.
    if text[-1] not in ".…]" or not TRUNCATED.search(text, len(text) - 6):
        return False
    stem = text.rstrip(".… []").strip()
    if len(stem) >= LENGTH_HIGH:
        return False
    if text.endswith(" .."):
        return True
    i = bisect_left(texts, stem)
    while i < len(texts) and texts[i].startswith(stem):
        if texts[i] != text:
            return True
        i += 1
    return False


def _is_capitalised_list(text: str) -> bool:
    """A tag line or teaser headline: many words, nearly all capitalised, no sentence punctuation."""
    if len(text) < LENGTH_LOW or "." in text or "," in text or ";" in text or "!" in text or "?" in text:
        return False
    tokens = text.split()
    if len(tokens) < 6:
        return False
    return sum(1 for token in tokens if token[0].isupper() or token[0].isdigit()) >= 0.8 * len(tokens)


def _is_headline_teaser(text: str) -> bool:
    """A long title-cased line without closing punctuation: another story's headline linked from this one
    (a story's own subheadings are shorter)."""
    if len(text) < TEASER_CHARS or text[-1] in TERMINAL:
        return False
    long_words = [word for word in text.split() if len(word) > 3]
    return sum(1 for word in long_words if word[0].isupper()) >= TEASER_CAPITALISED * len(long_words) > 0


def _boilerplate_hits(text: str, keys: frozenset[str]) -> set[str]:
    hits: set[str] = set()
    for word in BOILERPLATE_KEYS.intersection(keys):
        pattern = BOILERPLATE_PATTERNS[word]
        hits.update([word] if pattern is None else (hit.lower() for hit in pattern.findall(text)))
    if "/" in text:
        hits.update(PHOTO_CREDIT.findall(text))
    if "@" in text:
        hits.update(SOCIAL_HANDLE.findall(text))
    return hits


def _is_boilerplate(text: str, keys: frozenset[str]) -> bool:
    """A call to action or disclosure: one phrase in a short line, two different ones in a long line
    (`keys`: the line's words that are in KEY_WORDS)."""
    if len(text) > 3 * LENGTH_HIGH or (
        BOILERPLATE_KEYS.isdisjoint(keys) and "/" not in text and "@" not in text
    ):
        return False
    needed = 1 if len(text) < LENGTH_HIGH else BOILERPLATE_HITS_IN_LONG_LINES
    return len(_boilerplate_hits(text, keys)) >= needed


def chrome_reason(
    text: str, tokens: list[str], repeats: int, texts: list[str], *, closing: bool | None = None
) -> str | None:
    """Why a line is site chrome whatever its length, or None (`tokens`: its words in lower case;
    `closing`: closes_story(text, tokens) when the caller has it already).
    Each rule sits behind a cheap test of the characters or words it needs: most lines fail them all."""
    if closing is None:
        closing = closes_story(text, tokens)
    chars, last = len(text), text[-1]
    keys = KEY_WORDS.intersection(tokens)  # one pass over the words for every word-keyed rule
    if ("©" in text or "(c)" in text or not COPYRIGHT_WORDS.isdisjoint(keys)) and COPYRIGHT.search(text):
        return "copyright"
    if chars < 50 and (
        ("ago" in keys and RELATIVE_TIME.search(text)) or (len(tokens) <= 2 and text.lower() in RELATIVE_DAYS)
    ):
        return "relative time"
    if last in ".…]" and _is_truncated_teaser(text, texts):
        return "truncated teaser"
    if chars >= 9 and MENU_SEPARATOR.search(text) and _is_menu(text):
        return "menu"
    if chars >= LENGTH_LOW and _is_capitalised_list(text):
        return "capitalised list"
    if chars >= TEASER_CHARS and last not in TERMINAL and _is_headline_teaser(text):
        return "headline teaser"
    if _is_boilerplate(text, keys):
        return "boilerplate phrase"
    if chars < 80 and DIGIT.search(text):
        if chars < 60 and DATE_OR_TIME.match(text):
            return "date or time"
        if last != "." and YEAR.search(text) and TIME_OR_MONTH.search(text):
            return "date stamp"
    if chars < LENGTH_LOW:
        if "." in text and SITE_NAME.match(text):
            return "site name"
        if tokens and tokens[0] in BYLINE_WORDS and BYLINE.match(text):
            return "byline"
    if closing:
        return "closing header"
    if repeats > 1 and chars < LENGTH_LOW:
        return "repeated"
    if chars < LENGTH_LOW and len(tokens) >= 2 and SHARE_WORDS.issuperset(tokens) and _is_share_bar(text):
        return "share buttons"
    return None


def _is_share_bar(text: str) -> bool:
    """Only letters and the separators share bars use ("Save FB Tweet More", "Share | Tweet"): not code."""
    return all(char.isalpha() or char in " -|·•/" for char in text)


def _starts_like_story_end(tokens: list[str]) -> bool:
    """Whether the first word (after a count) is one STORY_END can start with."""
    first = tokens[1] if len(tokens) > 1 and tokens[0].isdigit() else tokens[0] if tokens else ""
    return first in STORY_END_WORDS


def is_story_end(text: str) -> bool:
    """A short header that closes a story: comments, related reading."""
    return len(text) < STORY_END_CHARS and STORY_END.match(text) is not None


def closes_story(text: str, tokens: list[str]) -> bool:
    """is_story_end for a line whose lower-case words are known: most lines fail on the first word."""
    return (
        len(text) < STORY_END_CHARS and _starts_like_story_end(tokens) and STORY_END.match(text) is not None
    )


def is_author_bio(text: str) -> bool:
    """A writer's bio ("Jane Doe is a reporter who covers ...")."""
    return AUTHOR_BIO.match(text) is not None
