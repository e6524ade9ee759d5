"""Line classifier for plain-text page dumps: keeps the story, drops the site's chrome around it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from itertools import islice

import justext

# jusText's thresholds (characters, stop-word share), which hold up across sites and languages.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
STOPWORDS_SENTENCE = 0.15  # names-heavy news sentences fall under jusText's floor
MAX_HEADING_DISTANCE = 200
# Weights for finding the main block: near-good lines count half, short lines against it a little.
NEARGOOD_WEIGHT = 0.5
SHORT_WEIGHT = 0.3
MIN_WORDS_INSIDE = 3  # single labels ("Contact", "Sorted by") inside the story are still chrome
LANGUAGE_SAMPLE = 3000  # words of running text enough to tell the stop-word lists apart
LANGUAGES = ("English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch")

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
}  # fmt: skip
BOILERPLATE_PATTERNS = {
    word: re.compile(phrase, re.I) if phrase else None for word, phrase in BOILERPLATE_PHRASES.items()
}
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
    r"|recommended(?: for you)?|read next|further reading|most (?:read|popular|viewed)|trending(?: now)?)\W*$",
    re.I,
)
STORY_END_CHARS = 120  # "11 responses to “<the story's title>”"
BIO_REACH = 2  # last story paragraphs checked for an author's bio
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
TRUNCATED = re.compile(r"(?:\s\.\.|\.\.\.|…|\[\.\.\.\])$")
MENU_SEPARATOR = re.compile(r"\s[|·•/»>\-–]\s")
MENU_CHARS = frozenset("|·•/»>-–")
DIGIT = re.compile(r"\d")
TERMINAL = frozenset(".!?:;\"'”’)…")


@dataclass(frozen=True, kw_only=True)
class ClassifiedLine:
    """One non-blank input line, whether the cleaner kept it, and why."""

    number: int  # 0-based line number in the input text
    text: str  # the line with its white space collapsed
    kept: bool
    reason: str  # "good", "near good", "copyright", "menu", "relative time", ...


@dataclass(frozen=True, kw_only=True)
class CleanResult:
    """The story paragraphs found in a dump, with every line's verdict for debugging."""

    paragraphs: tuple[str, ...]
    lines: tuple[ClassifiedLine, ...]
    language: str  # the stop-word list that fitted the text best

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def dropped(self) -> tuple[ClassifiedLine, ...]:
        return tuple(line for line in self.lines if not line.kept)


@dataclass(kw_only=True, slots=True)
class _Block:
    """Working state of one line while it is classified (mutable, private to this module)."""

    number: int
    text: str
    words: int
    chars: int
    heading: bool
    cf_class: str  # context-free: "bad" | "short" | "neargood" | "good"
    reason: str
    final: str = ""


@cache
def _stoplist(language: str) -> frozenset[str]:
    return frozenset(justext.get_stoplist(language))


def pick_language(words: list[str]) -> str:
    """The stop-word list that covers most of the words (English when nothing matches)."""
    counts = Counter(words[:LANGUAGE_SAMPLE])
    best, best_hits = LANGUAGES[0], 0
    for language in LANGUAGES:
        stoplist = _stoplist(language)
        hits = sum(counts[word] for word in stoplist & counts.keys())
        if hits > best_hits:
            best, best_hits = language, hits
    return best


def _is_menu(text: str) -> bool:
    """A run of short labels joined by separators ("Home | News | Sport", "Travel - Arabic - Events")."""
    if len(text) < 9 or MENU_CHARS.isdisjoint(text):
        return False
    parts = MENU_SEPARATOR.split(text)
    if len(parts) < 3:
        return False
    return sum(len(part.split()) for part in parts) / len(parts) <= 4


def _is_truncated_teaser(text: str, texts: list[str]) -> bool:
    """A shortened copy of another line ("Emirati writers spotlight transformativ .."); `texts` are the
    dump's distinct lines, sorted, so the longer copy is found by bisection."""
    if text[-1] not in ".…]" or not TRUNCATED.search(text):
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
    if len(text) < LENGTH_LOW or any(mark in text for mark in ".,;!?"):
        return False
    tokens = text.split()
    if len(tokens) < 6:
        return False
    return sum(1 for token in tokens if token[0].isupper() or token[0].isdigit()) >= 0.8 * len(tokens)


def _boilerplate_hits(text: str, tokens: list[str]) -> set[str]:
    hits: set[str] = set()
    for word in BOILERPLATE_PATTERNS.keys() & set(tokens):
        pattern = BOILERPLATE_PATTERNS[word]
        hits.update([word] if pattern is None else (hit.lower() for hit in pattern.findall(text)))
    if "/" in text:
        hits.update(PHOTO_CREDIT.findall(text))
    return hits


def _is_boilerplate(text: str, tokens: list[str]) -> bool:
    """A call to action or disclosure: one phrase in a short line, two different ones in a long line."""
    if len(text) > 3 * LENGTH_HIGH:
        return False
    needed = 1 if len(text) < LENGTH_HIGH else BOILERPLATE_HITS_IN_LONG_LINES
    return len(_boilerplate_hits(text, tokens)) >= needed


