"""Mail problems: the emails the outbox gave up on, shown to Head of Service and admin only."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OutboxMessage
from tests.helpers import COUNCIL, soup
from tests.staff_helpers import signed_in_client

MONDAY_10 = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
BODY = "Reference: ABC234 Open it: https://promise.council.example/staff/contacts/7"


def mail(key: str, *, gave_up: bool = False, sent: bool = False) -> OutboxMessage:
    message = OutboxMessage(
        dedupe_key=key,
        recipient=f"{key}@council.example",
        subject=f"New {COUNCIL.staff.short_name} message {key.upper()}",
        body=BODY,
        created_at=MONDAY_10,
        next_attempt_at=MONDAY_10,
        attempts=8 if gave_up else 1,
        sent_at=MONDAY_10 if sent else None,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused" if gave_up else None,
        gave_up_at=MONDAY_10 + dt.timedelta(hours=3) if gave_up else None,
    )
    db.session.add(message)
    db.session.commit()
    return message


@pytest.mark.parametrize("role", ["head_of_service", "admin"])
def test_head_of_service_and_admin_see_what_gave_up(app: Flask, role: str) -> None:
    mail("lost", gave_up=True)
    mail("waiting")
    mail("done", sent=True)
    client, staff = signed_in_client(app, role)
    page = soup(client.get("/staff/mail-problems"))
    nav = page.select_one("nav[aria-label='Staff']")
    assert nav is not None and nav.find("a", href="/staff/mail-problems") is not None
    [row] = page.select("main tbody tr")
    cells = [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
    assert cells == [
        "lost@council.example",
        f"New {COUNCIL.staff.short_name} message LOST",
        "8",
        "ConnectionRefusedError: [Errno 111] Connection refused",
        "23 Nov 2026, 10:00",  # London time, which is UTC in November
        "23 Nov 2026, 13:00",
    ]
    assert BODY not in page.get_text() and "https://" not in page.main.get_text()
    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "viewed_mail_problems")
    ).all()
    assert [(event.staff_id, event.details) for event in viewed] == [(staff.id, {"shown": 1})]


def test_the_page_says_so_when_nothing_gave_up(app: Flask) -> None:
    mail("waiting")
    client, _ = signed_in_client(app, "head_of_service")
    page = soup(client.get("/staff/mail-problems"))
    assert page.select("main table") == []
    assert "No email has been given up on" in page.main.get_text()


@pytest.mark.parametrize("role", ["customer_relations", "senior_manager", "vic"])
def test_nobody_else_sees_it_or_its_link(app: Flask, role: str) -> None:
    mail("lost", gave_up=True)
    client, _ = signed_in_client(app, role)
    response = client.get("/staff/mail-problems")
    assert response.status_code == 403
    assert "lost@council.example" not in response.get_data(as_text=True)
    home = client.get("/staff/reports" if role == "vic" else "/staff/tracker")
    assert "/staff/mail-problems" not in home.get_data(as_text=True)
