"""Dashboard benchmark: server time and database time per page, and a first page load in Chromium.

    python bench/bench_dashboard.py --db sqlite:////tmp/dateline-bench/bench-100000.db
    python bench/bench_dashboard.py --db sqlite:////tmp/dateline-bench/bench-1000000.db --browser

Server time: each page is run from app.py with AppTest (the real script, widgets and caches, no
browser), first with empty caches ("first view"), then after changing one sidebar filter several
times ("filter change": a multiselect set to a new country/topic, so every query misses the cache).
Database time is the sum of SQL statement times during a run (SQLAlchemy cursor events).
With --browser, a `streamlit run app.py` server is started and a fresh headless Chromium context
opens each page, timed until the page's script has finished and its content (the map's countries)
is drawn. Corpora come from bench/synth.py (see bench/bench_store.py, which builds them).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
APP = str(ROOT / "app.py")
PAGES = ["overview", "timeline", "map", "reader", "search", "sources", "export"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

_sql_seconds = [0.0]
_slow_ms = [0.0]  # --slow: print statements slower than this


def _install_sql_timer() -> None:
    @event.listens_for(Engine, "before_cursor_execute")
    def _start(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        conn.info["t0"] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def _stop(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        spent = time.perf_counter() - conn.info.pop("t0", time.perf_counter())
        _sql_seconds[0] += spent
        if _slow_ms[0] and spent * 1000 >= _slow_ms[0]:
            print(f"    slow SQL {spent * 1000:.0f} ms: {' '.join(statement.split())[:300]} {params}")


def _timed(action: Callable[[], object]) -> tuple[float, float, object]:
    _sql_seconds[0] = 0.0
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, _sql_seconds[0], result


def sample_values(db_url: str) -> tuple[list[str], list[str], str, str]:
    """Countries and topics to switch between, an article id and a search word from this corpus."""
    from datetime import datetime

    from dateline.filters import Filters
    from dateline.store import queries as q
    from dateline.store.db import open_store

    engine = open_store(db_url)
    with engine.connect() as conn:
        now = q.latest_published(conn) or datetime.now()
        countries = list(q.country_counts(conn, Filters(), now)["code"][:40:4])
        topics = list(q.topic_counts(conn, Filters(), now)["code"][:10])
        latest = q.list_articles(conn, Filters(), now, limit=1)
    article = str(latest["id"][0]) if len(latest) else ""
    word = str(latest["title"][0]).split()[1] if len(latest) else "news"
    return countries, topics, article, word


def server_times(db_url: str, runs: int, query: str = "") -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DATELINE_DB_URL"] = db_url
    os.environ["DATELINE_LOAD_SAMPLES"] = "0"
    _install_sql_timer()
    countries, topics, article, word = sample_values(db_url)
    word = query or word
    if query:
        print(f"  sidebar text query {query!r} on every page")
    print(
        f"{'page':<10}{'first view':>14}{'  (db)':>10}{'filter change p50':>20}{'p95':>10}{'db p50':>10}{'db p95':>10}"
    )
    for page in PAGES:
        params = {"article": article} if page == "reader" else {"q": word} if page == "search" else {}
        params |= {"q": query} if query else {}  # the sidebar's text filter, kept across pages
        st.cache_data.clear()
        at = AppTest.from_file(APP, default_timeout=600)
        for key, value in params.items():
            at.query_params[key] = value
        if page != "overview":
            at.run()  # the session starts on Overview; switching is what a user does
            at.switch_page(f"views/{page}.py")
        first, first_db, _ = _timed(at.run)
        totals, dbs = [], []
        for i in range(runs):
            widget, values = (at.multiselect(key="f_countries"), countries) if i % 2 == 0 else (
                at.multiselect(key="f_topics"), topics)  # fmt: skip
            widget.set_value([values[(i // 2) % len(values)]])
            seconds, db_seconds, _ = _timed(at.run)
            totals.append(seconds)
            dbs.append(db_seconds)
        if at.exception:
            print(f"  {page}: exception {at.exception[0].value}")
        print(
            f"{page:<10}{first * 1000:>11.0f} ms{first_db * 1000:>7.0f} ms"
            f"{_p(totals, 50):>17.0f} ms{_p(totals, 95):>7.0f} ms{_p(dbs, 50):>7.0f} ms{_p(dbs, 95):>7.0f} ms"
        )


def _p(values: list[float], pct: int) -> float:
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] * 1000


def browser_times(db_url: str) -> None:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "DATELINE_DB_URL": db_url, "DATELINE_LOAD_SAMPLES": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            print(f"  {'first load (fresh browser context)':<36}{'1st visitor':>12}{'2nd visitor':>13}")
            for page_name in PAGES:
                first, second = (_load(browser, base, page_name) for _ in range(2))
                print(f"  {page_name:<36}{first * 1000:>9.0f} ms{second * 1000:>10.0f} ms")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _load(browser, base: str, page_name: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation until the page's script finished and its content is drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # empty browser cache
    page = context.new_page()
    page.route("**/*", lambda r: r.abort() if not r.request.url.startswith(base) else r.continue_())
    start = time.perf_counter()
    page.goto(f"{base}/{'' if page_name == 'overview' else page_name}")
    page.get_by_test_id("stHeading").first.wait_for(timeout=60_000)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=60_000)
    if page_name in ("map", "timeline"):
        page.wait_for_function(
            "document.querySelectorAll('.choroplethlocation, .barlayer .point').length > 0"
        )
    seconds = time.perf_counter() - start
    context.close()
    return seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("streamlit did not become healthy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", required=True, help="database URL (repeat for several)")
    parser.add_argument("--runs", type=int, default=6, help="filter changes per page")
    parser.add_argument("--browser", action="store_true", help="also time a first page load in Chromium")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help="comma-separated subset of " + ",".join(PAGES)
    )
    parser.add_argument("--query", default="", help="a sidebar text query set on every page")
    parser.add_argument("--slow", type=float, default=0, help="print SQL statements slower than this (ms)")
    args = parser.parse_args()
    _slow_ms[0] = args.slow
    PAGES[:] = [p for p in PAGES if p in args.pages.split(",")]
    for db_url in args.db:
        print(f"== {db_url}")
        server_times(db_url, args.runs, args.query)
        if args.browser:
            browser_times(db_url)


if __name__ == "__main__":
    main()
