"""Issue 10, point 10: a browser test for EACH of the three staff roles going through their
own part of a phone-logged contact, from logging to the child's closing feedback. In each,
that role works in Chromium; the other roles' parts are recorded through the same rules the
pages call (app/contacts), at the moment they would happen. axe (and 44 px targets, no
sideways scroll) on every page the role sees on the way.

test_staff_loop.py::test_three_roles_take_a_call_from_logging_to_feedback has all three in
the browser at once; these say, one role at a time, what each must be able to do."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import uuid
import zoneinfo
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app import contacts, staff_accounts
from app.council import office
from app.extensions import db
from app.models import Contact, OutboxMessage, StaffUser
from tests.e2e.support import Live, page_problems, printed_on_a4
from tests.e2e.test_staff_loop import (
    Staff,
    act,
    find_in_the_app,
    log_a_call,
    mailed_to,
    make_staff,
    staff_page,
)
from tests.helpers import A_PROMISE, COUNCIL

LONDON = zoneinfo.ZoneInfo("Europe/London")
WORDS = "apple tiger river"
TEAM = COUNCIL.staff.teams[0]
_phones = itertools.count(100)


def account(email: str) -> StaffUser:
    found = staff_accounts.find(db.session(), email)
    assert found is not None
    return found


def a_logged_call(
    live: Live, relations: Staff, *, ago: dt.timedelta, urgent: str | None = None
) -> str:
    """Customer relations' part, through the rules: a call logged `ago`, for a child who wants
    to follow it in the app (WORDS), about TEAM."""
    with live.app.app_context(), live.app.test_request_context():
        now = dt.datetime.now(dt.UTC)
        contact = contacts.submit(
            db.session(),
            contacts.Answers(
                kind="not_kept",
                promises=(A_PROMISE,),
                words="Nobody told me my review moved.",
                helper="nobody",
                reach={"name": "Jo", "how": "phone", "phone": f"07700 900{next(_phones):03d}"},
            ),
            submission_key=uuid.uuid4().hex,
            access_secret=contacts.new_access_secret(),
            memorable_words=WORDS,
            now=now,
            received_at=now - ago,
            office=office(),
            channel="phone",
            logged_by=account(relations.email),
            urgent_reason=urgent,
        )
        contacts.record(
            db.session(),
            contact,
            "about_recorded",
            now=now,
            office=office(),
            by=contacts.By(account(relations.email)),
            details={"team": TEAM.key},
        )
        db.session.commit()
        return contact.reference


def rules(
    live: Live,
    reference: str,
    kind: str,
    who: Staff,
    *,
    now: dt.datetime | None = None,
    **fields: Any,
) -> None:
    """Another role's step, as its page would record it."""
    with live.app.app_context(), live.app.test_request_context():
        contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
        assert contact is not None
        contacts.record(
            db.session(),
            contact,
            kind,
            now=now or dt.datetime.now(dt.UTC),
            office=office(),
            by=contacts.By(account(who.email)),
            **fields,
        )
        db.session.commit()


def staff_id(live: Live, who: Staff) -> int:
    with live.app.app_context():
        return account(who.email).id


def row_of(page: Page, reference: str) -> Any:
    return page.locator("#tracker tbody tr", has=page.get_by_role("link", name=reference))


