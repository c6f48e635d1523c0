"""The question in the first screen of a small phone (320 by 640 CSS px), on every step of Tell
Us, We Care!, in every age band and in symbol mode: the compact header (the exit button and a
Menu button) and, under 10, the guide leave the question and the first answer in sight.

Measured as the page opens, before any scrolling: the question (the page's <h1>) ends inside the
first screen, and so does the top of the first thing to answer (a choice, a box to write in)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from app.child.tell_us_steps import STEPS
from tests.e2e.pages import VARIANT_IDS, VARIANTS
from tests.e2e.support import choose

SMALL_PHONE = {"width": 320, "height": 640}
# What the walk answers on each step, so that every step is asked: a phone call asks for the
# number, whether to leave a message and a good time; a language asks about an interpreter.
ANSWERS = {
    "what": [("check", "input[name=kind][value=not_kept]")],
    "promises": [("check", "input[name=promises]")],
    "words": [("fill", "#words")],
    "how": [("check", "input[name=how][value=phone]")],
    "contact": [("fill", "#phone")],
    "language": [("fill", "#language")],
    "helper": [("check", "input[name=helper][value=nobody]")],
}
FILLED = {"#words": "Nobody rang me back.", "#phone": "07700 900 982", "#language": "Polish"}

MEASURE = """() => {
  const first = document.querySelector('main .radio, main input.input, main textarea');
  return {
    header: document.querySelector('.child-header').getBoundingClientRect().height,
    question: document.querySelector('h1').getBoundingClientRect().bottom,
    answer: first ? first.getBoundingClientRect().top : null,
    scrolled: window.scrollY,
  };
}"""


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_every_question_is_in_the_first_screen(page: Page, band: str, symbols: bool) -> None:
    page.set_viewport_size(SMALL_PHONE)
    choose(page, band, symbols)
    page.goto("/tell-us/what")
    seen: dict[str, dict[str, float]] = {}
    while "/tell-us/check" not in page.url:
        step = page.url.rsplit("/", 1)[-1].split("?")[0]
        assert step in STEPS and step not in seen, page.url
        sizes = page.evaluate(MEASURE)
        seen[step] = sizes
        for action, selector in ANSWERS.get(step, []):
            if action == "check":
                page.locator(selector).first.check()
            else:
                page.locator(selector).fill(FILLED[selector])
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
    assert set(seen) == set(STEPS), set(STEPS) - set(seen)
    late = {
        step: sizes
        for step, sizes in seen.items()
        if sizes["header"] > 80
        or sizes["question"] > SMALL_PHONE["height"]
        or sizes["answer"] is None
        or sizes["answer"] > SMALL_PHONE["height"] - 44
        or sizes["scrolled"]
    }
    assert not late, late
