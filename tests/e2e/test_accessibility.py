"""axe on the pages showing errors, and the error summary's focus.

Every child page in every age band, with and without symbols, is checked with axe in
test_every_child_page.py, along with the other checks that need the page in a browser.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.support import axe_report


def test_axe_on_pages_showing_errors(page: Page) -> None:
    page.goto("/choose")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))  # once the answer has arrived
    assert axe_report(page) is None
    page.goto("/my-card")
    page.get_by_label("Their phone number (optional)").fill("call me maybe")
    page.get_by_role("button", name="Save on this phone").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_report(page) is None


def test_error_summary_takes_focus_and_links_to_the_field(page: Page) -> None:
    page.goto("/choose")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # once our deferred script has run
    summary.get_by_role("link", name="Choose how old you are").click()
    expect(page.locator("#age-0")).to_be_focused()
