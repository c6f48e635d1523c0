"""Urgent, later: staff mark an open contact urgent with the reason, through the rules, and
it goes first in the tracker, the mailbox and the allocated person are emailed at once
(never the reason or the child's words), and the report counts it."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from app import contacts
from app.extensions import db
from app.models import AuditEvent, OutboxMessage
from tests.helpers import OFFICE, close, csrf_token, make_contact, record, soup
from tests.staff_helpers import make_staff, signed_in_client

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=3)
REASON = "Caller is scared at home tonight."


def mails_after(first_id: int) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > first_id).order_by(OutboxMessage.id)
        )
    )


def newest_mail_id() -> int:
    return max(db.session.scalars(select(OutboxMessage.id)).all() or [0])


def test_marking_urgent_emails_the_mailbox_and_the_person_it_is_with(app: Flask) -> None:
    contact = make_contact()
    manager = make_staff("senior_manager", email="sam@council.example")
    record(contact, "allocated", now=NOW, role="head_of_service", details={"staff_id": manager.id})
    before = newest_mail_id()
    record(contact, "marked_urgent", now=LATER, role="customer_relations", text=REASON)
    assert contact.urgent
    sent = mails_after(before)
    assert {mail.recipient for mail in sent} == {"sam@council.example", OFFICE.mailbox}
    for mail in sent:
        assert mail.subject.startswith("URGENT: ") and contact.reference in mail.subject
        assert REASON not in mail.body and contact.message["words"] not in mail.body
    audit = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.contact_id == contact.id)
    ).all()
    assert "event:marked_urgent" in audit


@pytest.mark.parametrize("reason", ["", " ", "\u200b\u202e"])
def test_marking_urgent_needs_a_reason(app: Flask, reason: str) -> None:
    contact = make_contact()
    with pytest.raises(contacts.Refused, match="reason_needed"):
        record(contact, "marked_urgent", now=LATER, role="customer_relations", text=reason)
    db.session.rollback()
    db.session.refresh(contact)
    assert not contact.urgent


def test_urgent_once_and_only_while_open(app: Flask) -> None:
    already = make_contact(urgent=True)  # the child pressed "I don't feel safe"
    with pytest.raises(contacts.Refused, match="already_urgent"):
        record(already, "marked_urgent", now=LATER, role="customer_relations", text=REASON)
    db.session.rollback()
    finished = make_contact()
    close(finished, LATER)
    with pytest.raises(contacts.Refused, match="finished"):
        record(finished, "marked_urgent", now=LATER, role="customer_relations", text=REASON)


def test_from_the_contact_page_it_goes_first_in_the_tracker(app: Flask) -> None:
    app.config["FIXED_NOW"] = LATER
    late = make_contact(received=NOW - dt.timedelta(days=7))
    contact = make_contact(received=NOW)
    client, manager = signed_in_client(app, "senior_manager")
    for mine in (contact, late):
        record(mine, "allocated", now=NOW, role="head_of_service", details={"staff_id": manager.id})
    db.session.commit()
    page = client.get(f"/staff/contacts/{contact.id}")
    token = csrf_token(page.get_data(as_text=True))
    assert soup(page).select_one("form[action$='/urgent']") is not None
    empty = client.post(f"/staff/contacts/{contact.id}/urgent", data={"urgent-csrf_token": token})
    assert empty.status_code == 400
    assert "Write why it is urgent" in soup(empty).select_one(".error-summary").get_text()
    done = client.post(
        f"/staff/contacts/{contact.id}/urgent",
        data={"urgent-csrf_token": token, "urgent-text": REASON},
    )
    assert done.status_code == 303
    order = [a.get_text(strip=True) for a in soup(client.get("/staff/tracker")).select("th a")]
    assert order == [contact.reference, late.reference]
    after = soup(client.get(f"/staff/contacts/{contact.id}"))
    assert after.select_one("form[action$='/urgent']") is None  # not offered twice
    assert REASON in after.main.get_text()
    forged = client.post(
        f"/staff/contacts/{contact.id}/urgent",
        data={"urgent-csrf_token": token, "urgent-text": "again"},
    )
    assert forged.status_code == 409
    assert "marked urgent already" in soup(forged).select_one(".error-summary").get_text()


def test_the_report_counts_urgent_contacts(app: Flask) -> None:
    for _ in range(3):
        make_contact(urgent=True)
    for _ in range(3):
        record(make_contact(), "marked_urgent", now=LATER, role="head_of_service", text=REASON)
    make_contact()
    db.session.commit()
    head, _ = signed_in_client(app, "head_of_service")
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in soup(head.get("/staff/reports")).select(".summary-row")
    }
    assert rows["Urgent"] == "6" and rows["Contacts"] == "7"
    # Safe to share, 6 urgent of 7 would say 1 was not: vic sees the 7 and not the 6.
    vic, _ = signed_in_client(app, "vic")
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in soup(vic.get("/staff/reports")).select(".summary-row")
    }
    assert rows["Urgent"] == "not shown" and rows["Contacts"] == "7"


def test_a_senior_role_takes_urgent_off_with_the_reason(app: Flask) -> None:
    """Nothing could take urgent off a contact: now a senior role can, with the reason, and the
    contact goes back to its place by its due time; the report still counts it urgent."""
    contact = make_contact(urgent=True)  # the child pressed "I don't feel safe"
    for role in ("customer_relations", "senior_manager"):
        if role == "customer_relations":
            with pytest.raises(contacts.Refused, match="senior_role_needed"):
                record(contact, "urgent_lifted", now=LATER, role=role, text="Safe now.")
            db.session.rollback()
    with pytest.raises(contacts.Refused, match="reason_needed"):
        record(contact, "urgent_lifted", now=LATER, role="head_of_service", text="  ")
    db.session.rollback()
    record(contact, "urgent_lifted", now=LATER, role="head_of_service", text="Spoke: safe now.")
    db.session.commit()
    assert not contact.urgent and contact.events[-1].text == "Spoke: safe now."
    with pytest.raises(contacts.Refused, match="not_urgent"):
        record(contact, "urgent_lifted", now=LATER, role="head_of_service", text="Again.")
    db.session.rollback()
    # Marked again later, it is urgent again; lifted and finished, it may not change.
    record(contact, "marked_urgent", now=LATER, role="customer_relations", text=REASON)
    assert contact.urgent
    close(contact, LATER)
    with pytest.raises(contacts.Refused, match="finished"):
        record(contact, "urgent_lifted", now=LATER, role="head_of_service", text="Done.")
    db.session.rollback()


def test_from_the_contact_page_urgent_comes_off_and_the_report_still_counts_it(
    app: Flask,
) -> None:
    app.config["FIXED_NOW"] = LATER
    late = make_contact(received=NOW - dt.timedelta(days=7))
    contact = make_contact(received=NOW, urgent=True)
    db.session.commit()
    relations, _ = signed_in_client(app, "customer_relations")
    page = relations.get(f"/staff/contacts/{contact.id}")
    assert soup(page).select_one("form[action$='/not-urgent']") is None  # not offered to them
    forged = relations.post(
        f"/staff/contacts/{contact.id}/not-urgent",
        data={
            "not-urgent-csrf_token": csrf_token(page.get_data(as_text=True)),
            "not-urgent-text": "Not urgent.",
        },
    )
    assert forged.status_code == 409
    assert "Only a Head of Service" in soup(forged).select_one(".error-summary").get_text()
    client, _ = signed_in_client(app, "head_of_service")
    order = [a.get_text(strip=True) for a in soup(client.get("/staff/tracker")).select("th a")]
    assert order == [contact.reference, late.reference]
    page = client.get(f"/staff/contacts/{contact.id}")
    token = csrf_token(page.get_data(as_text=True))
    assert soup(page).select_one("form[action$='/not-urgent']") is not None
    empty = client.post(
        f"/staff/contacts/{contact.id}/not-urgent", data={"not-urgent-csrf_token": token}
    )
    assert empty.status_code == 400
    assert "Write why it is no longer urgent" in soup(empty).select_one(".error-summary").get_text()
    done = client.post(
        f"/staff/contacts/{contact.id}/not-urgent",
        data={"not-urgent-csrf_token": token, "not-urgent-text": "Spoke to her: safe tonight."},
    )
    assert done.status_code == 303
    after = soup(client.get(f"/staff/contacts/{contact.id}"))
    assert after.select_one("h1 .urgent") is None
    assert "No longer urgent" in after.select_one(".timeline").get_text()
    assert after.select_one("form[action$='/not-urgent']") is None
    assert after.select_one("form[action$='/urgent']") is not None  # it can be marked again
    order = [a.get_text(strip=True) for a in soup(client.get("/staff/tracker")).select("th a")]
    assert order == [late.reference, contact.reference]  # the late one is first now
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in soup(client.get("/staff/reports")).select(".summary-row")
    }
    assert rows["Urgent"] == "1", rows  # urgent once, counted: the lift is in the timeline
