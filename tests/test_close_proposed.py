"""Closing the loop between roles: a senior manager's proposal to close reaches customer
relations by email (the outbox, written by the rule) and shows in the tracker until closed."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from tests.helpers import OFFICE, make_contact, record, soup
from tests.staff_helpers import make_staff, signed_in_client

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
PROPOSAL = "Carer moved; the child says all is well now <b>"
CHILD_WORDS = "Nobody rings me back."


def proposed_refs(client: object) -> list[str]:
    page = client.get("/staff/tracker?proposed=1")  # type: ignore[attr-defined]
    return [a.get_text(strip=True) for a in soup(page).select("#tracker tbody th a")]


def test_a_proposal_emails_customer_relations_and_marks_the_tracker(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    manager = make_staff("senior_manager")
    contact = make_contact(received=MONDAY_NOON - dt.timedelta(hours=3))
    record(
        contact,
        "allocated",
        role="head_of_service",
        now=MONDAY_NOON,
        details={"staff_id": manager.id},
    )
    record(contact, "spoke_to_child", staff=manager, now=MONDAY_NOON)
    record(contact, "close_proposed", staff=manager, now=MONDAY_NOON, text=PROPOSAL)
    db.session.commit()
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("close-proposed:"))
    ).one()
    assert mail.recipient == OFFICE.mailbox
    assert contact.reference in mail.subject and OFFICE.link(contact) in mail.body
    for secret in (PROPOSAL, CHILD_WORDS, "Carer"):
        assert secret not in mail.body and secret not in mail.subject

    client, _ = signed_in_client(app, "customer_relations")
    assert proposed_refs(client) == [contact.reference]
    row = soup(client.get("/staff/tracker")).select_one("#tracker tbody tr")
    assert "Closing proposed" in row.get_text()

    record(contact, "closed", role="customer_relations", now=MONDAY_NOON, text="Done.")
    db.session.commit()
    assert proposed_refs(client) == []
    record(contact, "reopened", role="customer_relations", now=MONDAY_NOON)
    db.session.commit()
    assert proposed_refs(client) == []  # the old proposal ended with the closing