def _chrome_reason(text: str, tokens: list[str], repeats: int, texts: list[str]) -> str | None:
    """Why a line is site chrome whatever its length, or None (`tokens`: its words in lower case)."""
    chars = len(text)
    if ("©" in text or "copyright" in tokens or "reserved" in tokens or "(c)" in text) and COPYRIGHT.search(
        text
    ):
        return "copyright"
    if chars < 50 and ("ago" in tokens or len(tokens) <= 2) and RELATIVE_TIME.search(text):
        return "relative time"
    if _is_truncated_teaser(text, texts):
        return "truncated teaser"
    if _is_menu(text):
        return "menu"
    if _is_capitalised_list(text):
        return "capitalised list"
    if _is_boilerplate(text, tokens):
        return "boilerplate phrase"
    if chars < 80 and DIGIT.search(text):
        if chars < 60 and DATE_OR_TIME.match(text):
            return "date or time"
        if text[-1] != "." and YEAR.search(text) and TIME_OR_MONTH.search(text):
            return "date stamp"
    if chars < LENGTH_LOW and BYLINE.match(text):
        return "byline"
    if chars < STORY_END_CHARS and STORY_END.match(text):
        return "closing header"
    if repeats > 1 and chars < LENGTH_LOW:
        return "repeated"
    return None


def _is_sentence(text: str) -> bool:
    """Starts like a sentence and ends with sentence punctuation."""
    return (text[0].isupper() or text[0] in "\"“‘'«") and text.rstrip("\"”’'»)")[-1:] in (".", "!", "?", ":")


def _looks_like_heading(text: str, words: int) -> bool:
    return 0 < words <= 15 and text[-1] not in TERMINAL and (text[0].isupper() or text[0].isdigit())


def _classify(
    number: int,
    text: str,
    tokens: list[str],
    stoplist: frozenset[str],
    repeats: int,
    texts: list[str],
    isolated: bool,
) -> _Block:
    """jusText's context-free classes, from length and stop-word share, plus the chrome rules."""
    words, chars = len(tokens), len(text)
    density = sum(map(stoplist.__contains__, tokens)) / words if words else 0.0
    heading = (isolated or words >= 3) and _looks_like_heading(text, words)
    chrome = _chrome_reason(text, tokens, repeats, texts)
    if chrome:
        cf_class, reason = "bad", chrome
    elif chars < LENGTH_LOW:
        sentence = words >= 5 and density >= STOPWORDS_LOW and _is_sentence(text)
        cf_class, reason = ("neargood", "short sentence") if sentence else ("short", "short")
    elif density >= STOPWORDS_HIGH:
        cf_class, reason = ("good", "good") if chars > LENGTH_HIGH else ("neargood", "near good")
    elif density >= STOPWORDS_LOW:
        cf_class, reason = "neargood", "near good"
    elif density >= STOPWORDS_SENTENCE and _is_sentence(text):
        cf_class, reason = "neargood", "sentence with few stop-words"
    else:
        cf_class, reason = "bad", "few stop-words"
    return _Block(
        number=number, text=text, words=words, chars=chars, heading=heading, cf_class=cf_class, reason=reason
    )


def _nearest(finals: list[str], step: int, ignore_neargood: bool) -> list[str]:
    """For each line, the class of the closest line in one direction that is good or bad (or near good)."""
    wanted = ("good", "bad") if ignore_neargood else ("good", "bad", "neargood")
    found, seen = ["bad"] * len(finals), "bad"
    order = range(len(finals)) if step == 1 else range(len(finals) - 1, -1, -1)
    for i in order:
        found[i] = seen
        if finals[i] in wanted:
            seen = finals[i]
    return found


def _good_follows(blocks: list[_Block]) -> list[bool]:
    """For each line, whether a good line follows within MAX_HEADING_DISTANCE characters."""
    follows, distance = [False] * len(blocks), float("inf")  # characters between i and the next good line
    for i in range(len(blocks) - 1, -1, -1):
        follows[i] = distance <= MAX_HEADING_DISTANCE
        distance = 0 if blocks[i].final == "good" else distance + blocks[i].chars
    return follows


def _revise_shorts(blocks: list[_Block]) -> None:
    finals = [block.final for block in blocks]
    before, after = _nearest(finals, 1, True), _nearest(finals, -1, True)
    before_near, after_near = _nearest(finals, 1, False), _nearest(finals, -1, False)
    for i, block in enumerate(blocks):
        if block.final != "short":
            continue
        if before[i] == after[i] == "good":
            block.final, block.reason = "good", "short between good"
        elif before[i] == after[i] == "bad":
            block.final, block.reason = "bad", "short among chrome"
        elif "neargood" in (
            before_near[i] if before[i] == "bad" else "",
            after_near[i] if after[i] == "bad" else "",
        ):
            block.final, block.reason = "good", "short beside near good"
        else:
            block.final, block.reason = "bad", "short at the edge"


