"""`dateline ingest URL` against a real HTTP server on 127.0.0.1: feeds and pages by URL, end to end."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dateline.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def server() -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_feed_and_page_urls_are_fetched_parsed_and_stored(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'http.db'}"
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
