"""The customer relations lead (DESIGN.md, "Staff roles" and "The first-contact rule"): what
customer relations may do, and, as a senior role, recording a safeguarding concern with its
reason, which lets a senior manager share before the child has been spoken to."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from app import contacts
from app.contacts import Refusal
from app.extensions import db
from tests.helpers import csrf_token, make_contact, record, soup
from tests.staff_helpers import make_staff, signed_in_client

NOW = dt.datetime(2026, 11, 23, 11, tzinfo=dt.UTC)


def test_a_concern_recorded_by_the_lead_lifts_the_rule_and_one_by_customer_relations_cannot(
    app: Flask,
) -> None:
    contact = make_contact()
    with pytest.raises(contacts.Refused) as refused:
        record(contact, "safeguarding_concern", now=NOW, role="customer_relations", text="Worry")
    assert refused.value.code is Refusal.SENIOR_ROLE_NEEDED
    assert not contacts.may_share(contact)
    record(contact, "safeguarding_concern", now=NOW, role="customer_relations_lead", text="Worry")
    assert contacts.may_share(contact)
    manager = make_staff("senior_manager")
    record(contact, "shared", now=NOW, staff=manager, details={"who": "GP"}, text="Health")
    assert contact.events[-1].kind == "shared"


def test_the_lead_records_it_through_the_page(app: Flask) -> None:
    contact = make_contact()
    lead, _ = signed_in_client(app, "customer_relations_lead")
    page = soup(lead.get(f"/staff/contacts/{contact.id}"))
    offered = {form["action"].rsplit("/", 1)[-1] for form in page.select(".action form")}
    assert {"safeguarding", "close", "about", "hand-over"} <= offered
    assert "share" not in offered and "allocate" not in offered
    token = csrf_token(lead.get("/staff/sign-in").get_data(as_text=True))
    response = lead.post(
        f"/staff/contacts/{contact.id}/safeguarding",
        data={"safeguarding-csrf_token": token, "safeguarding-text": "Said they are scared."},
    )
    assert response.status_code == 303
    db.session.refresh(contact)
    assert contacts.may_share(contact)
    assert contact.events[-1].details["role"] == "customer_relations_lead"
