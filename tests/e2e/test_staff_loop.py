"""The whole loop in Chromium, child and staff side by side; axe on staff pages in their states."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zoneinfo
from dataclasses import dataclass

import pyotp
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select, update

from app import staff_accounts
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.e2e.support import Live, page_problems, send_and_follow, write_a_message
from tests.helpers import COUNCIL

LONDON = zoneinfo.ZoneInfo("Europe/London")

PASSWORD = "a long enough passphrase"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Staff:
    email: str
    role: str
    totp_secret: str


def make_staff(live: Live, role: str, name: str, team: str | None = None) -> Staff:
    with live.app.app_context():
        user = staff_accounts.create(
            db.session(),
            f"{role}.{next(_numbers)}@council.example",
            role=role,
            password=PASSWORD,
            name=name,
            now=dt.datetime.now(dt.UTC),
            team=team,
            teams=[team.key for team in COUNCIL.staff.teams],
        )
        staff = Staff(user.email, user.role, user.totp_secret)
        db.session.commit()
        return staff


def staff_page(browser: Browser, live: Live, user: Staff) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Sign in").click()
    return context, page


def act(
    page: Page, label: str, fill: dict[str, str] | None = None, choose_value: str | None = None
) -> None:
    action = page.locator("details.action", has=page.locator("summary", has_text=label))
    action.locator("summary").click()
    for field, value in (fill or {}).items():
        action.get_by_label(field).fill(value)
    if choose_value:
        action.locator(f"input[value='{choose_value}']").check()
    with page.expect_response(lambda r: r.request.method == "POST" and "/staff/contacts/" in r.url):
        action.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def send_a_message(page: Page, words: str = "Nobody told me my review moved.") -> str:
    write_a_message(page, words)
    return send_and_follow(page)


def log_a_call(cr: Page, urgent: str = "") -> None:
    """Customer relations log a call that came in an hour ago, for a child who wants to follow
    it in the app: the page then shows its reference and memorable words."""
    cr.goto("/staff/contacts/new")
    cr.locator("input[name=channel][value=phone]").check()
    came_in = dt.datetime.now(LONDON) - dt.timedelta(hours=1)
    cr.get_by_label("When did it come in?").fill(came_in.strftime("%Y-%m-%dT%H:%M"))
    if urgent:
        cr.get_by_label("Urgent: a person must look at it now").check()
        cr.get_by_label("Why it is urgent (if urgent)").fill(urgent)
    cr.locator("input[name=kind][value=not_kept]").check()
    cr.locator(f"input[name=promises][value={COUNCIL.promises[0].key}]").check()
    cr.get_by_label("What the child said").fill("Nobody told me about the move.")
    cr.locator("input[name=helper][value=nobody]").check()
    cr.locator("input[name=how][value=phone]").check()
    cr.get_by_label("Phone number (optional)").fill("0113 496 0000")
    cr.get_by_label("The child wants to follow it in the app").check()
    cr.get_by_role("button", name="Log the contact").click()


def find_in_the_app(
    browser: Browser, live: Live, reference: str, words: str
) -> tuple[BrowserContext, Page]:
    """A child opens, on their own phone, the contact staff gave them a reference and words for."""
    context = browser.new_context(base_url=live.url)
    page = context.new_page()
    page.goto("/messages/find")
    page.get_by_label("Your reference").fill(reference)
    page.get_by_label("Your three words").fill(words)
    page.get_by_role("button", name="Find my message").click()
    return context, page


def test_the_whole_loop(browser: Browser, live_server: Live) -> None:
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    head = make_staff(live_server, "head_of_service", "Alex Head")
    manager = make_staff(live_server, "senior_manager", "Sam Patel")

    child_context = browser.new_context(base_url=live_server.url)
    child = child_context.new_page()
    reference = send_a_message(child)
    expect(child.locator(".status-now")).to_contain_text("We have your message.")

    cr_context, cr = staff_page(browser, live_server, relations)
    expect(cr.locator("#tracker")).to_be_visible()
    cr.goto(f"/staff/tracker?q={reference}")
    cr.get_by_role("link", name=reference).click()
    expect(cr.locator(".child-words")).to_have_text("Nobody told me my review moved.")
    act(cr, "Mark as read")
    child.reload()
    read = f"The {COUNCIL.council.team_name} has read your message."
    expect(child.locator(".status-now")).to_contain_text(read)

    hos_context, hos = staff_page(browser, live_server, head)
    hos.goto(f"/staff/tracker?q={reference}")
    hos.get_by_role("link", name=reference).click()
    action = hos.locator("details.action", has=hos.locator("summary", has_text="Allocate"))
    action.locator("summary").click()
    action.get_by_label("Allocate to").select_option(label="Sam Patel (Senior manager)")
    with hos.expect_response(lambda r: r.request.method == "POST"):
        action.get_by_role("button", name="Allocate").click()
    child.reload()
    expect(child.locator(".status-now")).to_contain_text(
        "Sam Patel, a senior manager, will talk to you by"
    )

    sm_context, sm = staff_page(browser, live_server, manager)
    expect(sm.locator("#tracker")).to_contain_text(reference)
    sm.get_by_role("link", name=reference).click()
    act(
        sm,
        "Record that we shared it with someone",
        {"Who with": "Their school", "Their role": "Head teacher", "Why": "To help"},
    )
    expect(sm.locator(".error-summary")).to_contain_text("we speak to the child first")
    act(sm, "Record that we spoke to the child", choose_value="phone")
    expect(sm.locator(".flash")).to_contain_text("Done")
    act(
        sm,
        "Write an update for the child",
        {"Update for the child": "We will move your review back to a day that suits you."},
    )
    child.reload()
    expect(child.locator(".updates")).to_contain_text("move your review back")

    cr.reload()
    act(cr, "Close", {"What happened": "Your review is now on a Saturday."})
    child.reload()
    expect(child.locator(".status-now")).to_contain_text("Your message is finished.")
    child.check("input[name=listened][value=yes]")
    child.check("input[name=heard][value=yes]")
    child.check("input[name=happy][value=yes]")
    child.get_by_role("button", name="Send your answers").click()
    expect(child.locator(".flash")).to_contain_text("Thank you for telling us how we did.")

    cr.goto(f"/staff/tracker?q={reference}")
    row = cr.locator("#tracker tbody tr", has=cr.get_by_role("link", name=reference))
    expect(row).to_contain_text("Feedback answered")
    for context in (child_context, cr_context, hos_context, sm_context):
        context.close()


def test_a_phone_call_from_logging_to_feedback(browser: Browser, live_server: Live) -> None:
    """Customer relations log a call (urgent, with words for the app), the child follows it in
    the app, and after closing the child's answers from a call are recorded: axe throughout."""
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    cr_context, cr = staff_page(browser, live_server, relations)
    log_a_call(cr, urgent="Scared at home tonight.")
    words = cr.locator(".memorable-words").inner_text().strip()
    reference = cr.locator(".reference").inner_text().strip()
    seen = {"app words": page_problems(cr)}

    child_context, child = find_in_the_app(browser, live_server, reference, words)
    expect(child.locator(".status-now")).to_contain_text("We have your message.")

    cr.goto("/staff/tracker")  # urgent first (other tests' contacts may be urgent too)
    expect(cr.locator("#tracker tbody tr").first).to_have_class(re.compile(r"\burgent\b"))
    cr.goto(f"/staff/tracker?q={reference}")
    row = cr.locator("#tracker tbody tr").first
    expect(row).to_contain_text(reference)
    expect(row).to_contain_text("Urgent")
    row.get_by_role("link", name=reference).click()
    act(cr, "Record that we spoke to the child", choose_value="phone")
    expect(cr.locator(".timeline")).to_contain_text("Spoke to the child")
    act(cr, "Close", {"What happened": "We moved your review."})
    expect(cr.locator(".timeline")).to_contain_text("Closed")
    for summary in cr.locator("details.action summary").all():
        summary.click()  # every action's form open, the feedback form among them
    seen["closed contact"] = page_problems(cr)
    action = cr.locator("details.action", has=cr.locator("summary", has_text="closing feedback"))
    for question in ("listened", "heard", "happy"):
        action.locator(f"input[name=feedback-{question}][value=yes]").check()
    action.locator("input[name=feedback-how][value=phone]").check()
    action.get_by_label("What the child said about it (optional)").fill("Much better now.")
    action.get_by_role("button", name="Record the child's closing feedback").click()
    expect(cr.locator(".timeline")).to_contain_text("Feedback given")
    child.reload()
    expect(child.locator("main")).to_contain_text("Thank you for telling us how we did.")
    cr.goto(f"/staff/tracker?q={reference}")
    expect(
        cr.locator("#tracker tbody tr", has=cr.get_by_role("link", name=reference))
    ).to_contain_text("Feedback answered")
    assert not {name: found for name, found in seen.items() if found}, seen
    for context in (child_context, cr_context):
        context.close()


