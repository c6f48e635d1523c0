"""Dates staff type are bounded where a slip of the keys is not a date anyone meant.

"0001-01-01T00:00" was accepted as when a phone call came in, and every tracker load then
counted working hours across two thousand years until the contact was closed. A contact is
logged within a year of coming in; nothing this service records happened before 2000; the
rules still refuse, in their own words, a time in the future or before the message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Contact, ContactEvent
from tests.helpers import A_PROMISE, csrf_token, make_contact, soup
from tests.staff_helpers import signed_in_client

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
NOT_A_YEAR = "Check the date: it must be within the last year, and not in the future."
NOT_SINCE_2000 = "Check the date: enter when it happened, from 2000 to now."


def log(app: Flask, received_at: str) -> Any:
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, _ = signed_in_client(app, "customer_relations")
    page = client.get("/staff/contacts/new").get_data(as_text=True)
    return client.post(
        "/staff/contacts/new",
        data={
            "csrf_token": csrf_token(page),
            "submission_key": uuid.uuid4().hex,
            "channel": "phone",
            "received_at": received_at,
            "kind": "not_kept",
            "promises": [A_PROMISE],
            "words": "Rang about the move.",
            "helper": "nobody",
        },
    )


def logged() -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.channel == "phone")))


def error_on(response: Any, field_id: str) -> str:
    message = soup(response).select_one(f"#{field_id}-error")
    assert message is not None, soup(response).select_one(".error-summary")
    return message.get_text(" ", strip=True)


@pytest.mark.parametrize(
    "typed", ["0001-01-01T00:00", "1970-01-01T00:00", "2025-11-20T09:00", "9999-12-31T23:59"]
)
def test_a_contact_is_logged_within_a_year_of_coming_in(app: Flask, typed: str) -> None:
    response = log(app, typed)
    assert response.status_code == 200
    assert NOT_A_YEAR in error_on(response, "received_at")
    assert soup(response).title.get_text().startswith("Error: ")
    assert logged() == []


@pytest.mark.parametrize("typed", ["2025-11-24T09:00", "2026-11-23T11:59"])
def test_a_contact_from_inside_the_last_year_is_logged(app: Flask, typed: str) -> None:
    assert log(app, typed).status_code == 303
    assert len(logged()) == 1


def test_a_time_just_ahead_is_still_the_rules_to_refuse(app: Flask) -> None:
    response = log(app, "2026-12-01T09:00")
    assert "That time has not come yet" in response.get_data(as_text=True)
    assert logged() == []


def act(app: Flask, happened_at: str) -> tuple[Any, Contact]:
    contact = make_contact(received=MONDAY_NOON - dt.timedelta(days=1))
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, _ = signed_in_client(app, "customer_relations")
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    response = client.post(
        f"/staff/contacts/{contact.id}/spoke",
        data={"spoke-csrf_token": token, "spoke-how": "phone", "spoke-happened_at": happened_at},
    )
    return response, contact


def spoken(contact: Contact) -> list[ContactEvent]:
    return list(
        db.session.scalars(
            select(ContactEvent).where(
                ContactEvent.contact_id == contact.id, ContactEvent.kind == "spoke_to_child"
            )
        )
    )


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "1999-12-31T23:59", "9999-12-31T23:59"])
def test_when_it_happened_is_from_2000_to_now(app: Flask, typed: str) -> None:
    response, contact = act(app, typed)
    assert response.status_code == 400
    assert NOT_SINCE_2000 in error_on(response, "spoke-happened_at")
    assert spoken(contact) == []


def test_inside_the_bounds_the_rules_speak(app: Flask) -> None:
    response, contact = act(app, "2000-01-01T00:00")
    assert response.status_code == 409
    assert "That is before the message came in" in response.get_data(as_text=True)
    response, contact = act(app, "2026-11-23T09:30")
    assert response.status_code == 303
    assert spoken(contact)[0].at.replace(tzinfo=dt.UTC) == dt.datetime(
        2026, 11, 23, 9, 30, tzinfo=dt.UTC
    )
