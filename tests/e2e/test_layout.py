"""Big enough to tap, even when focused; the compact header; what works without JavaScript.

Every child page's targets (44 px at 375 px wide) and reflow (nothing sideways at 320 px) are
checked in test_every_child_page.py, on the one load of each page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import choose
from tests.helpers import COUNCIL


def test_skip_links_are_44px_when_focused(page: Page) -> None:
    page.goto("/")
    for _ in range(2):
        page.keyboard.press("Tab")
        box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
        assert box["width"] >= 44 and box["height"] >= 44, box


def test_the_question_is_in_the_first_screen_of_a_small_phone(page: Page) -> None:
    """320 by 640: the compact header (exit button and Menu) leaves the question in sight."""
    page.set_viewport_size({"width": 320, "height": 640})
    choose(page, "5_to_9")
    page.goto("/tell-us/what")
    header = page.evaluate("document.querySelector('.child-header').getBoundingClientRect().height")
    assert header <= 80, header
    question = page.evaluate("document.querySelector('h1').getBoundingClientRect().bottom")
    assert question <= 640 * 0.6, question
    first_choice = page.evaluate("document.querySelector('.radio').getBoundingClientRect().bottom")
    assert first_choice <= 640, first_choice
    assert page.locator(".exit-button").is_visible()


def test_the_menu_and_the_story_book_work_without_javascript(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(
        base_url=base_url, java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("link", name="Tell us", exact=True)).to_be_hidden()
    page.locator(".menu summary").click()
    expect(page.get_by_role("link", name="Tell us", exact=True)).to_be_visible()
    if COUNCIL.characters:
        character = COUNCIL.characters[0]
        page.goto(f"/promises/story/{character.key}")
        page.get_by_role("link", name="Next").click()
        expect(page.locator(".book-count")).to_have_text(f"Page 2 of {len(COUNCIL.promises) + 2}")
        page.get_by_role("link", name="Back").click()
        expect(page.locator(".book-page")).to_contain_text(character.hello)
    # Printing needs JavaScript: without it the button stays hidden (the browser's own works).
    page.goto("/print/posters")
    expect(page.locator("[data-print]")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("url", ["/print/card", "/print/agreement", "/print/posters"])
def test_a_printable_shows_its_print_button_on_a_phone(page: Page, url: str) -> None:
    """Phones hide their own Print deep in a menu: every printable has a button, which prints."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(url)
    button = page.get_by_role("button", name="Print this page")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button.click()
    assert page.evaluate("window.printed") == 1


SWIPE = """([fromX, toX, fromY, toY]) => {
  const book = document.querySelector('[data-swipe]');
  const touch = (x, y) => new Touch({identifier: 1, target: book, clientX: x, clientY: y});
  book.dispatchEvent(new TouchEvent('touchstart', {changedTouches: [touch(fromX, fromY)],
                                                  touches: [touch(fromX, fromY)], bubbles: true}));
  book.dispatchEvent(
    new TouchEvent('touchend', {changedTouches: [touch(toX, toY)], bubbles: true}));
}"""


def test_a_story_book_turns_its_page_with_a_swipe(page: Page) -> None:
    """Only an extra to Back and Next: a swipe to the left reads on, to the right goes back;
    a short or a mostly upward one (scrolling) turns nothing."""
    if not COUNCIL.characters:
        pytest.skip("this council has no characters")
    page.set_viewport_size({"width": 375, "height": 740})
    key = COUNCIL.characters[0].key
    page.goto(f"/promises/story/{key}/1")
    page.evaluate(SWIPE, [300, 250, 300, 300])  # 50 px: too short
    page.evaluate(SWIPE, [300, 200, 300, 100])  # more up than sideways: scrolling
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/promises/story/{key}/1")
    with page.expect_navigation():
        page.evaluate(SWIPE, [300, 100, 300, 310])
    assert page.url.endswith(f"/promises/story/{key}/2")
    with page.expect_navigation():
        page.evaluate(SWIPE, [100, 300, 300, 290])
    assert page.url.endswith(f"/promises/story/{key}/1")


def test_warm_under_10_and_calm_from_10(page: Page) -> None:
    """Under 10 the council's soft colour behind rounded cards and its brand colour in the
    header, and a guide; from 10 plain white, the header plain, no guide."""
    looks = {}
    for band in ("under_5", "5_to_9", "10_plus"):
        choose(page, band)
        page.goto("/")
        looks[band] = page.evaluate(
            """() => ({
              body: getComputedStyle(document.body).backgroundColor,
              header: getComputedStyle(document.querySelector('.child-header')).backgroundColor,
              corner: parseFloat(
                getComputedStyle(document.querySelector('main')).borderTopLeftRadius),
              guide: !!document.querySelector('main .guide'),
            })"""
        )
    soft, brand = rgb(COUNCIL.app.soft_colour), rgb(COUNCIL.app.theme_colour)
    for band in ("under_5", "5_to_9"):
        assert looks[band]["body"] == soft and looks[band]["header"] == brand, looks
        assert looks[band]["corner"] >= 8, looks  # rounded, friendly shapes
        assert looks[band]["guide"] is bool(COUNCIL.characters), looks
    assert looks["10_plus"]["body"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), looks
    assert looks["10_plus"]["header"] != brand and not looks["10_plus"]["guide"], looks


def rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"
