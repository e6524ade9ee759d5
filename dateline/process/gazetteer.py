"""The country gazetteer: data/gazetteer/ loaded once into an Aho-Corasick automaton and lookup tables."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from dateline.settings import DATA_DIR

GAZETTEER_DIR = DATA_DIR / "gazetteer"
# Non-word characters but the space, which would only be replaced by itself: one character class, which
# the regex engine scans for in C, and a third fewer replacements. "_" is a break too, replaced apart.
NOT_WORD = re.compile(r"[^\w ]")


def fold(text: str) -> str:
    """Lower case with every non-word character as a space, keeping offsets: "U.S.-led" -> "u s  led"."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters ("İ") grow when lower-cased
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    folded = NOT_WORD.sub(" ", lowered)
    return folded.replace("_", " ") if "_" in folded else folded


def automaton_key(surface: str) -> str:
    """Names are stored framed by spaces, so only whole words match: " china " never hits "Indochina"."""
    return f" {fold(surface).strip()} "


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One way of writing a place: `surface` means country `code` ("" for a blocking phrase)."""

    surface: str
    code: str
    kind: str  # short|country|alias|historic|demonym|capital|city|state|region|institution|alt|stop
    guard: str  # "" | "person" (also a personal name) | "caps" (also an English word in capitals)
    source: str


@dataclass(frozen=True, kw_only=True)
class Country:
    """A country as the UI shows it: alpha-2 code, alpha-3 code for maps, short common name."""

    code: str
    alpha3: str
    name: str


@dataclass(frozen=True)
class Gazetteer:
    """Everything tagging needs, built once; never mutated after loading."""

    # automaton_key(surface) -> (len(key), entries); the first entry is the default reading
    automaton: ahocorasick.Automaton
    countries: dict[str, Country]
    dateline_places: dict[str, str]  # lower-cased place -> code, for datelines only
    by_surface: dict[str, tuple[Entry, ...]]  # lower-cased surface -> entries


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    """Read countries.csv, names.csv and dateline_places.csv (written by scripts/build_gazetteer.py)."""
    countries = {
        r["code"]: Country(code=r["code"], alpha3=r["alpha3"], name=r["name"])
        for r in _read(directory / "countries.csv")
    }
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for r in _read(directory / "names.csv"):
        entry = Entry(
            surface=r["surface"], code=r["code"], kind=r["kind"], guard=r["guard"], source=r["source"]
        )
        grouped[entry.surface.lower()].append(entry)
    automaton = ahocorasick.Automaton()
    by_surface = {key: tuple(entries) for key, entries in grouped.items()}
    keyed: dict[str, list[Entry]] = defaultdict(list)
    for entries in by_surface.values():
        keyed[automaton_key(entries[0].surface)].extend(entries)
    for key, same_key in keyed.items():
        automaton.add_word(key, (len(key), tuple(same_key)))
    automaton.make_automaton()
    places = {r["place"]: r["code"] for r in _read(directory / "dateline_places.csv")}
    return Gazetteer(automaton=automaton, countries=countries, dateline_places=places, by_surface=by_surface)


@cache
def default_gazetteer() -> Gazetteer:
    """The bundled gazetteer, loaded on first use and shared afterwards."""
    return load_gazetteer()
