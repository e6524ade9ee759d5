"""Dashboard test setup: seeded and empty SQLite stores, AppTest factory, a live server for Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dateline.store.db import open_store
from dateline.store.runs import finish_run, start_run
from dateline.store.writes import save_batch
from tests.ui.corpus import make_articles

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")  # AppTest resolves relative paths against the test file: use an absolute one
CHROMIUM = "/usr/bin/chromium"  # Debian package `chromium`; Playwright's own browsers are not installed
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def seed(url: str, n: int = 60) -> None:
    engine = open_store(url)
    run = start_run(engine, ["tests/ui/corpus.py"])
    counts = save_batch(engine, make_articles(n), run_id=run)
    finish_run(engine, run, counts)
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'dateline.db'}"
    seed(url)
    return url


@pytest.fixture
def seeded_env(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATELINE_DB_URL", seeded_url)
    monkeypatch.setenv("DATELINE_LOAD_SAMPLES", "0")
    monkeypatch.delenv("DATELINE_ADMIN_PASSWORD", raising=False)
    return seeded_url


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("DATELINE_DB_URL", url)
    monkeypatch.setenv("DATELINE_LOAD_SAMPLES", "0")
    monkeypatch.delenv("DATELINE_ADMIN_PASSWORD", raising=False)
    return url


@pytest.fixture
def app() -> Callable[..., object]:
    """AppTest.from_file(app.py) with optional query parameters set before the first run."""
    from streamlit.testing.v1 import AppTest

    def make(params: dict[str, str | list[str]] | None = None, page: str | None = None):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    return make


# --- Playwright --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(seeded_url: str) -> Iterator[str]:
    """A real `streamlit run app.py` on a free port over the seeded store; stopped by its own PID.

    DATELINE_UI_URL points the browser tests at an app that is already running (over the same seed).
    """
    if os.environ.get("DATELINE_UI_URL"):
        yield os.environ["DATELINE_UI_URL"].rstrip("/")
        return
    port = _free_port()
    env = {**os.environ, "DATELINE_DB_URL": seeded_url, "DATELINE_LOAD_SAMPLES": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("streamlit did not become healthy")
        time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
