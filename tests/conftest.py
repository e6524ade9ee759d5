"""Shared test setup: the project root on sys.path and the location of the shared dev sets."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the checkout; tests that need it skip in a user's clone, which has none."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (a user's clone): labelled dev sets not available")
    return SHARED


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def fixture_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving tests/fixtures/inputs (feeds, pages, exports)."""
    handler = functools.partial(_QuietHandler, directory=str(ROOT / "tests" / "fixtures" / "inputs"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