def mailed_to(live: Live, address: str) -> list[OutboxMessage]:
    with live.app.app_context():
        found = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == address)
        ).all()
        db.session.expunge_all()
        return list(found)


def test_three_roles_take_a_call_from_logging_to_feedback(
    browser: Browser, live_server: Live
) -> None:
    """Issue 10's staff day for a phone call: customer relations log it and say which team it is
    about; Head of Service can only allocate it fairly; the senior manager speaks to the child,
    updates them and proposes closing; customer relations are told, find it by its filter,
    close it and record the child's answers from a call. axe on every page on the way."""
    team = COUNCIL.staff.teams[0]
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    head = make_staff(live_server, "head_of_service", "Alex Head")
    manager = make_staff(live_server, "senior_manager", "Jordan Fairchild")
    make_staff(live_server, "senior_manager", "Robin Sameteam", team=team.key)
    seen: dict[str, list[str]] = {}

    cr_context, cr = staff_page(browser, live_server, relations)
    log_a_call(cr)
    reference = cr.locator(".reference").inner_text().strip()
    words = cr.locator(".memorable-words").inner_text().strip()
    seen["logged"] = page_problems(cr)
    cr.goto(f"/staff/tracker?q={reference}")
    cr.get_by_role("link", name=reference).click()
    action = cr.locator("details.action", has=cr.locator("summary", has_text="which team"))
    action.locator("summary").click()
    action.get_by_label("The team where the child said it happened").select_option(label=team.name)
    seen["about, open"] = page_problems(cr)
    action.get_by_role("button", name="Record who or which team it is about").click()
    expect(cr.locator(".timeline")).to_contain_text("Recorded who or which team it is about")

    hos_context, hos = staff_page(browser, live_server, head)
    seen["tracker, head of service"] = page_problems(hos)
    hos.goto(f"/staff/tracker?q={reference}")
    hos.get_by_role("link", name=reference).click()
    allocate = hos.locator("details.action", has=hos.locator("summary", has_text="Allocate"))
    allocate.locator("summary").click()
    offered = allocate.get_by_label("Allocate to").locator("option").all_inner_texts()
    assert any("Jordan Fairchild" in option for option in offered), offered
    assert not any("Robin Sameteam" in option for option in offered), offered
    seen["allocate, open"] = page_problems(hos)
    allocate.get_by_label("Allocate to").select_option(label="Jordan Fairchild (Senior manager)")
    allocate.get_by_role("button", name="Allocate").click()
    expect(hos.locator(".timeline")).to_contain_text("Allocated")

    sm_context, sm = staff_page(browser, live_server, manager)
    expect(sm.locator("#tracker")).to_contain_text(reference)
    seen["tracker, senior manager"] = page_problems(sm)
    sm.get_by_role("link", name=reference).click()
    act(sm, "Record that we spoke to the child", choose_value="phone")
    expect(sm.locator(".timeline")).to_contain_text("Spoke to the child")
    act(sm, "Write an update for the child", {"Update for the child": "Your review moves."})
    expect(sm.locator(".timeline")).to_contain_text("Update for the child")
    mailbox_before = len(mailed_to(live_server, COUNCIL.staff.mailbox))
    act(sm, "Propose closing", {"Note": "Review moved; the child is happy with it."})
    expect(sm.locator(".timeline")).to_contain_text("Closing proposed")
    seen["contact, senior manager"] = page_problems(sm)
    told = mailed_to(live_server, COUNCIL.staff.mailbox)[mailbox_before:]
    assert [reference in m.subject for m in told] == [True], [m.subject for m in told]
    assert "happy with it" not in told[0].body  # the proposal's words stay on the page

    cr.goto("/staff/tracker?proposed=1")
    row = cr.locator("#tracker tbody tr", has=cr.get_by_role("link", name=reference))
    expect(row).to_contain_text("Closing proposed")
    seen["tracker, proposed"] = page_problems(cr)
    row.get_by_role("link", name=reference).click()
    act(cr, "Close", {"What happened": "We moved your review."})
    expect(cr.locator(".timeline")).to_contain_text("Closed")
    feedback = cr.locator(
        "details.action", has=cr.locator("summary", has_text="Record the child's closing feedback")
    )
    feedback.locator("summary").click()
    for question in ("listened", "heard", "happy"):
        feedback.locator(f"input[name=feedback-{question}][value=yes]").check()
    feedback.locator("input[name=feedback-how][value=phone]").check()
    feedback.get_by_role("button", name="Record the child's closing feedback").click()
    expect(cr.locator(".timeline")).to_contain_text("Feedback given")
    seen["closed"] = page_problems(cr)

    child_context, child = find_in_the_app(browser, live_server, reference, words)
    expect(child.locator("main")).to_contain_text("We moved your review.")
    expect(child.locator("main")).to_contain_text("Thank you for telling us how we did.")

    hos.goto(f"/staff/tracker?q={reference}")
    expect(
        hos.locator("#tracker tbody tr", has=hos.get_by_role("link", name=reference))
    ).to_contain_text("Feedback answered")
    assert not {name: found for name, found in seen.items() if found}, seen
    for context in (child_context, cr_context, hos_context, sm_context):
        context.close()


