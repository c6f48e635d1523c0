"""The tracker: order, filters, pages, the working time left, htmx, and logging a contact."""

from __future__ import annotations

import datetime as dt
import json

from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contact
from app.staff.auth import AUTO_REFRESH
from tests.helpers import A_PROMISE, close, csrf_token, make_contact, soup
from tests.staff_helpers import signed_in_client

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


def make(received: dt.datetime, urgent: bool = False, kind: str = "not_kept") -> Contact:
    return make_contact(kind, received=received, urgent=urgent)


def references(page: object) -> list[str]:
    return [a.get_text(strip=True) for a in soup(page).select("#tracker tbody th a")]


def test_urgent_first_then_late_then_by_deadline(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    late = make(MONDAY_NOON - dt.timedelta(days=7))
    soon = make(MONDAY_NOON - dt.timedelta(days=1))
    later = make(MONDAY_NOON - dt.timedelta(hours=1))
    urgent = make(MONDAY_NOON - dt.timedelta(minutes=5), urgent=True)
    done = make(MONDAY_NOON - dt.timedelta(days=8))
    close(done, MONDAY_NOON)
    db.session.commit()
    client, _ = signed_in_client(app, "customer_relations")
    page = client.get("/staff/tracker")
    assert references(page) == [
        urgent.reference,
        late.reference,
        soon.reference,
        later.reference,
        done.reference,
    ]
    rows = {row.th.a.get_text(strip=True): row for row in soup(page).select("#tracker tbody tr")}
    assert "hours late" in rows[late.reference].get_text()
    # Sent Sunday 12:00, due the end of Tuesday: 36 working hours left on Monday at noon.
    assert "due in 36 working hours" in rows[soon.reference].get_text()
    assert "Urgent" in rows[urgent.reference].get_text()


def test_filters_and_pages(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    for n in range(30):
        make(MONDAY_NOON - dt.timedelta(minutes=n + 1), kind="praise" if n % 3 == 0 else "not_kept")
    urgent = make(MONDAY_NOON - dt.timedelta(days=9), urgent=True)
    client, _ = signed_in_client(app, "head_of_service")
    first = soup(client.get("/staff/tracker"))
    assert len(first.select("#tracker tbody tr")) == 25
    assert "31 contacts" in first.get_text()
    following = first.find("a", string="Next page")["href"]
    second = soup(client.get(following))
    assert len(second.select("#tracker tbody tr")) == 6
    assert second.find("a", string="Next page") is None
    back = soup(client.get(second.find("a", string="Previous page")["href"]))
    assert [a.get_text() for a in back.select("#tracker tbody th a")] == [
        a.get_text() for a in first.select("#tracker tbody th a")
    ]
    everything = [
        a.get_text() for page in (first, second) for a in page.select("#tracker tbody th a")
    ]
    last = soup(client.get("/staff/tracker?last=1"))  # the last 25, in the same order
    assert [a.get_text() for a in last.select("#tracker tbody th a")] == everything[-25:]
    assert last.find("a", string="Next page") is None
    assert last.find("a", string="Previous page") is not None
    assert references(client.get("/staff/tracker?urgent=1")) == [urgent.reference]
    assert references(client.get("/staff/tracker?late=1")) == [urgent.reference]
    assert len(references(client.get("/staff/tracker?kind=praise"))) == 10
    assert references(client.get("/staff/tracker?mine=1")) == []
    assert len(references(client.get("/staff/tracker?stage=1"))) == 25


def test_htmx_asks_for_the_table_alone(app: Flask) -> None:
    client, _ = signed_in_client(app, "customer_relations")
    full = client.get("/staff/tracker")
    assert 'hx-trigger="every 30s"' in full.get_data(as_text=True)
    partial = client.get("/staff/tracker", headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert "<html" not in text and 'id="tracker"' in text
    assert "HX-Request" in partial.headers["Vary"]


def test_the_refresh_marks_itself_as_nobodys_request(app: Flask) -> None:
    client, _ = signed_in_client(app, "customer_relations")
    table = soup(client.get("/staff/tracker")).select_one("#tracker")
    assert table["hx-trigger"] == "every 30s"
    assert json.loads(table["hx-headers"]) == {AUTO_REFRESH: "true"}
    # Nothing inside the table makes requests of its own that would inherit the header.
    assert not table.select("[hx-get], [hx-post], [hx-boost]")


def test_the_refresh_every_30_seconds_is_not_audited(app: Flask) -> None:
    client, user = signed_in_client(app, "customer_relations")

    def views() -> int:
        return len(
            db.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.staff_id == user.id, AuditEvent.action == "viewed_tracker"
                )
            ).all()
        )

    client.get("/staff/tracker")
    assert views() == 1
    for _ in range(5):
        refreshed = client.get(
            "/staff/tracker", headers={"HX-Request": "true", AUTO_REFRESH: "true"}
        )
        assert refreshed.status_code == 200
    assert views() == 1
    client.get("/staff/tracker?page=1", headers={"HX-Request": "true"})  # a person asked
    assert views() == 2


def test_customer_relations_log_a_phone_call(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, _ = signed_in_client(app, "customer_relations")
    page = client.get("/staff/contacts/new").get_data(as_text=True)
    key = BeautifulSoup(page, "html.parser").select_one("input[name=submission_key]")["value"]
    data = {
        "csrf_token": csrf_token(page),
        "submission_key": key,
        "channel": "phone",
        "received_at": "2026-11-20T16:30",
        "kind": "not_kept",
        "promises": [A_PROMISE],
        "words": "Rang to say nobody explained the move.",
        "helper": "carer",
        "name": "Jo",
    }
    response = client.post("/staff/contacts/new", data=data)
    assert response.status_code == 303
    assert client.post("/staff/contacts/new", data=data).status_code == 303  # resubmitted
    logged = db.session.scalars(select(Contact).where(Contact.channel == "phone")).all()
    assert len(logged) == 1
    # Friday 16:30 in London: the clock starts then, so it is due on Tuesday at 16:30.
    assert logged[0].due_at == dt.datetime(2026, 11, 24, 16, 30, tzinfo=dt.UTC)
    assert logged[0].reach == {"name": "Jo"}


def test_a_contact_cannot_be_logged_in_the_future(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, _ = signed_in_client(app, "customer_relations")
    page = client.get("/staff/contacts/new").get_data(as_text=True)
    response = client.post(
        "/staff/contacts/new",
        data={
            "csrf_token": csrf_token(page),
            "submission_key": "k",
            "channel": "email",
            "received_at": "2026-12-01T09:00",
            "kind": "praise",
            "promises": ["other"],
            "words": "Thanks",
            "helper": "nobody",
        },
    )
    assert response.status_code == 200
    assert "That time has not come yet" in response.get_data(as_text=True)


def test_every_view_is_audited_without_the_childs_words(app: Flask) -> None:
    contact = make(MONDAY_NOON)
    client, user = signed_in_client(app, "head_of_service")
    client.get("/staff/tracker?urgent=1")
    client.get(f"/staff/contacts/{contact.id}")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.staff_id == user.id)).all()
    actions = [event.action for event in events]
    assert actions[:3] == ["signed_in", "viewed_tracker", "viewed_contact"]
    assert events[2].contact_id == contact.id
    assert "words" not in str([event.details for event in events])
    trail = client.get("/staff/audit").get_data(as_text=True)
    assert "viewed_contact" in trail and user.email in trail
