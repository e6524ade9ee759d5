"""`dateline ingest URL` against a real HTTP server on 127.0.0.1: feeds and pages by URL, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.cli import main


def test_feed_and_page_urls_are_fetched_parsed_and_stored(
    fixture_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'http.db'}"
    server = fixture_server
    urls = [f"{server}/feeds/rss20.xml", f"{server}/html/article.html", f"{server}/feeds/missing.xml"]
    code = main(["ingest", *urls, "--db", db])
    out, err = capsys.readouterr()
    assert code == 1  # the missing feed failed; the others were stored
    assert "missing.xml" in err and "404" in err
    new = int(out.split(" new")[0])
    assert new >= 3

    main(["export", "--db", db])
    articles = {a["title"]: a for a in map(json.loads, capsys.readouterr().out.splitlines())}
    talks = articles["Talks resume in Geneva"]
    assert talks["url"] == "https://wire.example.com/world/geneva-talks"  # tracking parameter stripped
    assert talks["published_at"] == "2023-06-17T03:10:00+05:00"  # as written, not shifted to UTC
    assert talks["dateline"] == "GENEVA" and talks["author"] == "Faizan Hashmi"
    assert talks["text"].startswith("Negotiators met again on Friday")

    # Again: nothing new; the feed's one empty entry is reported again, every time, by name.
    assert main(["ingest", *urls[:2], "--db", db]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"0 new, 0 updated, {new} unchanged, 1 failed")
    assert "neither a title nor any content" in err
