"""Tell Us, We Care! in the browser: with and without JavaScript, in symbols, by keyboard alone.

Every page on the way is checked with axe, for 44 px targets and for sideways scrolling.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Contact
from tests.e2e.support import Live, choose, page_problems
from tests.helpers import A_PROMISE, COUNCIL, record
from tests.staff_helpers import make_staff

Check = Callable[[], None]


def checker(page: Page, seen: dict[str, list[str]]) -> Check:
    def check() -> None:
        problems = page_problems(page)
        if problems:
            seen[page.url] = problems

    return check


def press_continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def walk(page: Page, check: Check, *, kind: str = "not_kept") -> str:
    """Send a message through every step, checking each page; the reference it gets."""
    page.goto("/tell-us")
    check()
    page.get_by_role("link", name="Start now").click()
    check()
    page.check(f"input[name=kind][value={kind}]")
    press_continue(page)
    check()
    page.check(f"input[name=promises][value={A_PROMISE}]")
    page.check("input[name=promises][value=other]")
    press_continue(page)
    check()
    page.locator("#words").fill("Nobody told me my review moved. مرحبا 👋")
    press_continue(page)
    check()
    page.locator("#name").fill("Jo")
    press_continue(page)
    check()
    page.check("input[name=how][value=text]")
    press_continue(page)
    check()
    page.locator("#phone").fill("07700 900 982")  # asked only now, after "text message"
    press_continue(page)
    check()
    press_continue(page)  # a good time to talk
    press_continue(page)  # a language
    check()
    page.check("input[name=helps][value=symbols]")
    press_continue(page)
    check()
    press_continue(page)  # an advocate
    check()
    page.check("input[name=helper][value=carer]")
    press_continue(page)
    check()
    expect(page.locator(".summary-list").first).to_contain_text("Nobody told me my review moved.")
    page.get_by_role("button", name="Send your message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your message has been sent")
    check()
    reference = page.locator(".reference").inner_text()
    expect(page.locator("main")).not_to_contain_text("Nobody told me")
    page.get_by_role("link", name="See where your message is").click()
    check()
    return reference


def test_the_journey_with_javascript(page: Page) -> None:
    seen: dict[str, list[str]] = {}
    page.set_viewport_size({"width": 375, "height": 740})
    choose(page, "10_plus")
    reference = walk(page, checker(page, seen))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Message {reference}")
    assert not seen, seen


def test_the_journey_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    choose(page, "5_to_9")
    reference = walk(page, lambda: None, kind="kept_well")
    expect(page.locator(".status-now")).to_contain_text("We have your message.")
    assert len(reference) == 6
    context.close()


def test_the_journey_in_symbol_mode_for_the_youngest(page: Page) -> None:
    seen: dict[str, list[str]] = {}
    page.set_viewport_size({"width": 320, "height": 640})
    choose(page, "under_5", symbols=True)
    page.goto("/tell-us/what")
    expect(page.locator(".radio label img")).to_have_count(3)
    expect(page.get_by_text("Something good happened")).to_be_visible()
    walk(page, checker(page, seen), kind="kept_well")
    expect(page.locator(".easy-read img").first).to_be_visible()
    assert not seen, seen


def test_praise_in_symbol_mode(page: Page) -> None:
    seen: dict[str, list[str]] = {}
    check = checker(page, seen)
    choose(page, "5_to_9", symbols=True)
    page.goto("/tell-us/what")
    page.check("input[name=kind][value=praise]")
    press_continue(page)
    page.check(f"input[name=promises][value={COUNCIL.promises[-1].key}]")
    press_continue(page)
    check()
    page.locator("#praise_name").fill("Ms Khan")
    page.check("input[name=praise_role][value=teacher]")
    page.locator("#words").fill("She came to my concert.")
    expect(page.locator("#praise_may_pass_on")).not_to_be_checked()
    press_continue(page)
    for _ in range(5):  # name, how, language, what helps, an advocate: all optional
        press_continue(page)
    page.check("input[name=helper][value=nobody]")
    press_continue(page)
    check()
    page.get_by_role("button", name="Send your message").click()
    check()
    assert not seen, seen


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until `selector` has the focus, as someone with a keyboard or switch would."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def continue_by_keyboard(page: Page, then: str) -> None:
    """Tab to the page's own button (not "I don't feel safe"), press Enter, arrive at `then`."""
    tab_to(page, "button[type=submit]:not(.warning)")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tell-us/{then}")


