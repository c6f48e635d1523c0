"""The first-contact rule: "We will speak to you first before we talk to anyone else."

Kept in contacts.py, so it holds at the rule level, through the page, and against a forged
post straight to the action's URL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from app import contacts
from app.extensions import db
from app.models import AuditEvent, Contact
from tests.helpers import csrf_token, make_contact, record, soup
from tests.journey import send_message
from tests.staff_helpers import signed_in_client

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def make(kind: str = "not_kept", may_pass_on: bool = False) -> Contact:
    return make_contact(kind, may_pass_on=may_pass_on)


def share(contact: Contact, role: str = "senior_manager") -> None:
    record(
        contact,
        "shared",
        now=NOW,
        role=role,
        details={"who": "School", "their_role": "teacher"},
        text="to help",
    )


def test_sharing_waits_until_we_have_spoken_to_the_child(app: Flask) -> None:
    contact = make()
    with pytest.raises(contacts.Refused, match="speak_to_child_first"):
        share(contact)
    record(contact, "contact_failed", now=NOW, role="senior_manager")
    with pytest.raises(contacts.Refused, match="speak_to_child_first"):
        share(contact)
    record(contact, "spoke_to_child", now=NOW, role="senior_manager")
    share(contact)
    assert contact.events[-1].kind == "shared"


@pytest.mark.parametrize("role", ["head_of_service", "senior_manager"])
def test_a_senior_roles_safeguarding_concern_with_its_reason_lifts_the_rule(
    app: Flask, role: str
) -> None:
    contact = make()
    record(
        contact,
        "safeguarding_concern",
        now=NOW,
        role=role,
        text="The child said they are being hurt at home.",
    )
    share(contact, role)
    assert contact.events[-1].kind == "shared"


@pytest.mark.parametrize(
    ("role", "reason", "code"),
    [
        ("customer_relations", "a real reason", "senior_role_needed"),
        ("vic", "a real reason", "senior_role_needed"),
        (None, "a real reason", "senior_role_needed"),
        ("head_of_service", "   ", "reason_needed"),
        ("head_of_service", None, "reason_needed"),
    ],
)
def test_only_a_senior_role_with_a_reason_can_record_a_concern(
    app: Flask, role: str | None, reason: str | None, code: str
) -> None:
    contact = make()
    with pytest.raises(contacts.Refused) as refused:
        record(contact, "safeguarding_concern", now=NOW, role=role, text=reason)
    assert refused.value.code == code
    with pytest.raises(contacts.Refused, match="speak_to_child_first"):
        share(contact)


def test_praise_is_passed_on_only_under_the_same_rule(app: Flask) -> None:
    contact = make("praise")
    with pytest.raises(contacts.Refused, match="speak_to_child_first"):
        record(
            contact,
            "praise_passed_on",
            now=NOW,
            role="senior_manager",
            details={"who": "Sam's manager"},
        )
    record(contact, "spoke_to_child", now=NOW)
    record(contact, "praise_passed_on", now=NOW, details={"who": "Sam"})


def test_praise_goes_straight_away_when_the_child_said_so(app: Flask) -> None:
    contact = make("praise", may_pass_on=True)
    record(contact, "praise_passed_on", now=NOW, details={"who": "Sam"})
    with pytest.raises(contacts.Refused, match="speak_to_child_first"):
        share(contact)  # their thanks may go; the rest still waits


def test_through_the_page_and_a_forged_post(app: Flask) -> None:
    child = app.test_client()
    reference = send_message(child)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    head, _ = signed_in_client(app, "head_of_service")
    page = soup(head.get(f"/staff/contacts/{contact.id}"))
    assert "We speak to the child first" in page.get_text()
    token = csrf_token(head.get("/staff/sign-in").get_data(as_text=True))
    data = {
        "share-csrf_token": token,
        "share-who": "Their school",
        "share-their_role": "head",
        "share-text": "They asked",
    }
    refused = head.post(f"/staff/contacts/{contact.id}/share", data=data)
    assert refused.status_code == 409
    assert "we speak to the child first, before anyone else" in refused.get_data(as_text=True)
    db.session.refresh(contact)
    assert "shared" not in [event.kind for event in contact.events]
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "refused_by_rule")
    ).all()
    assert audit and audit[-1].details["rule"] == "speak_to_child_first"
    spoke = head.post(
        f"/staff/contacts/{contact.id}/spoke",
        data={"spoke-csrf_token": token, "spoke-how": "phone"},
    )
    assert spoke.status_code == 303
    assert head.post(f"/staff/contacts/{contact.id}/share", data=data).status_code == 303
    db.session.refresh(contact)
    assert [event.kind for event in contact.events][-2:] == ["spoke_to_child", "shared"]
