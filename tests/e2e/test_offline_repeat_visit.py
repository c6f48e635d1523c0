"""A repeat visit of the promise pages takes nothing from the network (DESIGN.md, "Budgets";
issue 15), and never shows them in the wrong choices or an old release's words.

The service worker serves the promises and their stories from its copy in the child's choices
(app/static/js/sw.js); every other page stays network first. A choice is made by a form (a
POST answered 303) or the language menu's link (a redirect): the worker cannot read either
answer, so after one the next promise page comes from the network, in the new choices.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.child import installing, kept_pages
from app.council import Promise
from bench.page_weight import KEPT_IN_CHOICES, repeat_visit, under_the_worker, wait_until
from tests.e2e.pages import VARIANT_IDS, VARIANTS
from tests.e2e.support import Live, choose
from tests.helpers import COUNCIL

BAND = "() => document.body.className"
CONTRAST = re.compile(r"\bdisplay-contrast\b")


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url)
    yield context
    context.close()


@pytest.fixture
def phone(context: BrowserContext) -> Page:
    return context.new_page()


def served_by_the_worker(phone: Page, url: str) -> bool:
    response = phone.goto(url)
    assert response is not None and response.ok, url
    return response.from_service_worker


@pytest.mark.parametrize(("band", "symbols"), VARIANTS, ids=VARIANT_IDS)
def test_a_repeat_visit_of_the_promises_takes_nothing_from_the_network(
    phone: Page, band: str, symbols: bool
) -> None:
    choose(phone, band, symbols)
    under_the_worker(phone, "/promises")
    phone.goto("/promises", wait_until="networkidle")  # the first visit under the worker
    assert repeat_visit(phone, "/promises") == 0
    if COUNCIL.characters:
        story = f"/promises/story/{COUNCIL.characters[0].key}"
        phone.goto(story, wait_until="networkidle")
        assert repeat_visit(phone, story) == 0


def test_other_pages_still_come_from_the_network(phone: Page) -> None:
    choose(phone, "10_plus")
    under_the_worker(phone, "/promises")
    assert served_by_the_worker(phone, "/promises")
    response = phone.goto("/help")  # network first: the worker passes the network's answer on
    assert response is not None and response.ok
    assert phone.evaluate("() => performance.getEntriesByType('navigation')[0].transferSize") > 0


def test_a_changed_band_shows_at_once(phone: Page) -> None:
    """The choice is a form whose 303 the worker cannot read: the next promise page is in the
    new band all the same, from the network, and then from the worker again."""
    choose(phone, "5_to_9")
    under_the_worker(phone, "/promises")
    assert served_by_the_worker(phone, "/promises")
    assert "band-5_to_9" in phone.evaluate(BAND)

    phone.goto("/choose?next=/promises")  # the form sends the child back to the promises
    phone.check("input[name=age][value='10_plus']")
    phone.check("input[name=symbols][value='yes']")
    phone.get_by_role("button", name="Continue").click()
    phone.wait_for_url("**/promises")
    assert "band-10_plus" in phone.evaluate(BAND)
    expect(phone.locator("section.easy-read-promise").first).to_be_visible()
    wait_until(phone, KEPT_IN_CHOICES)
    assert served_by_the_worker(phone, "/promises")
    assert "band-10_plus" in phone.evaluate(BAND)
    expect(phone.locator("section.easy-read-promise").first).to_be_visible()


def test_a_changed_language_or_display_shows_at_once(phone: Page) -> None:
    choose(phone, "10_plus")
    under_the_worker(phone, "/promises")
    assert served_by_the_worker(phone, "/promises")

    phone.goto("/language?lang=ar&next=/promises")  # the menu's link: a redirect
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    phone.goto("/promises")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")

    phone.goto("/display")
    phone.check("input[name=display][value=contrast]")
    phone.locator("form[action='/display'] button[type=submit]").click()
    phone.wait_for_load_state()
    phone.goto("/promises")
    expect(phone.locator("html")).to_have_class(CONTRAST)
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    wait_until(phone, KEPT_IN_CHOICES)
    assert served_by_the_worker(phone, "/promises")
    expect(phone.locator("html")).to_have_class(CONTRAST)
    expect(phone.locator("html")).to_have_attribute("lang", "ar")


def test_a_new_release_shows_its_words(
    phone: Page, live_server: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose(phone, "10_plus")
    under_the_worker(phone, "/promises")
    first = phone.locator(".promise-list li [data-line]").first
    assert served_by_the_worker(phone, "/promises")
    old_words = first.inner_text()

    # A release: new words for the promises, a new worker (its templates changed), and a
    # server started afresh (nothing it had made is kept).
    said = Promise.words
    try:
        monkeypatch.setattr(Promise, "words", lambda self, form: f"New: {said(self, form)}")
        monkeypatch.setattr(installing, "_templates_digest", lambda folder: "a new release")
        live_server.app.extensions.get("kept_pages", {}).clear()
        phone.evaluate("() => navigator.serviceWorker.ready.then(r => r.update())")
        wait_until(phone, KEPT_IN_CHOICES)
        wait_until(
            phone,
            """async () => {
              for (const name of await caches.keys()) {
                if (!name.endsWith('-chosen')) continue;
                const page = await caches.match('/promises', {cacheName: name});
                if (page && (await page.text()).includes('New: ')) return true;
              }
              return false;
            }""",
        )
        assert served_by_the_worker(phone, "/promises")
        expect(first).to_have_text(f"New: {old_words}")
    finally:
        # The server is shared with the tests after this one: the release undone, and the pages
        # it made with the new words forgotten (else a later test reads "New: ...").
        monkeypatch.undo()
        kept_pages.forget(live_server.app)
