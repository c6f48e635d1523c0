"""Joined up (issue 10, point 9): with the child's agreement, recorded, a complaint is handed
over to the council's formal complaint process (Stage 1), keeping its history and its clock;
the complaints address is told only that, with the reference; the child's page says so."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import contacts, labels
from app.contacts import Refusal
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import COUNCIL, choose, csrf_token, make_contact, record, soup
from tests.journey import send_message
from tests.staff_helpers import signed_in_client

RECEIVED = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
SPOKE = RECEIVED + dt.timedelta(hours=3)
LATER = RECEIVED + dt.timedelta(hours=5)
WORDS = "Nobody rings me back."


def spoken_to(kind: str = "not_kept") -> Contact:
    contact = make_contact(kind, received=RECEIVED)
    record(contact, "spoke_to_child", now=SPOKE, role="customer_relations")
    db.session.commit()
    return contact


def complaint_mail() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == COUNCIL.staff.complaints_email)
        )
    )


def test_a_complaint_is_handed_over_with_the_childs_agreement(app: Flask) -> None:
    contact = spoken_to()
    due, first = contact.due_at, contact.first_contact_at
    event = record(
        contact,
        "handed_over",
        now=LATER,
        role="customer_relations",
        at=SPOKE,
        details={"agreed": "yes", "asked_by": "Casey"},
        text="Yes, I want it to be a proper complaint.",
    )
    assert event.at == SPOKE and event.details == {
        "agreed": "yes",
        "asked_by": "Casey",
        "role_of_actor": "customer_relations",
    }
    assert contacts.status(contact).handed_over
    # The history and the clock stay with it: nothing closed, nothing moved.
    assert contact.due_at == due and contact.first_contact_at == first
    assert contacts.status(contact).stage is contacts.Stage.TALKED
    (mail,) = complaint_mail()
    assert contact.reference in mail.subject and contact.reference in mail.body
    assert "Monday 23 November 2026 at 10:00" in mail.body  # when the child first told us
    assert WORDS not in mail.body and "proper complaint" not in mail.body


@pytest.mark.parametrize(
    ("kind", "spoke", "details", "refusal"),
    [
        ("praise", True, {"agreed": "yes"}, Refusal.NOT_A_COMPLAINT),
        ("kept_well", True, {"agreed": "yes"}, Refusal.NOT_A_COMPLAINT),
        ("not_kept", False, {"agreed": "yes"}, Refusal.ASK_THE_CHILD_FIRST),
        ("not_kept", True, {"agreed": "no"}, Refusal.CHILD_DID_NOT_AGREE),
        ("not_kept", True, {}, Refusal.CHILD_DID_NOT_AGREE),
    ],
)
def test_a_hand_over_needs_a_complaint_a_conversation_and_a_yes(
    app: Flask, kind: str, spoke: bool, details: dict[str, str], refusal: Refusal
) -> None:
    contact = spoken_to(kind) if spoke else make_contact(kind, received=RECEIVED)
    before = len(contact.events)
    with pytest.raises(contacts.Refused) as refused:
        record(contact, "handed_over", now=LATER, role="customer_relations", details=details)
    assert refused.value.code is refusal
    db.session.rollback()
    db.session.refresh(contact)
    assert len(contact.events) == before and complaint_mail() == []


def test_once_and_only_while_open(app: Flask) -> None:
    contact = spoken_to()
    record(contact, "handed_over", now=LATER, role="head_of_service", details={"agreed": "yes"})
    with pytest.raises(contacts.Refused) as twice:
        record(contact, "handed_over", now=LATER, role="head_of_service", details={"agreed": "yes"})
    assert twice.value.code is Refusal.ALREADY_HANDED_OVER
    # Nor is it offered again: a busy officer would press it only to be told no.
    relations, _ = signed_in_client(app, "head_of_service")
    forms = soup(relations.get(f"/staff/contacts/{contact.id}")).select(".action form")
    assert forms and not any(form["action"].endswith("/hand-over") for form in forms)
    assert any(
        form["action"].endswith("/hand-over")
        for form in soup(relations.get(f"/staff/contacts/{spoken_to().id}")).select(".action form")
    )
    closed = spoken_to()
    record(closed, "closed", now=LATER, role="customer_relations", text="Sorted.")
    with pytest.raises(contacts.Refused) as finished:
        record(closed, "handed_over", now=LATER, role="head_of_service", details={"agreed": "yes"})
    assert finished.value.code is Refusal.FINISHED


def test_who_asked_is_the_member_of_staff_unless_they_say(app: Flask) -> None:
    relations, person = signed_in_client(app, "customer_relations")
    contact = spoken_to()
    db.session.commit()
    token = csrf_token(relations.get("/staff/sign-in").get_data(as_text=True))
    response = relations.post(
        f"/staff/contacts/{contact.id}/hand-over",
        data={"hand-over-csrf_token": token, "hand-over-agreed": "yes"},
    )
    assert response.status_code == 303
    db.session.refresh(contact)
    assert contact.events[-1].details["asked_by"] == person.name
    timeline = soup(relations.get(f"/staff/contacts/{contact.id}")).select_one(".timeline")
    assert "Handed over to the formal complaint process (Stage 1)" in timeline.get_text()


def test_the_page_says_no_in_words_and_offers_it_only_for_complaints(app: Flask) -> None:
    relations, _ = signed_in_client(app, "customer_relations")
    contact, praise = spoken_to(), spoken_to("praise")
    db.session.commit()
    token = csrf_token(relations.get("/staff/sign-in").get_data(as_text=True))
    refused = relations.post(
        f"/staff/contacts/{contact.id}/hand-over",
        data={"hand-over-csrf_token": token, "hand-over-agreed": "no"},
    )
    assert refused.status_code == 409
    with app.test_request_context():
        words = str(labels.STAFF_REFUSALS[Refusal.CHILD_DID_NOT_AGREE])
    assert words in soup(refused).select_one(".error-summary").get_text()
    offered = soup(relations.get(f"/staff/contacts/{praise.id}")).select(".action form")
    assert not any(form["action"].endswith("/hand-over") for form in offered)


def handed_over_by_page(app: Flask, child: FlaskClient) -> str:
    reference = send_message(child)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    now = dt.datetime.now(dt.UTC)
    record(contact, "spoke_to_child", now=now, role="customer_relations")
    record(contact, "handed_over", now=now, role="customer_relations", details={"agreed": "yes"})
    db.session.commit()
    return reference


def test_the_childs_page_says_so_in_plain_words(app: Flask) -> None:
    child = app.test_client()
    reference = handed_over_by_page(app, child)
    page = soup(child.get(f"/messages/{reference}"))
    section = page.select_one(".handed-over")
    assert section is not None
    text = section.get_text(" ")
    assert "Your message is now a complaint" in text
    assert f"complaints team at {COUNCIL.council.name}" in text
    assert "Stage 1" in text and "the day you first told us" in text
    assert section.select(".easy-read") == []


def test_in_symbol_mode_the_page_says_it_in_easy_read_too(app: Flask) -> None:
    child = app.test_client()
    choose(child, "10_plus", symbols=True)
    reference = handed_over_by_page(app, child)
    section = soup(child.get(f"/messages/{reference}")).select_one(".handed-over")
    assert section is not None
    assert "Your message has gone to the complaints team." in section.get_text(" ")
    assert section.select("img.symbol")
