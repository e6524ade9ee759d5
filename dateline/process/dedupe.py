"""Fingerprints that give copies of the same story (syndicated, re-posted, re-fetched) one story id."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+", re.UNICODE)
_LEAD_WORDS = 60  # syndicated copies differ in headline tweaks and endings, rarely in the lead
_HEAD_CHARS = 1000  # enough for _LEAD_WORDS words of most stories: the rest of a long text is not read


def story_fingerprint(title: str, text: str) -> str:
    """A story id shared by copies whose normalised lead is the same (exact-duplicate level).

    Copies typically differ in site chrome, punctuation, case and the dateline prefix, all of
    which normalisation removes; finding reworded near-duplicates is a separate, later stage.
    """
    words = _lead_words(text) or _WORD.findall(title.lower())
    digest = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).hexdigest()
    return f"s{digest}"


def _lead_words(text: str) -> list[str]:
    """The first _LEAD_WORDS words of `text` in lower case, read from its head when they all fit there.

    A word found after them proves the first ones whole. Lower-casing goes character by character except
    for the final sigma, which looks ahead: text with a "Σ" in its head is read whole."""
    head = text[:_HEAD_CHARS]
    if len(text) > _HEAD_CHARS and "Σ" not in head:
        words = _WORD.findall(head.lower())
        if len(words) > _LEAD_WORDS:
            return words[:_LEAD_WORDS]
    return _WORD.findall(text.lower())[:_LEAD_WORDS]


def stable_id(*parts: str | None) -> str:
    """A short, stable article id from its identifying parts (canonical URL, GUID, or content)."""
    key = "\x1f".join(part or "" for part in parts)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()
