"""The indicators dashboard read in chromium on a desktop screen (1280 px) and on a phone (375 px): the page never
scrolls sideways (a wide table scrolls inside its own box), no table cell is narrower than two characters of its
own font (Chinese headings used to wrap one character a line), the quarterly chart draws a series, and hidden
cells carry their reason. Screenshots of both widths are kept under artifacts/journeys/ for CI's artefacts.

Figures come from deals completed through the deals services, as in tests/indicators, served by pytest-django's
live server; the small-cell rule is on (three deals), so the public page shows hidden cells too.
"""

import pytest

from tests.indicators.conftest import completed_deal, pay
from tests.journeys.conftest import CHROMIUM_ARGS
from tests.journeys.ui import ARTIFACTS

pytestmark = pytest.mark.browser

WIDTHS = {1280: 900, 375: 812}

# Every table cell the reader can see, with its width and two characters of its own computed font size.
NARROW_CELLS = """
() => [...document.querySelectorAll("main table th, main table td")]
  .filter((cell) => cell.getClientRects().length && getComputedStyle(cell).visibility !== "hidden")
  .map((cell) => ({
    table: cell.closest("table").id,
    text: cell.textContent.trim().slice(0, 20),
    width: cell.getBoundingClientRect().width,
    twoCharacters: 2 * parseFloat(getComputedStyle(cell).fontSize),
  }))
  .filter((cell) => cell.width < cell.twoCharacters)
"""


@pytest.fixture
def figures_on_the_dashboard(transactional_db, world, settings):
    settings.INDICATORS_MIN_DEALS = 3
    for _ in range(3):
        deal = completed_deal(world, "licence", total=50_000_000, technology=48_000_000)
    pay(deal, 1, 20_000_000)
    completed_deal(world, "transfer", total=180_000_000, technology=150_000_000, ipc="G06F 16/33")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_dashboard_reads_without_scrolling_sideways(chromium_path, live_server, figures_on_the_dashboard, width):
    # A browser of this test's own, started after the figures are booked and stopped before the database is
    # flushed: Playwright's sync API runs an event loop in this thread, where Django refuses database work.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            read_the_dashboard(browser, live_server.url, width)
        finally:
            browser.close()


def read_the_dashboard(browser, url: str, width: int) -> None:
    errors: list[str] = []
    context = browser.new_context(
        base_url=url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": width, "height": WIDTHS[width]},
        device_scale_factor=1,
    )
    try:
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("/indicators/")
        # The script has drawn every chart (Chart.js, from our static files).
        try:
            page.wait_for_function(
                "() => window.Chart && [...document.querySelectorAll('canvas')].every((c) => Chart.getChart(c))"
            )
        except Exception as error:
            raise AssertionError(f"the charts were not drawn: {errors}") from error
        page.wait_for_timeout(300)  # the charts' first animation

        path = ARTIFACTS / f"dashboard-{width}px.png"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the dashboard at {width} px: {path}")  # noqa: T201 - CI's log names the artefact

        scroll_width, inner_width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"the page scrolls sideways at {width} px: {scroll_width} > {inner_width}"
        narrow = page.evaluate(NARROW_CELLS)
        assert narrow == [], f"table cells narrower than two characters at {width} px: {narrow[:5]}"

        # The quarterly chart is a series over the quarters, the same as its table.
        points = page.evaluate("() => Chart.getChart(document.getElementById('chart-quarter')).data.labels.length")
        assert points >= 8 and points == page.locator("#table-quarter tbody tr[data-key]").count()

        # A hidden cell says why it is empty.
        hidden = page.locator("#table-ipc_section tr.suppressed td").first
        assert hidden.inner_text().strip() == "—" and hidden.get_attribute("title")
        assert page.locator("#suppressed-note-ipc_section").is_visible()
    finally:
        context.close()
