"""Big enough to tap, and never wider than a small phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.pages import PAGES, VARIANT_IDS, VARIANTS
from tests.e2e.support import SMALL_TARGETS, choose


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_every_target_is_at_least_44px(page: Page, band: str, symbols: bool) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    choose(page, band, symbols)
    found = {}
    for url in PAGES:
        page.goto(url)
        small = page.evaluate(SMALL_TARGETS)
        if small:
            found[url] = small
    assert not found, found


def test_skip_links_are_44px_when_focused(page: Page) -> None:
    page.goto("/")
    for _ in range(2):
        page.keyboard.press("Tab")
        box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
        assert box["width"] >= 44 and box["height"] >= 44, box


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_no_sideways_scrolling_at_320px(page: Page, band: str, symbols: bool) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    choose(page, band, symbols)
    found = {}
    for url in PAGES:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            found[url] = width
    assert not found, f"pages wider than 320px: {found}"
