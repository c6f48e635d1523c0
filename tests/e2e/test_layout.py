"""Big enough to tap, even when focused.

Every child page's targets (44 px at 375 px wide) and reflow (nothing sideways at 320 px) are
checked in test_every_child_page.py, on the one load of each page.
"""

from __future__ import annotations

from playwright.sync_api import Page


def test_skip_links_are_44px_when_focused(page: Page) -> None:
    page.goto("/")
    for _ in range(2):
        page.keyboard.press("Tab")
        box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
        assert box["width"] >= 44 and box["height"] >= 44, box
