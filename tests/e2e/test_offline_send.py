"""Sending later (issue 12, points 4-5): written offline, kept only by the child's choice,
sent once when the phone is online again, and forgotten by the quick exit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Contact
from tests.e2e.support import NEUTRAL_ORIGIN, Live, axe_report, stand_in_for_the_neutral_site
from tests.e2e.test_offline import controlled
from tests.helpers import A_PROMISE

NO_BACKGROUND_SYNC = """Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', {
  get() { return undefined; },
});"""
WORDS = "Written on the bus with no signal <3"
WAITING = "1 message waiting to send"
# What the phone keeps, read from IndexedDB itself (without creating the database).
KEPT = """async () => {
  const db = await new Promise(done => {
    const opening = indexedDB.open('our-promise');
    opening.onupgradeneeded = e => e.target.transaction.abort();  // none: make none
    opening.onsuccess = e => done(e.target.result);
    opening.onerror = () => done(null);
  });
  if (!db) return [];
  const all = await new Promise(done => {
    db.transaction('kept').objectStore('kept').getAll().onsuccess = e => done(e.target.result);
  });
  db.close();
  return all;
}"""


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url)
    yield context
    context.close()


def contacts_with(live: Live, words: str) -> list[str]:
    with live.app.app_context():
        found = db.session.scalars(select(Contact)).all()
        references = [c.reference for c in found if c.message["words"] == words]
        db.session.remove()
    return references


def write_offline(page: Page, words: str) -> None:
    page.goto("/offline/write")  # from the service worker's cache
    page.check("input[name=kind][value=not_kept]")
    page.check(f"input[name=promises][value={A_PROMISE}]")
    page.locator("#words").fill(words)
    page.check("input[name=helper][value=nobody]")
    page.get_by_role("button", name="Continue").click()


def settle_background_sync(page: Page, seconds: float = 15) -> None:
    """Wait until the service worker has no Background Sync waiting (a sync that ran is gone)."""
    tags = "async () => (await (await navigator.serviceWorker.ready).sync.getTags())"
    deadline = time.monotonic() + seconds
    while page.evaluate(tags):
        assert time.monotonic() < deadline, "the Background Sync never ran"
        page.wait_for_timeout(100)


def test_written_offline_kept_reloaded_twice_then_sent_exactly_once(
    context: BrowserContext, live_server: Live
) -> None:
    phone = context.new_page()
    controlled(phone)
    context.set_offline(True)
    write_offline(phone, WORDS)
    choice = phone.locator(".keep-choice")
    expect(choice).to_be_visible()
    # Said before the child chooses: a kept message has no steps about reaching them.
    expect(choice).to_contain_text("A message kept on this phone is sent without how to reach you")
    assert phone.evaluate(KEPT) == []  # nothing is kept until the child says so
    # The choice where it appears, then the whole page from its top: scrolled to the choice,
    # the sticky exit bar covers part of a radio button above it, which axe counts against
    # whatever happens to be under the bar.
    assert axe_report(phone, within=".keep-choice") is None
    phone.evaluate("() => window.scrollTo(0, 0)")
    assert axe_report(phone) is None
    phone.get_by_role("button", name="Keep it on this phone and send it when I'm online").click()
    status = phone.get_by_role("status").filter(has_text=WAITING)
    expect(status).to_be_visible()
    kept: list[dict[str, Any]] = phone.evaluate(KEPT)
    assert len(kept) == 1 and kept[0]["answers"]["words"] == WORDS and len(kept[0]["key"]) == 32
    for _ in range(2):
        phone.reload()
        expect(phone.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    assert contacts_with(live_server, WORDS) == []

    context.set_offline(False)
    sent = phone.get_by_role("status").filter(has_text="Your reference is")
    expect(sent).to_be_visible()
    references = contacts_with(live_server, WORDS)
    assert len(references) == 1
    expect(sent).to_contain_text(references[0])
    assert phone.evaluate(KEPT) == []  # deleted as soon as the server took it

    # The answer is lost and the phone tries again (a second tab, a sync): still one message,
    # and the child is shown the same reference. First the Background Sync registered when the
    # child kept it must have run: firing late, it sent the copy below while the page was
    # reloading, and its answer went to the page that was gone (it did, in CI).
    settle_background_sync(phone)
    phone.evaluate("message => OurPromiseKept.put(message)", kept[0])
    phone.reload()
    expect(phone.get_by_role("status").filter(has_text=references[0])).to_be_visible()
    assert contacts_with(live_server, WORDS) == references
    assert phone.evaluate(KEPT) == []
    phone.get_by_role("link", name="See what happens next").click()
    expect(phone.locator(".reference")).to_have_text(references[0])


def test_a_message_not_kept_is_gone_and_one_kept_can_be_deleted(
    context: BrowserContext, live_server: Live
) -> None:
    phone = context.new_page()
    controlled(phone)
    context.set_offline(True)
    write_offline(phone, "Not keeping this")
    phone.get_by_role("button", name="Delete it", exact=True).click()
    expect(phone.locator("#words")).to_have_value("")
    assert phone.evaluate(KEPT) == []
    write_offline(phone, "Keeping this, then not")
    phone.get_by_role("button", name="Keep it on this phone and send it when I'm online").click()
    expect(phone.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    phone.get_by_role("button", name="Delete it from this phone").click()
    expect(phone.get_by_role("status").filter(has_text="deleted")).to_be_visible()
    assert phone.evaluate(KEPT) == []
    context.set_offline(False)
    phone.reload()
    assert contacts_with(live_server, "Keeping this, then not") == []


def test_the_quick_exit_forgets_a_kept_message(context: BrowserContext) -> None:
    phone = context.new_page()
    phone.route(NEUTRAL_ORIGIN, stand_in_for_the_neutral_site)
    controlled(phone)
    context.set_offline(True)
    write_offline(phone, "Nobody should find this")
    phone.get_by_role("button", name="Keep it on this phone and send it when I'm online").click()
    expect(phone.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    context.set_offline(False)
    phone.route("**/tell-us/send", lambda route: route.abort())  # not sent before the exit
    phone.locator(".exit-button").click()
    expect(phone.get_by_role("heading", name="Weather")).to_be_visible()
    phone.goto("/about")
    assert phone.evaluate(KEPT) == []
    expect(phone.get_by_role("status").filter(has_text=WAITING)).to_have_count(0)


def test_a_message_that_cannot_be_sent_at_check_your_answers_can_be_kept(
    context: BrowserContext, live_server: Live
) -> None:
    """As in Firefox and Safari, which have no Background Sync: the page sends it itself when
    the browser says it is online again."""
    from tests.e2e.support import write_a_message

    context.add_init_script(script=NO_BACKGROUND_SYNC)
    phone = context.new_page()
    controlled(phone)
    assert phone.evaluate("() => navigator.serviceWorker.ready.then(r => r.sync)") is None
    write_a_message(phone, "Kept from the last page")
    context.set_offline(True)
    phone.get_by_role("button", name="Send your message").click()
    expect(phone.locator(".keep-choice")).to_be_visible()
    # Written through every step, with how to reach them: nothing to warn about.
    expect(phone.locator(".keep-choice")).not_to_contain_text(
        "without how to reach you", use_inner_text=True
    )
    phone.get_by_role("button", name="Keep it on this phone and send it when I'm online").click()
    expect(phone.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    context.set_offline(False)
    expect(phone.get_by_role("status").filter(has_text="Your reference is")).to_be_visible()
    assert len(contacts_with(live_server, "Kept from the last page")) == 1


def test_background_sync_sends_a_kept_message_when_no_page_can(
    context: BrowserContext, live_server: Live, base_url: str
) -> None:
    """The service worker's own send (sw.js "sync"), driven through the DevTools protocol as
    the browser fires it when the phone is online again: the page's own sends are blocked, so
    only the worker can have sent it."""
    from tests.e2e.test_push import registration_id

    phone = context.new_page()
    controlled(phone)
    context.set_offline(True)
    write_offline(phone, "Sent by the worker alone")
    phone.get_by_role("button", name="Keep it on this phone and send it when I'm online").click()
    expect(phone.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    tags = "async () => (await (await navigator.serviceWorker.ready).sync.getTags())"
    assert phone.evaluate(tags) == ["send-kept"]
    phone.route("**/tell-us/send", lambda route: route.abort())  # the page's, not the worker's
    context.set_offline(False)
    registration = registration_id(phone)
    phone.cdp.send(  # type: ignore[attr-defined]
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": base_url,
            "registrationId": registration,
            "tag": "send-kept",
            "lastChance": False,
        },
    )
    sent = phone.get_by_role("status").filter(has_text="Your reference is")
    expect(sent).to_be_visible()  # the worker told the page what the server answered
    references = contacts_with(live_server, "Sent by the worker alone")
    assert len(references) == 1
    expect(sent).to_contain_text(references[0])
    assert phone.evaluate(KEPT) == []
