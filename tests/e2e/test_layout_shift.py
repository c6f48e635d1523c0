"""Nothing on the promise pages moves once shown (issue 15: Lighthouse's cumulative layout
shift, which cost the 5-9 and 10+ promises 11 points of Performance).

The "Read to me" buttons (read_aloud.js) arrive after the page has loaded: each one used to
push every promise below it down. The space they take is now kept for them from the start
(app.css), so Chromium's own measure of layout shift, a PerformanceObserver of `layout-shift`
entries, stays at 0 in every age band, with and without symbols.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.e2e.pages import VARIANT_IDS, VARIANTS
from tests.e2e.support import choose
from tests.helpers import COUNCIL

# Every shift from the first paint on, as Lighthouse counts them (none follows an input here).
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shifts.push({
      value: entry.value,
      moved: entry.sources.map((source) => source.node
        ? (source.node.id || source.node.tagName || source.node.nodeName) : "?"),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

PHONE = ViewportSize(width=412, height=823)
# read_aloud.js has run: every part it reads has its button, or is marked as one it cannot read.
READ_ALOUD_RAN = """() => {
  const parts = [...document.querySelectorAll("[data-read-aloud]")];
  return document.readyState === "complete" && parts.length > 0 && parts.every((part) =>
    part.querySelector(":scope > .read-aloud") || part.classList.contains("read-aloud-none"));
}"""


def shifts_on(page: Page, url: str) -> list[dict[str, object]]:
    page.set_viewport_size(PHONE)  # as Lighthouse's phone: a long title squeezes a picture
    page.add_init_script(OBSERVE_SHIFTS)
    page.goto(url, wait_until="networkidle")
    page.wait_for_function(READ_ALOUD_RAN, timeout=90_000)  # slow on a loaded machine
    # One frame after the buttons, so a shift they caused is reported.
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    shifts: list[dict[str, object]] = page.evaluate("() => window.__shifts")
    return shifts


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_the_promises_page_does_not_move_when_its_read_aloud_buttons_arrive(
    page: Page, band: str, symbols: bool
) -> None:
    choose(page, band, symbols)
    assert shifts_on(page, "/promises") == []


STORY = COUNCIL.characters[0].key if COUNCIL.characters else ""


@pytest.mark.skipif(not COUNCIL.characters, reason="this council tells no promise stories")
@pytest.mark.parametrize("band", ["under_5", "10_plus"])
@pytest.mark.parametrize("path", [f"/promises/story/{STORY}", f"/promises/story/{STORY}/1"])
def test_a_story_page_does_not_move_when_its_read_aloud_button_arrives(
    page: Page, band: str, path: str
) -> None:
    choose(page, band, symbols=band == "under_5")
    assert shifts_on(page, path) == []


@pytest.mark.parametrize("path", ["/print/card", "/print/agreement", "/print/posters"])
def test_a_printable_does_not_move_when_its_print_button_shows(page: Page, path: str) -> None:
    """The print button needs JavaScript: it is shown from the first paint where scripts
    run (app.css), not by pages.js once loaded, which pushed the printable down."""
    choose(page, "10_plus")
    page.add_init_script(OBSERVE_SHIFTS)
    page.goto(path, wait_until="networkidle")
    page.locator("[data-print] button").wait_for(state="visible")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    assert page.evaluate("() => window.__shifts") == []
