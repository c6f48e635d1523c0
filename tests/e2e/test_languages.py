"""Arabic in Chromium: chosen from the menu with and without JavaScript, laid out right to left.

The words themselves are checked without a browser (tests/test_languages_pages.py); here what
only a browser shows: the layout mirrored, the quick exit on the left edge, nothing sideways at
320 px, the arrows pointing the way the book turns, and axe clean.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import choose, page_problems
from tests.helpers import COUNCIL

NARROW = {"width": 320, "height": 640}


def choose_arabic_from_the_menu(page: Page) -> None:
    page.locator(".menu summary").click()
    page.locator('.language-menu a[lang="ar"]').click()
    page.wait_for_load_state()


def assert_right_to_left(page: Page, *, scripts: bool = True) -> None:
    """The page in Arabic, mirrored; with scripts on, axe, 44 px targets and no sideways scroll
    too (they run in the page: a context without JavaScript cannot run them)."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    width = page.viewport_size["width"] if page.viewport_size else 0
    exit_box = page.locator(".exit-button").bounding_box()
    home_box = page.locator(".bar .site-name").bounding_box()
    assert exit_box and home_box
    # The quick exit sits at the inline end: the left edge, right to left; the home link right.
    assert exit_box["x"] <= 16 and exit_box["x"] + exit_box["width"] < width / 2 + 40, exit_box
    assert home_box["x"] + home_box["width"] >= width - 16, home_box
    if not scripts:
        return
    problems = page_problems(page)
    assert not problems, f"{page.url}: " + "\n".join(problems)


def test_arabic_chosen_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport=NARROW)
    page = context.new_page()
    page.goto("/help")
    choose_arabic_from_the_menu(page)
    assert page.url.endswith("/help")  # back to the same page
    assert_right_to_left(page, scripts=False)
    page.goto("/")  # remembered: the cookie, not the link
    assert_right_to_left(page, scripts=False)
    context.close()


def test_arabic_chosen_with_javascript_and_the_book_turns_right_to_left(page: Page) -> None:
    page.set_viewport_size(NARROW)
    choose(page, "under_5", symbols=True)
    page.goto("/tell-us/what")
    choose_arabic_from_the_menu(page)
    assert page.url.endswith("/tell-us/what")
    assert_right_to_left(page)
    if COUNCIL.characters:
        page.goto(f"/promises/story/{COUNCIL.characters[0].key}/1")
        assert_right_to_left(page)
        back = page.locator('.book-turn a[rel="prev"]').bounding_box()
        forward = page.locator('.book-turn a[rel="next"]').bounding_box()
        assert back and forward and forward["x"] < back["x"]  # Next is on the left
        hand = page.locator('.book-turn a[rel="next"] img.symbol')
        transform = hand.evaluate("img => getComputedStyle(img).transform")
        assert transform.startswith("matrix(-1"), transform  # 👉 points left, the way on
    page.goto("/promises")
    assert_right_to_left(page)
