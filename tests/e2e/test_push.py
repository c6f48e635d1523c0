"""Web Push in Chromium (issue 12, point 7): the child turns news on, staff change what the
status page shows, the outbox sends the push with pywebpush to a push service on this machine,
the test decrypts it as the browser would and hands it to the service worker through the
DevTools protocol (ServiceWorker.deliverPushMessage), and the notification says only that
there is news. Headless Chromium cannot subscribe for real (it needs Google's push service), so
the page's PushManager returns this machine's subscription instead."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask_babel import gettext
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from app import contacts
from app.council import current as current_council
from app.council import office
from app.extensions import db
from app.models import Contact, PushSubscription
from app.timekeeping import now
from tests.e2e.support import Live, axe_report, send_and_follow, write_a_message
from tests.e2e.test_offline import CHOSEN
from tests.helpers import COUNCIL
from tests.push_service import Phone, PushService, deliver_pushes, push_service

STUB = """(subscription) => {
  const made = {
    endpoint: subscription.endpoint,
    toJSON() { return subscription; },
    unsubscribe() {
      current = null;
      sessionStorage.removeItem('stub');
      return Promise.resolve(true);
    },
  };
  // As a real subscription, it outlives the page (this stub's memory is the tab's storage).
  let current = sessionStorage.getItem('stub') ? made : null;
  PushManager.prototype.subscribe = function (options) {
    window.subscribedWith = {
      userVisibleOnly: options.userVisibleOnly,
      keyBytes: new Uint8Array(options.applicationServerKey).length,
    };
    current = made;
    sessionStorage.setItem('stub', '1');
    return Promise.resolve(made);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
}"""
ACTIVE = "() => navigator.serviceWorker.ready.then(r => !!r.active)"
NOTIFICATIONS = """() => navigator.serviceWorker.ready
  .then(r => r.getNotifications())
  .then(found => found.map(n => ({title: n.title, body: n.body, url: n.data && n.data.url})))"""


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as running:
        yield running


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url)
    context.grant_permissions(["notifications"], origin=base_url)
    yield context
    context.close()


def staff_read(live: Live, reference: str) -> None:
    with live.app.app_context():
        contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
        assert contact is not None
        contacts.record(
            db.session(),
            contact,
            "read",
            now=now(),
            office=office(),
            by=contacts.By(role="customer_relations"),
        )
        db.session.commit()
        db.session.remove()


def outbox_round(live: Live) -> tuple[int, int]:
    with live.app.app_context():
        done = deliver_pushes(live.app)
        db.session.remove()
        return done


def subscriptions(live: Live) -> int:
    with live.app.app_context():
        count = db.session.scalar(select(func.count()).select_from(PushSubscription)) or 0
        db.session.remove()
        return count


def notifications_shown(page: Page, seconds: float = 30) -> list[dict[str, Any]]:
    """What the service worker showed, once it has shown something."""
    deadline = time.monotonic() + seconds
    while not (shown := page.evaluate(NOTIFICATIONS)):
        assert time.monotonic() < deadline, "no notification was shown"
        page.wait_for_timeout(100)
    found: list[dict[str, Any]] = shown
    return found


def push_to_the_worker(page: Page, base_url: str, payload: dict[str, Any]) -> None:
    """As the browser does when its push service delivers (ServiceWorker.deliverPushMessage),
    once the worker is active: a push to a registration still installing (its precache can
    take seconds on a loaded machine) is dropped, and no notification would ever show."""
    assert page.evaluate(ACTIVE), "the service worker never became active"
    registration = registration_id(page)
    page.cdp.send(  # type: ignore[attr-defined]
        "ServiceWorker.deliverPushMessage",
        {"origin": base_url, "registrationId": registration, "data": json.dumps(payload)},
    )


def registration_id(page: Page) -> str:
    cdp = page.context.new_cdp_session(page)
    found: list[str] = []

    def seen(event: dict[str, Any]) -> None:
        found.extend(r["registrationId"] for r in event["registrations"] if not r["isDeleted"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not found and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert found, "no service worker registration"
    page.cdp = cdp  # type: ignore[attr-defined]
    return found[0]


def test_news_is_pushed_with_no_words_and_shown_by_the_service_worker(
    context: BrowserContext, live_server: Live, service: PushService, base_url: str
) -> None:
    phone = Phone(f"{service.url}/push/phone-1")
    context.add_init_script(script=f"({STUB})({json.dumps(phone.subscription)})")
    page = context.new_page()
    words = "My worker never rings back"
    write_a_message(page, words)
    reference = send_and_follow(page)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    button = page.get_by_role("button", name="Tell me when there's news")
    expect(button).to_be_visible()
    assert subscriptions(live_server) == 0  # nothing until the child taps
    assert axe_report(page) is None
    expect(page.get_by_role("button", name="Stop telling me")).to_be_hidden()
    button.click()
    expect(page.get_by_role("status").filter(has_text="We will tell this phone")).to_be_visible()
    expect(button).to_be_hidden()
    assert page.evaluate("() => window.subscribedWith") == {"userVisibleOnly": True, "keyBytes": 65}
    assert subscriptions(live_server) == 1

    staff_read(live_server, reference)
    assert outbox_round(live_server) == (1, 0)
    [push] = service.received
    payload = phone.read(push)
    assert words not in json.dumps(payload) and reference not in json.dumps(payload)

    push_to_the_worker(page, base_url, payload)
    [shown] = notifications_shown(page)
    assert shown == {
        "title": COUNCIL.app.name,
        "body": "There's news about your message",
        "url": "/messages",
    }

    page.reload()
    page.get_by_role("button", name="Stop telling me").click()
    expect(page.get_by_role("status").filter(has_text="will not be told")).to_be_visible()
    assert subscriptions(live_server) == 0


def test_the_notification_is_in_the_language_the_child_chose(
    context: BrowserContext, live_server: Live, service: PushService, base_url: str
) -> None:
    """The push carries the service's words (the outbox worker knows no child's language); the
    service worker shows the words it keeps with the pages, in the child's own language."""
    phone = Phone(f"{service.url}/push/phone-ar")
    context.add_init_script(script=f"({STUB})({json.dumps(phone.subscription)})")
    page = context.new_page()
    write_a_message(page, "Nobody answers the phone")
    reference = send_and_follow(page)
    status = urlsplit(page.url).path
    page.get_by_role("button", name="Tell me when there's news").click()
    expect(page.get_by_role("status").filter(has_text="We will tell this phone")).to_be_visible()
    page.goto(f"/language?lang=ar&next={status}")  # the menu's link for العربية
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    deadline = time.monotonic() + 20
    while not (page.evaluate(CHOSEN) or "").startswith("lang=ar"):
        assert time.monotonic() < deadline, "the pages were never kept in Arabic"
        page.wait_for_timeout(100)

    staff_read(live_server, reference)
    assert outbox_round(live_server) == (1, 0)
    [push] = service.received
    payload = phone.read(push)
    assert payload["body"] == "There's news about your message"
    push_to_the_worker(page, base_url, payload)
    [shown] = notifications_shown(page)
    with live_server.app.test_request_context("/", headers={"Cookie": "lang=ar"}):
        title, body = current_council().app.name, str(gettext("There's news about your message"))
    assert body != payload["body"]  # translated (the catalogue test checks every entry is)
    assert shown == {"title": title, "body": body, "url": "/messages"}


