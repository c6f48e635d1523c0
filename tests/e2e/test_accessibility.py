"""axe finds nothing wrong on any child page, in any age band, with or without symbols."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import choose

AXE = Axe()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page: Page) -> str | None:
    result = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return result.generate_report() if result.violations_count else None


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_axe_on_every_child_page(page: Page, band: str, symbols: bool) -> None:
    choose(page, band, symbols)
    found = {}
    for url in PAGES:
        page.goto(url)
        report = violations(page)
        if report:
            found[url] = report
    assert not found, "\n\n".join(f"{url}\n{report}" for url, report in found.items())


def test_axe_on_pages_showing_errors(page: Page) -> None:
    page.goto("/choose")
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert violations(page) is None
    page.goto("/my-card")
    page.get_by_label("Their phone number (optional)").fill("call me maybe")
    page.get_by_role("button", name="Save on this phone").click()
    assert page.locator(".error-summary").is_visible()
    assert violations(page) is None


def test_error_summary_takes_focus_and_links_to_the_field(page: Page) -> None:
    page.goto("/choose")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # once our deferred script has run
    summary.get_by_role("link", name="Choose how old you are").click()
    expect(page.locator("#age-0")).to_be_focused()
