"""End to end through the `dateline` command: process, ingest, export, on real and on bad input."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from dateline.cli import main

ROOT = Path(__file__).resolve().parents[2]

SAMPLES = ROOT / "data" / "samples"
SEED = SAMPLES / "seed_urdupoint_2023-06-17.txt"


def run(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str, str]:
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(argv)
    finally:
        sys.stdin = old
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_process_seed_meets_the_acceptance(capsys: pytest.CaptureFixture[str]) -> None:
    line = json.dumps({"id": "seed", "text": SEED.read_text(encoding="utf-8")})
    code, out, _ = run(["process"], capsys, stdin=line + "\n")
    article = json.loads(out)
    assert code == 0
    assert article["id"] == "seed"
    assert (
        article["title"]
        == "Blinken Embarks On 2-Day Visit To China To Revive Bilateral Contacts Amid Rising Tensions"
    )
    assert article["author"] == "Faizan Hashmi"
    assert article["published_at"].startswith("2023-06-17T03:10")
    assert article["source"] == "UrduPoint"
    assert (article["dateline"], article["agency"]) == ("WASHINGTON", "Sputnik")
    text = article["text"]
    assert text.startswith("US Secretary of State Antony Blinken will travel to Beijing")
    assert text.endswith("in London.")
    assert "\nUS APPEARS TO SEEK DIPLOMATIC THAW\n" in text
    for chrome in (
        "Related Topics",
        "Recent Stories",
        "hours ago",
        "UrduPoint Network",
        "Balochistan",
        "Prize Bond",
    ):
        assert chrome not in text
    assert "Ukraine" in article["site_tags"]
    assert article["language"] == "en"
    about = {c["code"] for c in article["countries"] if c["about"]}
    assert about == {"US", "CN"}
    assert article["story_id"]
    # issue 3: about politics and government (diplomacy); economy/trade and conflict mentioned, lower
    topics = {t["code"]: t for t in article["topics"]}
    assert {c for c, t in topics.items() if t["primary"]} == {"medtop:11000000", "medtop:20000639"}
    assert all(topics[c]["about"] for c in ("medtop:11000000", "medtop:20000639"))
    lowest_about = min(t["score"] for t in article["topics"] if t["about"])
    for code in ("medtop:04000000", "medtop:20000373", "medtop:16000000"):
        assert topics[code]["about"] is False and topics[code]["score"] < lowest_about, code


def test_process_reports_bad_lines_and_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    lines = "\n".join(
        [
            "{not json",
            json.dumps({"id": 7, "text": ""}),
            json.dumps(["a list"]),
            json.dumps(
                {
                    "id": "ok",
                    "title": "Flooding in Jakarta",
                    "text": "Heavy rain flooded Jakarta, Indonesia, on Monday.",
                }
            ),
        ]
    )
    code, out, _ = run(["process"], capsys, stdin=lines)
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["id"] for r in results] == ["line-1", "7", "line-3", "ok"]
    assert all("error" in r for r in results[:3])
    assert results[3]["title"] == "Flooding in Jakarta" and "error" not in results[3]


def test_ingest_samples_then_export_everything(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["ingest", str(SAMPLES), "--db", db_url], capsys)
    assert code == 0
    assert out.strip().startswith("296 new, 0 updated, 0 unchanged, 0 failed")

    code, out, _ = run(["ingest", str(SAMPLES), "--db", db_url], capsys)
    assert out.strip().startswith("0 new, 0 updated, 296 unchanged, 0 failed")

    code, out, _ = run(["export", "--db", db_url], capsys)
    articles = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(articles) == 296
    assert all(a["title"] and a["text"] and a["published_at"] for a in articles)
    assert len({a["id"] for a in articles}) == 296

    code, out, _ = run(["export", "--db", db_url, "--format", "csv", "--since", "2020-01-01"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert 100 < len(rows) < 296
    assert all(row["published_at"] >= "2020-01-01" for row in rows)


def test_ingest_bad_inputs_reports_each_and_keeps_the_rest(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "broken.txt.gz").write_bytes(gzip.compress(SEED.read_bytes())[:200])
    (folder / "bad.jsonl").write_text('{"title": "Good one", "text": "Rain fell in Oslo, Norway."}\n{oops\n')
    (folder / "notes.md").write_text("# not an article\n")
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    code, out, err = run(["ingest", str(folder), "--db", db_url], capsys)
    assert code == 1
    summary = out.strip()
    assert summary.startswith("2 new, 0 updated, 0 unchanged,")
    assert "broken.txt.gz" in err and "bad.jsonl" in err and "empty.txt" in err


def test_export_of_an_empty_store_is_empty(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["export", "--db", db_url], capsys)
    assert code == 0 and out == ""


def test_retag_and_rebuild_keep_the_store_consistent(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["ingest", str(SEED), "--db", db_url], capsys)
    before = run(["export", "--db", db_url], capsys)[1]

    code, out, _ = run(["retag", "--db", db_url], capsys)
    assert code == 0 and out.startswith("1 articles re-tagged")
    code, out, _ = run(["rebuild-aggregates", "--db", db_url], capsys)
    assert code == 0 and "rebuilt" in out

    after = run(["export", "--db", db_url], capsys)[1]
    assert json.loads(after)["countries"] == json.loads(before)["countries"]
    code, out, _ = run(["export", "--db", db_url, "--country", "cn"], capsys)
    assert len(out.splitlines()) == 1
    code, out, _ = run(["export", "--db", db_url, "--country", "PK"], capsys)
    assert out == ""  # Pakistan is only in the seed's site chrome, which cleaning removed


def test_an_edited_article_is_updated_in_place(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.jsonl"
    record = {
        "url": "https://news.example.org/a?utm_source=x",
        "title": "Storm hits Manila",
        "date": "2024-05-02",
    }
    export.write_text(json.dumps({**record, "text": "A storm hit Manila, Philippines, on Thursday."}) + "\n")
    run(["ingest", str(export), "--db", db_url], capsys)
    export.write_text(
        json.dumps({**record, "text": "A typhoon hit Manila, Philippines, on Thursday night."}) + "\n"
    )
    code, out, _ = run(["ingest", str(export), "--db", db_url], capsys)
    assert code == 0 and out.startswith("0 new, 1 updated, 0 unchanged, 0 failed")
    articles = [json.loads(line) for line in run(["export", "--db", db_url], capsys)[1].splitlines()]
    assert len(articles) == 1 and articles[0]["text"].startswith("A typhoon")
    assert articles[0]["url"] == "https://news.example.org/a"