TAP = """async () => {
  // A tap as the browser gives it: no page may open or take focus without the person's own
  // gesture, so the two calls it ends in are stood in for, and the event is the worker's own.
  const opened = [];
  self.clients.openWindow = (url) => { opened.push(['open', url]); return Promise.resolve(null); };
  WindowClient.prototype.focus = function () {
    opened.push(['focus', this.url]);
    return Promise.resolve(this);
  };
  const [shown] = await self.registration.getNotifications();
  try {
    self.dispatchEvent(new NotificationEvent('notificationclick', {notification: shown}));
  } catch (error) {}  // waitUntil refuses an event the script made; the handler has run
  for (let i = 0; i < 50 && !opened.length; i++) await new Promise(r => setTimeout(r, 100));
  const left = await self.registration.getNotifications();
  return {opened, left: left.length};
}"""


def test_tapping_the_notification_opens_the_childs_messages(
    context: BrowserContext, live_server: Live, service: PushService, base_url: str
) -> None:
    """Tapping it goes to My messages on this phone (the push names no message), or to the tab
    already showing it; the notification is gone once tapped."""
    phone = Phone(f"{service.url}/push/phone-tap")
    context.add_init_script(script=f"({STUB})({json.dumps(phone.subscription)})")
    page = context.new_page()
    write_a_message(page, "Please ring me after school")
    reference = send_and_follow(page)
    page.get_by_role("button", name="Tell me when there's news").click()
    expect(page.get_by_role("status").filter(has_text="We will tell this phone")).to_be_visible()
    staff_read(live_server, reference)
    assert outbox_round(live_server) == (1, 0)
    [push] = service.received
    push_to_the_worker(page, base_url, phone.read(push))
    notifications_shown(page)
    [worker] = context.service_workers
    messages = f"{base_url}/messages"
    assert worker.evaluate(TAP) == {"opened": [["open", messages]], "left": 0}

    page.goto("/messages")  # a tab already on My messages is brought forward, not a second one
    push_to_the_worker(page, base_url, phone.read(push))
    notifications_shown(page)
    assert worker.evaluate(TAP) == {"opened": [["focus", messages]], "left": 0}
