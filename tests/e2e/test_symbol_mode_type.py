"""Easy read is at least 19 px (STANDARDS.md 2.21): in symbol mode, every line of words in
<main> of every child page and question, as the browser computes it, in every age band."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from app.child.tell_us_steps import BY_NAME
from tests.e2e.pages import PAGES
from tests.e2e.support import choose

EASY_READ_PX = 19
PRINTED = {"/print/card", "/print/agreement", "/print/posters"}  # sized for paper
# The questions every child is asked (the others follow an answer: their pages are the same).
QUESTIONS = [f"/tell-us/{name}" for name, step in BY_NAME.items() if step.follows is None]

SMALL_WORDS = """(smallest) => {
  const small = [];
  for (const element of document.querySelectorAll('main *')) {
    const own = [...element.childNodes]
      .filter(node => node.nodeType === Node.TEXT_NODE)
      .map(node => node.textContent.trim()).join(' ').trim();
    if (!own || element.closest('.visually-hidden, [hidden], .footer-links')) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    const size = parseFloat(getComputedStyle(element).fontSize);
    const name = element.tagName.toLowerCase();
    if (size < smallest) small.push(`${name} ${size}px "${own.slice(0, 50)}"`);
  }
  return small;
}"""


@pytest.mark.parametrize("band", ["under_5", "5_to_9", "10_plus"])
def test_easy_read_words_are_at_least_19_px(page: Page, band: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    choose(page, band, symbols=True)
    small: dict[str, list[str]] = {}
    for url in [*(u for u in PAGES if u not in PRINTED), *QUESTIONS]:
        page.goto(url)
        found = page.evaluate(SMALL_WORDS, EASY_READ_PX)
        if found:
            small[url] = found
    assert not small, small
