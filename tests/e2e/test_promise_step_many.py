"""The "which promise" step of a council of 80 long pledges in six sections, in Chromium: short
on a 320 px phone, within the first-load budget, accessible, usable by keyboard and without
JavaScript."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.support import (
    SMALLEST,
    axe_report,
    choose,
    first_load_bytes,
    sideways,
    small_targets,
)
from tests.e2e.support import live_server as serve
from tests.e2e.test_every_child_page import BUDGET
from tests.other_councils import council_with, write

PLEDGES = 80


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("many")
    path = write(folder, council_with(PLEDGES, length=400, sections=6))
    with serve(folder, COUNCIL_FILE=str(path)) as live:
        yield live.url


def at_the_step(browser: Browser, url: str, javascript: bool = True) -> Page:
    context = browser.new_context(base_url=url, java_script_enabled=javascript)
    page = context.new_page()
    choose(page, "10_plus")
    page.goto("/tell-us/what")
    page.check("input[name=kind][value=not_kept]")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/tell-us/promises")
    return page


def test_on_a_small_phone_the_question_comes_first_and_the_page_stays_short(
    browser: Browser, many: str
) -> None:
    page = at_the_step(browser, many)
    page.set_viewport_size(SMALLEST)
    weight = first_load_bytes(page, f"{many}/tell-us/promises")
    assert 1000 < weight <= BUDGET, weight
    print(f"the promise step with {PLEDGES} pledges: {weight} bytes on first load")
    # Under the site's own header (the exit, the menu, the age band: about 370 px here), the
    # question and its first heading on the first screen, its first choice just below.
    question = page.get_by_role("heading", level=1).bounding_box()
    heading = page.locator("details.promise-section summary").first.bounding_box()
    first = page.locator("#promises-0").bounding_box()
    assert question and heading and first
    assert question["y"] + question["height"] <= SMALLEST["height"], question
    assert heading["y"] + heading["height"] <= SMALLEST["height"], heading
    assert first["y"] + first["height"] <= 1.25 * SMALLEST["height"], first
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4 * SMALLEST["height"], height  # all 80 open would be over 10 screens
    assert axe_report(page) is None, axe_report(page)
    assert small_targets(page) == []
    assert sideways(page) is None


def test_a_folded_heading_opens_and_its_promise_is_chosen_by_keyboard(
    browser: Browser, many: str
) -> None:
    page = at_the_step(browser, many)
    last = page.locator("details.promise-section").last
    assert last.get_attribute("open") is None
    assert not page.locator("input[value=pledge_80]").is_visible()
    last.locator("summary").focus()
    page.keyboard.press("Enter")
    assert last.get_attribute("open") is not None
    assert axe_report(page) is None
    page.locator("input[value=pledge_80]").focus()
    page.keyboard.press("Space")
    assert page.locator("input[value=pledge_80]").is_checked()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/tell-us/words")
    page.goto("/tell-us/promises?change=1")
    assert page.locator("input[value=pledge_80]").is_checked()
    assert page.locator("input[value=pledge_80]").is_visible()  # its heading stays open


def test_without_javascript_any_promise_can_be_chosen(browser: Browser, many: str) -> None:
    page = at_the_step(browser, many, javascript=False)
    page.locator("details.promise-section").nth(3).locator("summary").click()
    page.check("input[value=pledge_50]")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/tell-us/words")