TRICKY = (
    'Please help me <please help me> I <3 my carer, a<b and c>d, 5 > 3 & "quotes" '
    "&lt;b&gt; 😀 مرحبا"
)


def test_words_arrive_exactly_as_typed(browser: Browser, live_server: Live) -> None:
    """Typed in the browser, read back by staff and from the database: not a character lost."""
    relations = make_staff(live_server, "customer_relations", "Casey Words")
    child_context = browser.new_context(base_url=live_server.url)
    child = child_context.new_page()
    dialogs: list[str] = []
    child.on("dialog", lambda dialog: dialogs.append(dialog.message))
    reference = send_a_message(child, TRICKY)
    cr_context, cr = staff_page(browser, live_server, relations)
    cr.on("dialog", lambda dialog: dialogs.append(dialog.message))
    cr.goto(f"/staff/tracker?q={reference}")
    cr.get_by_role("link", name=reference).click()
    expect(cr.locator(".child-words")).to_have_text(TRICKY)
    assert cr.locator(".child-words *").count() == 0  # escaped: nothing became an element
    with live_server.app.app_context():
        contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
        assert contact is not None and contact.message["words"] == TRICKY
    assert dialogs == []
    for context in (child_context, cr_context):
        context.close()


def test_axe_on_staff_pages_in_their_states(browser: Browser, live_server: Live) -> None:
    """Each staff page as it first opens is checked for every role in test_every_staff_page.py;
    here, the states it takes: filtered, with a row of mail trouble, every action's form open,
    showing errors, after an action."""
    head = make_staff(live_server, "head_of_service", "Alex Head")
    child_context = browser.new_context(base_url=live_server.url)
    reference = send_a_message(child_context.new_page())
    with live_server.app.app_context():  # so the mail problems page has a row to show
        db.session.execute(
            update(OutboxMessage).values(
                attempts=8, gave_up_at=dt.datetime.now(dt.UTC), last_error="SMTPServerDisconnected"
            )
        )
        db.session.commit()
    seen: dict[str, list[str]] = {}
    context, page = staff_page(browser, live_server, head)
    for url in (
        "/staff/tracker?urgent=1&late=1&quiet=1&q=nobody",
        "/staff/audit?action=signed_in&since=2026-01-01",
        "/staff/mail-problems",
        "contact",
        "log with errors",
        "app words",
    ):
        if url == "contact":
            page.goto("/staff/tracker")
            page.get_by_role("link", name=reference).click()
            for summary in page.locator("details.action summary").all():
                summary.click()  # every action's form, open
        elif url == "log with errors":
            page.goto("/staff/contacts/new")
            page.get_by_label("Urgent: a person must look at it now").check()
            page.get_by_role("button", name="Log the contact").click()
            expect(page.locator(".error-summary")).to_contain_text("Write why it is urgent")
        elif url == "app words":
            page.goto("/staff/tracker")
            page.get_by_role("link", name=reference).click()
            act(page, "Give the child a reference and words for the app")
            expect(page.locator(".memorable-words")).to_be_visible()
        else:
            page.goto(url)
        problems = page_problems(page)
        if problems:
            seen[url] = problems
    context.close()
    child_context.close()
    assert not seen, seen