def test_customer_relations_part(browser: Browser, live_server: Live, tmp_path: Path) -> None:
    """Log the call (urgent, with words for the app), say which team it is about, mark a
    second call urgent later; then, told of the proposal to close, find it by its filter,
    close it, and record the child's three answers from a call, with who asked and when."""
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    head = make_staff(live_server, "head_of_service", "Alex Head")
    manager = make_staff(live_server, "senior_manager", "Sam Manager")
    seen: dict[str, list[str]] = {}
    context, cr = staff_page(browser, live_server, relations)
    log_a_call(cr, urgent="Scared at home tonight.")
    reference = cr.locator(".reference").inner_text().strip()
    words = cr.locator(".memorable-words").inner_text().strip()
    seen["logged, words for the app"] = page_problems(cr)
    # Printed for the child as it is (the words are shown once: no reload): one A4 page with
    # the reference, the words and where to use them, and not the note meant for staff.
    printed, pages = printed_on_a4(cr, tmp_path)
    assert pages == 1, pages
    assert reference in printed and words in printed and "/messages/find" in printed, printed
    assert "Read these to the child" not in printed, printed
    cr.goto(f"/staff/tracker?q={reference}")
    expect(row_of(cr, reference)).to_contain_text("Urgent")
    row_of(cr, reference).get_by_role("link", name=reference).click()
    about = cr.locator("details.action", has=cr.locator("summary", has_text="which team"))
    about.locator("summary").click()
    about.get_by_label("The team where the child said it happened").select_option(label=TEAM.name)
    about.get_by_role("button", name="Record who or which team it is about").click()
    expect(cr.locator(".timeline")).to_contain_text("Recorded who or which team it is about")
    seen["contact"] = page_problems(cr)

    # Urgent later, as an action with its reason, on a call logged as ordinary.
    ordinary = a_logged_call(live_server, relations, ago=dt.timedelta(hours=2))
    cr.goto(f"/staff/tracker?q={ordinary}")
    cr.get_by_role("link", name=ordinary).click()
    act(cr, "Mark as urgent", {"Why it is urgent": "Caller is scared at home tonight."})
    expect(cr.locator("h1 .urgent")).to_be_visible()
    cr.goto("/staff/tracker?urgent=1")
    expect(row_of(cr, ordinary)).to_contain_text("Urgent")

    # Head of Service and the senior manager do their parts.
    rules(
        live_server,
        reference,
        "allocated",
        head,
        details={"staff_id": staff_id(live_server, manager)},
    )
    rules(live_server, reference, "spoke_to_child", manager, details={"how": "phone"})
    rules(live_server, reference, "close_proposed", manager, text="Review moved.")
    told = [m.subject for m in mailed_to(live_server, COUNCIL.staff.mailbox)]
    assert any(reference in subject and "clos" in subject.lower() for subject in told), told

    cr.goto("/staff/tracker")
    cr.get_by_label("Proposed for closing").check()
    cr.get_by_role("button", name="Filter").click()
    expect(cr).to_have_url(re.compile(r"proposed=1"))
    expect(row_of(cr, reference)).to_contain_text("Closing proposed")
    seen["tracker, proposed for closing"] = page_problems(cr)
    row_of(cr, reference).get_by_role("link", name=reference).click()
    act(cr, "Close", {"What happened": "We moved your review."})
    expect(cr.locator(".timeline")).to_contain_text("Closed")
    feedback = cr.locator(
        "details.action", has=cr.locator("summary", has_text="Record the child's closing feedback")
    )
    feedback.locator("summary").click()
    feedback.locator("input[name=feedback-listened][value=yes]").check()
    feedback.locator("input[name=feedback-heard][value=not_sure]").check()
    feedback.locator("input[name=feedback-happy][value=yes]").check()
    feedback.locator("input[name=feedback-how][value=phone]").check()
    feedback.get_by_label("What the child said about it (optional)").fill("Better now.")
    feedback.get_by_label("Who asked them (leave empty if it was you)").fill("Pat on duty")
    asked = dt.datetime.now(LONDON) - dt.timedelta(minutes=10)
    feedback.get_by_label("When did it happen? (leave empty for now)").fill(
        asked.strftime("%Y-%m-%dT%H:%M")
    )
    seen["feedback form, open"] = page_problems(cr)
    feedback.get_by_role("button", name="Record the child's closing feedback").click()
    timeline = cr.locator(".timeline")
    expect(timeline).to_contain_text("Feedback given")
    expect(timeline).to_contain_text("Pat on duty")
    expect(timeline).to_contain_text(asked.strftime("%H:%M"))
    cr.goto(f"/staff/tracker?q={reference}")
    expect(row_of(cr, reference)).to_contain_text("Feedback answered")

    child_context, child = find_in_the_app(browser, live_server, reference, words)
    expect(child.locator("main")).to_contain_text("We moved your review.")
    expect(child.locator("main")).to_contain_text("Thank you for telling us how we did.")
    for opened in (child_context, context):
        opened.close()
    assert not {name: found for name, found in seen.items() if found}, seen


