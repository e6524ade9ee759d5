"""Screenshots of every page for docs/screenshots (run by hand against a running app).

    streamlit run app.py --server.port 8766 &          # over the bundled samples
    python tests/ui/take_screenshots.py http://127.0.0.1:8766 docs/screenshots

Every request that leaves 127.0.0.1 is aborted, so the pictures also show that the app works offline.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = {
    "overview": "",
    "timeline": "timeline?gran=month&split=topic",
    "map": "map",
    "map-selected": "map?country=US",
    "reader": "search?q=election",  # then the best match is opened
    "search": "search?q=election",
    "sources": "sources",
    "export": "export?country=US",
}
BOTH_WAYS = {"overview", "map"}  # also dark, and at phone width


def settle(page: Page, name: str) -> None:
    expect(page.get_by_test_id("stHeading").first).to_be_visible(timeout=60_000)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=60_000)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=30_000)
    if name.startswith("map"):
        page.wait_for_function("document.querySelectorAll('.choroplethlocation').length > 0")
    page.wait_for_timeout(800)  # plotly transitions


def shoot(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path in PAGES.items():
            for scheme, width in [("light", 1280), ("dark", 1280), ("light", 390), ("dark", 390)]:
                if (scheme, width) != ("light", 1280) and name not in BOTH_WAYS:
                    continue
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = context.new_page()
                page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
                page.goto(f"{base}/{path}")
                if name == "reader":  # open the best search match
                    settle(page, name)
                    page.get_by_test_id("stPageLink").nth(0).click()
                settle(page, name)
                page.screenshot(path=out / f"{name}-{scheme}-{width}.png", full_page=width > 500)
                print(out / f"{name}-{scheme}-{width}.png")
                context.close()
        browser.close()


if __name__ == "__main__":
    shoot(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
