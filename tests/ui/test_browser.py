"""Browser tests: Playwright drives Debian chromium against `streamlit run app.py`, offline."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)  # 2 shared cores: a first page load can take several seconds
LOCAL = re.compile(r"^(?!http://127\.0\.0\.1[:/]).*")
PAGES = {"": "Overview", "timeline": "Timeline", "map": "Map", "reader": "Reader", "search?q=story": "Search",
         "sources": "Sources", "export": "Export"}  # fmt: skip


@pytest.fixture
def offline(page: Page) -> list[str]:
    """Abort every request that leaves 127.0.0.1, and remember it so a test can assert there were none."""
    blocked: list[str] = []

    def abort(route) -> None:  # type: ignore[no-untyped-def]
        blocked.append(route.request.url)
        route.abort()

    page.route(LOCAL, abort)
    return blocked


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots go to a temp folder, or to DATELINE_SCREENSHOTS (e.g. docs/screenshots) when set."""
    folder = os.environ.get("DATELINE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def settle(page: Page) -> None:
    expect(page.get_by_test_id("stHeading").first).to_be_visible()  # the first script run has started
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=30_000)
    expect(page.locator("[data-stale=true]")).to_have_count(0)  # no element left over from a previous run
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)  # lazily loaded widget code has arrived
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=30_000)


def _query(url: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query)


def wait_for_map(page: Page, countries: int = 3) -> None:
    page.wait_for_function(f"document.querySelectorAll('.choroplethlocation').length >= {countries}")


def test_a_deep_link_works_as_the_servers_first_request(page: Page, app_url: str, offline: list[str]) -> None:
    # First in this file on purpose: a fresh server's first request must run app.py too (views/ note).
    page.goto(f"{app_url}/search?q=story&country=US")
    settle(page)
    expect(page.get_by_test_id("stHeading").first).to_contain_text("Search")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_text("United States", exact=False).first).to_be_visible()
    assert offline == []


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_offline(
    page: Page, app_url: str, offline: list[str], shots: Path, path: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_url}/{path}")
    settle(page)
    expect(page.get_by_test_id("stHeading").first).to_contain_text(PAGES[path])
    expect(page.get_by_test_id("stException")).to_have_count(0)
    if path == "map":
        wait_for_map(page)
    name = (path.split("?")[0] or "overview").replace("/", "_")
    page.screenshot(path=shots / f"{name}-light-1280.png", full_page=True)
    assert offline == []


def test_map_draws_its_countries_offline(page: Page, app_url: str, offline: list[str]) -> None:
    page.goto(f"{app_url}/map")
    wait_for_map(page)
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('.choroplethlocation')).map(p => p.__data__.loc)"
    )
    assert {"USA", "FRA", "DEU", "IND"} <= set(drawn)
    assert page.locator(".geolayer .layer.countries path").count() >= 1  # base map from our own topojson
    assert offline == []


def test_clicking_a_country_puts_the_filter_in_the_url(page: Page, app_url: str, offline: list[str]) -> None:
    page.goto(f"{app_url}/map")
    wait_for_map(page)
    settle(page)
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('.choroplethlocation')).map(p => p.__data__.loc)"
    )
    box = page.locator(".choroplethlocation").nth(drawn.index("IND")).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.35
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"[?&]country=IN(&|$)"))
    expect(page.get_by_test_id("stHeading").filter(has_text="India")).to_have_count(2)  # list + co-coverage
    assert offline == []


def test_clicking_a_timeline_bar_lists_that_period(page: Page, app_url: str, offline: list[str]) -> None:
    page.goto(f"{app_url}/timeline?gran=month&split=none")
    settle(page)
    page.wait_for_function("document.querySelectorAll('.barlayer .point path').length > 3")
    bar = page.locator(".barlayer .point path").last  # the newest month
    box = bar.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 3)
    expect(page).to_have_url(re.compile(r"span=2020-06-01\.\.2020-06-30"))
    expect(
        page.get_by_test_id("stHeading").filter(has_text="Articles 2020-06-01 – 2020-06-30")
    ).to_be_visible()
    assert offline == []


def test_a_shared_url_gives_the_same_view_in_a_fresh_browser(page: Page, app_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/timeline")
    settle(page)
    page.get_by_test_id("stSidebar").get_by_text("mentions", exact=True).click()
    settle(page)
    page.get_by_test_id("stRadio").filter(has_text="Articles per").get_by_text("month", exact=True).click()
    expect(page).to_have_url(re.compile(r"gran=month"))
    settle(page)
    # The link a user copies with the sidebar's Copy button (an iframe of our own), not the address bar.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = page.get_by_test_id("stSidebar").frame_locator("iframe").first.locator("#copy")
    copy.click()
    expect(copy).to_have_text("✅ Copied")
    shared = page.evaluate("navigator.clipboard.readText()")
    assert _query(shared) == _query(page.url)
    assert "cmode=mentioned" in shared
    first_caption = page.get_by_test_id("stCaptionContainer").filter(has_text="articles").first.inner_text()

    fresh = browser.new_context()
    other = fresh.new_page()
    other.route(LOCAL, lambda route: route.abort())
    other.goto(shared)
    settle(other)
    expect(other).to_have_url(shared)
    # Radio inputs carry their option index as value: month is the 3rd granularity, mentions the 2nd mode.
    expect(other.get_by_role("radiogroup", name="Articles per").locator("input:checked")).to_have_value("2")
    expect(other.get_by_role("radiogroup", name="Country match").locator("input:checked")).to_have_value("1")
    assert (
        other.get_by_test_id("stCaptionContainer").filter(has_text="articles").first.inner_text()
        == first_caption
    )
    fresh.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["", "map"])
def test_overview_and_map_in_both_themes_and_widths(
    page: Page, app_url: str, offline: list[str], shots: Path, path: str, width: int, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.set_viewport_size({"width": width, "height": 900 if width > 500 else 844})
    page.goto(f"{app_url}/{path}")
    settle(page)
    if path == "map":
        wait_for_map(page)
    page.screenshot(path=shots / f"{path or 'overview'}-{scheme}-{width}.png", full_page=True)
    assert offline == []