def test_head_of_service_part(browser: Browser, live_server: Live) -> None:
    """Find the new call among the unallocated ones about a team, allocate it only fairly,
    take urgent off with the reason, see which allocated contacts have had no update for the
    council's N working days, then the child's answers in the tracker and the contact's trail
    in the audit (filtered, in the council's zone, as CSV)."""
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    head = make_staff(live_server, "head_of_service", "Alex Head")
    manager = make_staff(live_server, "senior_manager", "Jordan Fairchild")
    make_staff(live_server, "senior_manager", "Robin Sameteam", team=TEAM.key)
    reference = a_logged_call(
        live_server, relations, ago=dt.timedelta(hours=1), urgent="Scared at home tonight."
    )
    # Allocated twelve days ago, nothing since: the "no update" list.
    quiet = a_logged_call(live_server, relations, ago=dt.timedelta(days=14))
    rules(
        live_server,
        quiet,
        "allocated",
        head,
        now=dt.datetime.now(dt.UTC) - dt.timedelta(days=12),
        details={"staff_id": staff_id(live_server, manager)},
    )
    seen: dict[str, list[str]] = {}
    context, hos = staff_page(browser, live_server, head)
    hos.get_by_label("The team it is about").select_option(label=TEAM.name)
    hos.get_by_label("Not yet allocated").check()
    hos.get_by_role("button", name="Filter").click()
    expect(hos).to_have_url(re.compile(r"unallocated=1"))
    expect(hos.locator("#tracker")).to_contain_text(f"about {TEAM.name}")
    expect(row_of(hos, reference)).to_contain_text("Urgent")
    expect(row_of(hos, quiet)).to_have_count(0)  # allocated already
    seen["tracker, unallocated about a team"] = page_problems(hos)

    row_of(hos, reference).get_by_role("link", name=reference).click()
    allocate = hos.locator("details.action", has=hos.locator("summary", has_text="Allocate"))
    allocate.locator("summary").click()
    offered = allocate.get_by_label("Allocate to").locator("option").all_inner_texts()
    assert any("Jordan Fairchild" in option for option in offered), offered
    assert not any("Robin Sameteam" in option for option in offered), offered
    allocate.get_by_label("Allocate to").select_option(label="Jordan Fairchild (Senior manager)")
    allocate.get_by_role("button", name="Allocate").click()
    expect(hos.locator(".timeline")).to_contain_text("Allocated")
    lift = hos.locator("details.action", has=hos.locator("summary", has_text="Take urgent off"))
    lift.locator("summary").click()
    lift.get_by_role("button", name="Take urgent off").click()  # no reason yet
    expect(hos.locator(".error-summary")).to_contain_text("Write why it is no longer urgent")
    seen["take urgent off, with its error"] = page_problems(hos)
    hos.get_by_label("Why it is no longer urgent").fill("Spoke to the carer: safe.")
    hos.get_by_role("button", name="Take urgent off").click()
    expect(hos.locator("h1 .urgent")).to_have_count(0)
    expect(hos.locator(".timeline")).to_contain_text("No longer urgent")
    seen["contact after taking urgent off"] = page_problems(hos)

    days = COUNCIL.response.no_update_working_days
    hos.goto("/staff/tracker")
    hos.get_by_label(f"No update for {days} working days").check()
    hos.get_by_role("button", name="Filter").click()
    expect(row_of(hos, quiet)).to_contain_text(f"No update for {days} working days")
    expect(row_of(hos, reference)).to_have_count(0)  # allocated just now
    seen["tracker, no update"] = page_problems(hos)

    # The senior manager and customer relations do their parts.
    rules(live_server, reference, "spoke_to_child", manager, details={"how": "phone"})
    rules(live_server, reference, "close_proposed", manager, text="Done.")
    rules(live_server, reference, "closed", relations, text="We moved your review.")
    rules(
        live_server,
        reference,
        "feedback_given",
        relations,
        details={"listened": "yes", "heard": "yes", "happy": "no", "how": "phone"},
    )
    hos.goto(f"/staff/tracker?q={reference}")
    expect(row_of(hos, reference)).to_contain_text("Feedback answered")

    hos.goto("/staff/audit")
    hos.get_by_label("Contact reference").fill(reference)
    hos.get_by_role("button", name="Filter").click()
    trail = hos.locator("table tbody")
    for said in ("Logged a contact", "Allocated", "No longer urgent", "Feedback given"):
        expect(trail).to_contain_text(said)
    seen["audit trail, one contact"] = page_problems(hos)
    first_time = hos.locator("table tbody tr time").first
    shown = first_time.inner_text()
    at = dt.datetime.fromisoformat(str(first_time.get_attribute("datetime"))).astimezone(LONDON)
    # In words, in the council's zone (in November that is UTC's too: test_audit_trail.py
    # checks a summer time).
    assert f"{at.hour % 12 or 12}:{at:%M}" in shown, (shown, at)
    with hos.expect_download() as download:
        hos.get_by_role("link", name="Download these rows as CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert len(rows) > 4 and all(reference in ",".join(row) for row in rows[1:]), rows[:3]
    context.close()
    assert not {name: found for name, found in seen.items() if found}, seen


def test_senior_manager_part(browser: Browser, live_server: Live) -> None:
    """The call allocated to them: it is in their tracker (and only theirs); the first-contact
    rule holds them to speaking to the child first; they speak to the child, write an update
    the child reads in the app, and propose closing, which reaches customer relations; then
    they see it closed with the child's answers."""
    relations = make_staff(live_server, "customer_relations", "Casey Relations")
    head = make_staff(live_server, "head_of_service", "Alex Head")
    manager = make_staff(live_server, "senior_manager", "Sam Manager")
    reference = a_logged_call(live_server, relations, ago=dt.timedelta(hours=3))
    someone_elses = a_logged_call(live_server, relations, ago=dt.timedelta(hours=3))
    rules(
        live_server,
        reference,
        "allocated",
        head,
        details={"staff_id": staff_id(live_server, manager)},
    )
    seen: dict[str, list[str]] = {}
    context, sm = staff_page(browser, live_server, manager)
    expect(row_of(sm, reference)).to_be_visible()
    expect(row_of(sm, someone_elses)).to_have_count(0)
    seen["tracker, senior manager"] = page_problems(sm)
    sm.get_by_role("link", name=reference).click()
    act(
        sm,
        "Record that we shared it with someone",
        {"Who with": "Their school", "Their role": "Head teacher", "Why": "To help"},
    )
    expect(sm.locator(".error-summary")).to_contain_text("we speak to the child first")
    seen["contact, refused"] = page_problems(sm)
    act(sm, "Record that we spoke to the child", choose_value="phone")
    expect(sm.locator(".timeline")).to_contain_text("Spoke to the child")
    act(sm, "Write an update for the child", {"Update for the child": "Your review moves."})
    expect(sm.locator(".timeline")).to_contain_text("Update for the child")
    before = len(mailed_to(live_server, COUNCIL.staff.mailbox))
    act(sm, "Propose closing", {"Note": "Review moved; the child is happy with it."})
    expect(sm.locator(".timeline")).to_contain_text("Closing proposed")
    seen["contact, proposed"] = page_problems(sm)
    told = mailed_to(live_server, COUNCIL.staff.mailbox)[before:]
    assert [reference in m.subject for m in told] == [True], [m.subject for m in told]

    child_context, child = find_in_the_app(browser, live_server, reference, WORDS)
    expect(child.locator(".updates")).to_contain_text("Your review moves.")

    # Customer relations close it and record the child's answers from a call.
    rules(live_server, reference, "closed", relations, text="We moved your review.")
    rules(
        live_server,
        reference,
        "feedback_given",
        relations,
        details={"listened": "yes", "heard": "yes", "happy": "yes", "how": "phone"},
    )
    sm.reload()
    expect(sm.locator(".timeline")).to_contain_text("Closed")
    expect(sm.locator(".timeline")).to_contain_text("Feedback given")
    sm.goto(f"/staff/tracker?q={reference}")
    expect(row_of(sm, reference)).to_contain_text("Feedback answered")
    child.reload()
    expect(child.locator("main")).to_contain_text("Thank you for telling us how we did.")
    with live_server.app.app_context():
        assert not db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.body.contains("happy with it"))
        ).all()  # the proposal's words stay on the page
    for opened in (child_context, context):
        opened.close()
    assert not {name: found for name, found in seen.items() if found}, seen