def _revise(blocks: list[_Block]) -> None:
    """jusText's context smoothing: short and near-good lines take the class of their surroundings."""
    for block in blocks:
        block.final = block.cf_class
    _revise_shorts(blocks)
    finals = [block.final for block in blocks]
    before, after = _nearest(finals, 1, True), _nearest(finals, -1, True)
    for i, block in enumerate(blocks):
        if block.final != "neargood":
            continue
        if before[i] == after[i] == "bad":
            block.final, block.reason = "bad", "near good among chrome"
        else:
            block.final = "good"
    follows = _good_follows(blocks)
    for i, block in enumerate(blocks):
        if (
            block.heading
            and block.words > 1
            and block.final == "bad"
            and block.cf_class != "bad"
            and follows[i]
        ):
            block.final, block.reason = "good", "heading"


def _weight(block: _Block) -> float:
    """How much a line argues for being inside the story (positive) or outside it (negative)."""
    if block.cf_class == "good" or (block.cf_class == "short" and block.final == "good"):
        return block.chars
    if block.cf_class == "neargood":
        return NEARGOOD_WEIGHT * block.chars
    if block.cf_class == "short":
        return -SHORT_WEIGHT * block.chars
    return -block.chars


def _main_block(weights: list[float]) -> tuple[int, int]:
    """The run of lines with the largest total weight (Kadane's maximum subarray), as (start, end)."""
    best, best_span, total, start = 0.0, (0, 0), 0.0, 0
    for i, weight in enumerate(weights):
        if total <= 0:
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _keep_main_block(blocks: list[_Block]) -> None:
    """Keep the one densest run of story lines, with the short lines inside it; drop the rest."""
    start, end = _main_block([_weight(block) for block in blocks])
    for i, block in enumerate(blocks):
        if not start <= i < end:
            if block.final == "good":
                block.final, block.reason = "bad", "outside the main block"
        elif (
            block.cf_class != "bad"
            and block.final != "good"
            and (block.words >= MIN_WORDS_INSIDE or (block.heading and block.words > 1))
        ):
            block.final, block.reason = "good", "inside the main block"


def _cut_at_story_end(blocks: list[_Block]) -> None:
    """Drop what follows a comments or related-reading header placed after most of the story's text
    (a "Related" box in the middle of a story leaves more story below it than above)."""
    good_chars = [block.chars if block.final == "good" else 0 for block in blocks]
    total, above = sum(good_chars), 0
    for i, block in enumerate(blocks):
        above += good_chars[i]
        if above > total - above and block.chars < STORY_END_CHARS and STORY_END.match(block.text):
            for later in blocks[i:]:
                if later.final == "good":
                    later.final, later.reason = "bad", "after the story's end"
            return


def _drop_author_bio(blocks: list[_Block]) -> None:
    """The writer's bio that closes many stories ("Jane Doe is a reporter who covers ...")."""
    for block in [block for block in blocks if block.final == "good"][-BIO_REACH:]:
        if AUTHOR_BIO.match(block.text):
            block.final, block.reason = "bad", "author bio"


def _drop_duplicates(blocks: list[_Block]) -> None:
    """Pull quotes and repeated headlines: the story needs each text once."""
    kept: set[str] = set()
    for block in blocks:
        if block.final != "good":
            continue
        if block.text in kept:
            block.final, block.reason = "bad", "duplicate"
        kept.add(block.text)


def _classify_lines(lines: list[tuple[int, str]], blank: set[int]) -> tuple[list[_Block], str]:
    """Context-free classes of the non-blank lines (each distinct text tokenised and judged once)."""
    repeats = Counter(line for _, line in lines)
    tokens = {line: WORD.findall(line.lower()) for line in repeats}
    # Running text names the language better than menus do.
    running = (word for words in tokens.values() if len(words) >= 8 for word in words)
    language = pick_language(list(islice(running, LANGUAGE_SAMPLE)))
    stoplist = _stoplist(language)
    texts = sorted(repeats)
    seen: dict[tuple[str, bool], _Block] = {}
    blocks = []
    for number, line in lines:
        isolated = number - 1 in blank and number + 1 in blank
        known = seen.get((line, isolated))
        if known is None:
            known = seen[line, isolated] = _classify(
                number, line, tokens[line], stoplist, repeats[line], texts, isolated
            )
        blocks.append(known if known.number == number else replace(known, number=number))
    return blocks, language


def clean_text(text: str) -> CleanResult:
    """Split a page dump into lines, classify each, and keep the story's paragraphs in order."""
    raw_lines = [(number, " ".join(line.split())) for number, line in enumerate(text.splitlines())]
    lines = [(number, line) for number, line in raw_lines if line]
    if not lines:
        return CleanResult(paragraphs=(), lines=(), language=LANGUAGES[0])
    blank = {number for number, line in raw_lines if not line} | {-1, len(raw_lines)}
    blocks, language = _classify_lines(lines, blank)
    _revise(blocks)
    _keep_main_block(blocks)
    _cut_at_story_end(blocks)
    _drop_duplicates(blocks)
    _drop_author_bio(blocks)
    classified = tuple(
        ClassifiedLine(number=b.number, text=b.text, kept=b.final == "good", reason=b.reason) for b in blocks
    )
    paragraphs = tuple(line.text for line in classified if line.kept)
    return CleanResult(paragraphs=paragraphs, lines=classified, language=language)