def test_the_journey_with_the_keyboard_alone(page: Page) -> None:
    choose(page, "10_plus")
    page.goto("/tell-us")
    tab_to(page, "a.button.start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tell-us/what")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    expect(page.locator("input[name=kind][value=not_kept]")).to_be_checked()
    continue_by_keyboard(page, "promises")
    tab_to(page, f"input[name=promises][value={A_PROMISE}]")
    page.keyboard.press("Space")
    continue_by_keyboard(page, "words")
    tab_to(page, "#words")
    page.keyboard.type("Typed with the keyboard alone.")
    for then in ("name", "how", "language", "helps", "advocate", "helper"):
        continue_by_keyboard(page, then)
    tab_to(page, "input[name=helper]")
    page.keyboard.press("Space")
    continue_by_keyboard(page, "check")
    tab_to(page, "button[data-prevent-double-click]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your message has been sent")


def test_a_mistake_is_explained_and_the_summary_takes_focus(page: Page) -> None:
    page.goto("/tell-us/what")
    press_continue(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(f"Error: What do you want to tell us? – {COUNCIL.app.name}")
    summary.get_by_role("link", name="Choose what you want to tell us").click()
    expect(page.locator("#kind-0")).to_be_focused()
    assert not page_problems(page)


def test_i_dont_feel_safe_shows_who_to_call_at_once(page: Page) -> None:
    page.goto("/tell-us/what")
    page.get_by_role("link", name="I don't feel safe right now").click()
    expect(page.get_by_role("link", name="In danger now? Call 999")).to_have_attribute(
        "href", "tel:999"
    )
    expect(page.locator("main")).to_contain_text("We have not got a message from you yet")
    assert not page_problems(page)
    page.get_by_role("link", name="Go back").click()
    expect(page).to_have_url(re.compile(r"/tell-us/what$"))


def test_one_tap_sends_an_urgent_message(page: Page) -> None:
    page.goto("/tell-us/what")
    page.get_by_role("link", name="I don't feel safe right now").click()
    page.get_by_role("button", name="Send an urgent message now").click()
    expect(page.locator("main")).to_contain_text("We have marked your message as urgent")
    expect(page.locator(".reference")).to_have_text(re.compile(r"^\s*[A-Z0-9]{6}\s*$"))
    assert not page_problems(page)


def test_a_double_click_sends_one_message(page: Page, live_server: Live) -> None:
    choose(page, "10_plus")
    page.goto("/tell-us/what")
    page.check("input[name=kind][value=kept_well]")
    press_continue(page)
    page.check(f"input[name=promises][value={COUNCIL.promises[-1].key}]")
    press_continue(page)
    page.locator("#words").fill("Double click test")
    press_continue(page)
    for _ in range(5):  # name, how, language, what helps, an advocate: all optional
        press_continue(page)
    page.check("input[name=helper][value=nobody]")
    press_continue(page)
    page.get_by_role("button", name="Send your message").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your message has been sent")
    with live_server.app.app_context():
        sent = [
            c
            for c in db.session.scalars(select(Contact))
            if c.message["words"] == "Double click test"
        ]
    assert len(sent) == 1


def test_the_status_page_after_each_kind_of_event(page: Page, live_server: Live) -> None:
    seen: dict[str, list[str]] = {}
    choose(page, "10_plus")
    reference = walk(page, lambda: None)
    now = dt.datetime.now(dt.UTC)
    with live_server.app.app_context():
        sam_id = make_staff("senior_manager", "Sam Patel").id
    events = [
        ("read", {}, None, f"The {COUNCIL.council.team_name} has read your message."),
        (
            "allocated",
            {"staff_id": sam_id},
            None,
            "Sam Patel, a senior manager, will talk to you by",
        ),
        ("spoke_to_child", {}, None, "Someone has talked with you"),
        ("update_for_child", {}, "We have booked a meeting for Friday.", "booked a meeting"),
        ("closed", {}, "Your review date is fixed.", "Your review date is fixed."),
    ]
    for kind, details, text, expected in events:
        with live_server.app.app_context():
            contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
            assert contact is not None
            record(contact, kind, now=now, role="head_of_service", details=details, text=text)
            db.session.commit()
        page.reload()
        expect(page.locator("main")).to_contain_text(expected)
        problems = page_problems(page)
        if problems:
            seen[kind] = problems
    page.check("input[name=listened][value=yes]")
    page.check("input[name=heard][value=yes]")
    page.check("input[name=happy][value=not_sure]")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".flash")).to_contain_text("Thank you for telling us how we did.")
    assert not seen, seen