def test_the_tracker_refreshes_itself_while_open(browser: Browser, live_server: Live) -> None:
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    context, page = staff_page(browser, live_server, relations)
    page.clock.install()
    page.goto("/staff/tracker")
    child_context = browser.new_context(base_url=live_server.url)
    reference = send_a_message(child_context.new_page())
    expect(page.locator("#tracker")).not_to_contain_text(reference)
    with page.expect_response(
        lambda r: "/staff/tracker" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.clock.run_for(31_000)  # htmx asks again every 30 seconds
    expect(page.locator("#tracker")).to_contain_text(reference)
    child_context.close()
    context.close()


def test_the_tracker_filters_by_keyboard_and_keeps_them_when_it_refreshes(
    browser: Browser, live_server: Live
) -> None:
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    child_context = browser.new_context(base_url=live_server.url)
    reference = send_a_message(child_context.new_page())
    context, page = staff_page(browser, live_server, relations)
    page.clock.install()
    page.goto("/staff/tracker")
    search = page.get_by_label("Find by reference, name or phone number")
    search.focus()
    page.keyboard.type(reference.lower())
    # Tab on to the "Show only" boxes, tick one with the space bar, and send with Enter.
    while page.evaluate("document.activeElement.id") != "filter-unallocated":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"unallocated=1"))
    # The words typed are sealed in the address: none in the browser's history.
    assert "found=" in page.url and reference.lower() not in page.url.lower()
    expect(page.get_by_label("Not yet allocated")).to_be_checked()
    expect(page.locator("#tracker tbody th a")).to_have_text([reference])
    with page.expect_response(
        lambda r: "/staff/tracker" in r.url and r.request.headers.get("hx-request") == "true"
    ) as refreshed:
        page.clock.run_for(31_000)
    assert "unallocated=1" in refreshed.value.url
    expect(page.locator("#tracker tbody th a")).to_have_text([reference])
    child_context.close()
    context.close()
