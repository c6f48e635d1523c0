"""What may happen when: every event against every stage, allowed or refused, at the rule
level and, for staff actions, through the page with the refusal in words. The expected
answers are written out here, not asked of the code under test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import contacts, labels
from app.contacts import Refusal, Stage
from app.extensions import db
from app.models import AuditEvent, Contact, OutboxMessage
from tests.helpers import COUNCIL, OFFICE, csrf_token, make_contact, record, soup
from tests.staff_helpers import make_staff, signed_in_client

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=2)
OPEN = {Stage.SENT, Stage.READ, Stage.WITH_PERSON, Stage.TALKED, Stage.SORTING}
EVERY = {*OPEN, Stage.FINISHED}

# DESIGN.md, "What may happen when": the stages each event may be recorded in.
ALLOWED: dict[str, set[Stage]] = {
    "read": {Stage.SENT},
    "more_info_asked": OPEN,
    "allocated": OPEN,
    "contact_failed": OPEN,
    "spoke_to_child": OPEN,
    "safeguarding_concern": EVERY,
    "shared": EVERY,
    "praise_passed_on": EVERY,
    "note": EVERY,
    "update_for_child": OPEN,
    "close_proposed": OPEN,
    "closed": OPEN,
    "feedback_asked": {Stage.FINISHED},
    "feedback_given": {Stage.FINISHED},
    "reopened": {Stage.FINISHED},
    "child_added": OPEN,
    "child_not_safe": EVERY,
    "marked_urgent": OPEN,
    "urgent_lifted": OPEN,
    "app_words_given": EVERY,
    "about_recorded": OPEN,
    "handed_over": OPEN,
    "replied_in_app": OPEN,
    "reply_read": EVERY,  # a fact the app records, even on a contact closed meanwhile
}
# The refusal outside those stages.
REFUSED_WITH: dict[str, Refusal] = {
    "read": Refusal.ALREADY_READ,
    "closed": Refusal.ALREADY_CLOSED,
    "close_proposed": Refusal.ALREADY_CLOSED,
    "feedback_asked": Refusal.NOT_FINISHED,
    "feedback_given": Refusal.NOT_FINISHED,
    "reopened": Refusal.NOT_FINISHED,
}


def in_stage(stage: Stage) -> Contact:
    """A praise contact the child said may be passed on, taken to `stage` through the rules."""
    contact = make_contact("praise", may_pass_on=True)
    manager = make_staff("senior_manager")
    steps: dict[Stage, list[tuple[str, dict[str, Any]]]] = {
        Stage.SENT: [],
        Stage.READ: [("read", {})],
        Stage.WITH_PERSON: [("allocated", {"details": {"staff_id": manager.id}})],
        Stage.TALKED: [("spoke_to_child", {})],
        Stage.SORTING: [("spoke_to_child", {}), ("update_for_child", {"text": "Soon."})],
        Stage.FINISHED: [("spoke_to_child", {}), ("closed", {"text": "Done."})],
    }
    for kind, kw in steps[stage]:
        record(contact, kind, now=NOW, role="head_of_service", **kw)
    # A senior role's safeguarding concern lets "shared" be judged on its stage alone.
    if stage is not Stage.FINISHED:
        assert contacts.status(contact).stage is stage
    db.session.commit()
    return contact


def attempt(contact: Contact, kind: str) -> None:
    manager = make_staff("senior_manager")
    extra: dict[str, dict[str, Any]] = {
        "allocated": {"details": {"staff_id": manager.id}},
        "safeguarding_concern": {"text": "Worried about home."},
        "shared": {"details": {"who": "School"}, "text": "why"},
        "praise_passed_on": {"details": {"who": "Sam"}},
        "note": {"text": "n"},
        "update_for_child": {"text": "u"},
        "close_proposed": {"text": "p"},
        "closed": {"text": "c", "details": {"reason": "child_asked_to_stop"}},
        "feedback_given": {"details": {"listened": "yes", "heard": "yes", "happy": "yes"}},
        "child_added": {"text": "one more thing"},
        "marked_urgent": {"text": "Scared at home tonight."},
        "urgent_lifted": {"text": "Spoke to her: safe tonight."},
        "about_recorded": {"details": {"team": COUNCIL.staff.teams[0].key}},
        "handed_over": {"details": {"agreed": "yes"}},
        "replied_in_app": {"text": "We are looking into it."},
    }
    child = kind.startswith("child_") or kind in {"feedback_given", "reply_read"}
    if kind == "reply_read":  # a reply to read, written while the contact was open
        finished = contacts.status(contact).stage is Stage.FINISHED
        if finished:
            record(contact, "reopened", now=LATER, role="head_of_service", text="r")
        record(contact, "replied_in_app", now=LATER, role="head_of_service", text="Hello")
        if finished:
            record(contact, "closed", now=LATER, role="head_of_service", text="c")
    if kind == "urgent_lifted" and not contact.urgent and contacts.allowed(contact, kind):
        record(contact, "marked_urgent", now=LATER, role="head_of_service", text="Scared.")
    if kind == "shared" and not contacts.may_share(contact):
        record(contact, "safeguarding_concern", now=LATER, role="head_of_service", text="Worry")
    if kind == "handed_over":  # a complaint, and the child asked: judged on its stage alone
        contact.kind = "not_kept"
        if not contacts.status(contact).spoken_to and contacts.allowed(contact, "spoke_to_child"):
            record(contact, "spoke_to_child", now=LATER, role="head_of_service")
    record(
        contact,
        kind,
        now=LATER,
        role=None if child else "head_of_service",
        **extra.get(kind, {}),
    )


@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: s.name)
def test_every_event_against_every_stage(app: Flask, stage: Stage) -> None:
    assert set(ALLOWED) == set(contacts.WHEN), "an event the table does not list"
    for kind, stages in ALLOWED.items():
        contact = in_stage(stage)
        if stage in stages:
            attempt(contact, kind)
            assert contact.events[-1].kind == kind, (kind, stage)
        else:
            before = len(contact.events)
            with pytest.raises(contacts.Refused) as refused:
                attempt(contact, kind)
            expected = REFUSED_WITH.get(kind, Refusal.FINISHED)
            assert refused.value.code is expected, (kind, stage, refused.value.code)
            db.session.rollback()
            db.session.refresh(contact)
            assert len(contact.events) == before, (kind, stage)


def test_closing_without_speaking_to_the_child_needs_a_reason(app: Flask) -> None:
    contact = make_contact()
    close = {"now": NOW, "role": "customer_relations", "text": "Closed."}
    with pytest.raises(contacts.Refused, match="not_spoken_to"):
        record(contact, "closed", **close)
    with pytest.raises(contacts.Refused, match="no_tries_recorded"):
        record(contact, "closed", details={"reason": "could_not_reach"}, **close)
    record(contact, "contact_failed", now=NOW, role="customer_relations", details={"how": "phone"})
    record(contact, "closed", details={"reason": "could_not_reach"}, **close)
    assert contacts.status(contact).stage is Stage.FINISHED
    assert contact.events[-1].details["reason"] == "could_not_reach"
    with pytest.raises(contacts.Refused, match="already_closed"):
        record(contact, "closed", details={"reason": "could_not_reach"}, **close)


def test_only_a_manager_with_an_account_can_be_allocated(app: Flask) -> None:
    contact = make_contact()
    officer = make_staff("customer_relations")
    for staff_id in (officer.id, 10_000_000, None):
        with pytest.raises(contacts.Refused, match="unknown_staff"):
            record(
                contact,
                "allocated",
                now=NOW,
                role="head_of_service",
                details={"staff_id": staff_id},
            )


# The consequences each event writes in its own transaction: emails and the audit row.
def outbox_to() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [(row.recipient, row.subject) for row in rows]


def test_a_child_who_does_not_feel_safe_after_sending_reaches_people_at_once(app: Flask) -> None:
    contact = make_contact()
    manager = make_staff("senior_manager", email="sam@council.example")
    record(contact, "allocated", now=NOW, role="head_of_service", details={"staff_id": manager.id})
    before = len(outbox_to())
    contacts.mark_not_safe(db.session(), contact, LATER, OFFICE)
    sent = outbox_to()[before:]
    assert contact.urgent
    assert {to for to, _ in sent} == {OFFICE.mailbox, "sam@council.example"}
    assert all(subject.startswith("URGENT") and contact.reference in subject for _, subject in sent)


def test_a_childs_addition_tells_the_person_it_is_with(app: Flask) -> None:
    unallocated, allocated = make_contact(), make_contact()
    manager = make_staff("senior_manager", email="kim@council.example")
    record(
        allocated, "allocated", now=NOW, role="head_of_service", details={"staff_id": manager.id}
    )
    before = len(outbox_to())
    contacts.add_to_message(db.session(), unallocated, "Also <this>", LATER, OFFICE)
    contacts.add_to_message(db.session(), allocated, "And that", LATER, OFFICE)
    assert [to for to, _ in outbox_to()[before:]] == [OFFICE.mailbox, "kim@council.example"]


def test_a_proposal_to_close_tells_customer_relations(app: Flask) -> None:
    contact = make_contact()
    record(contact, "close_proposed", now=NOW, role="senior_manager", text="All sorted")
    assert outbox_to()[-1] == (
        OFFICE.mailbox,
        f"Closing proposed for {OFFICE.service} message {contact.reference}",
    )


def test_every_event_is_audited_by_the_rules(app: Flask) -> None:
    contact = make_contact()
    record(contact, "read", now=NOW, role="customer_relations")
    contacts.add_to_message(db.session(), contact, "more", LATER, OFFICE)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.contact_id == contact.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["event:read", "event:child_added"]


# Through the page: each staff action refused in a stage says why, in words, with a 409.
STAFF_ACTIONS = {
    "read": "read",
    "more-info": "more_info_asked",
    "allocate": "allocated",
    "failed-try": "contact_failed",
    "spoke": "spoke_to_child",
    "update": "update_for_child",
    "close": "closed",
    "ask-feedback": "feedback_asked",
    "reopen": "reopened",
}
FORMS: dict[str, Callable[[Contact], dict[str, Any]]] = {
    "more-info": lambda c: {"text": "What time suits?"},
    "failed-try": lambda c: {"how": "phone"},
    "spoke": lambda c: {"how": "phone"},
    "update": lambda c: {"text": "Soon"},
    "close": lambda c: {"text": "Done", "reason": "child_asked_to_stop"},
    "reopen": lambda c: {"text": "Again"},
}


@pytest.mark.parametrize("stage", [Stage.SENT, Stage.TALKED, Stage.FINISHED], ids=lambda s: s.name)
def test_refusals_are_said_on_the_staff_page(app: Flask, stage: Stage) -> None:
    head, _ = signed_in_client(app, "head_of_service")
    token = csrf_token(head.get("/staff/sign-in").get_data(as_text=True))
    for name, kind in STAFF_ACTIONS.items():
        contact = in_stage(stage)
        page = soup(head.get(f"/staff/contacts/{contact.id}"))
        offered = {form["action"].rsplit("/", 1)[-1] for form in page.select(".action form")}
        allowed = stage in ALLOWED[kind]
        assert (name in offered) == allowed, (name, stage)
        if name == "allocate":
            continue  # its form needs a person; the rule level covers it
        data = {
            f"{name}-{key}": value for key, value in FORMS.get(name, lambda c: {})(contact).items()
        }
        response = head.post(
            f"/staff/contacts/{contact.id}/{name}", data={f"{name}-csrf_token": token, **data}
        )
        if allowed:
            assert response.status_code == 303, (name, stage, response.status_code)
        else:
            assert response.status_code == 409, (name, stage, response.status_code)
            with app.test_request_context():
                words = str(labels.STAFF_REFUSALS[REFUSED_WITH.get(kind, Refusal.FINISHED)])
            summary = soup(response).select_one(".error-summary")
            assert summary is not None and words in summary.get_text(" "), (name, stage)
            assert soup(response).title.get_text().startswith("Error: "), (name, stage)


def test_an_action_form_with_errors_says_so_in_the_title(app: Flask) -> None:
    head, _ = signed_in_client(app, "head_of_service")
    contact = make_contact()
    token = csrf_token(head.get("/staff/sign-in").get_data(as_text=True))
    response = head.post(f"/staff/contacts/{contact.id}/spoke", data={"spoke-csrf_token": token})
    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".error-summary a")["href"] == "#spoke-how-0"
