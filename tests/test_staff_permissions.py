"""The permission ladder: every role against every staff route and action (allowed, or 403)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contact
from app.roles import Can, Role, can
from app.staff.contact import ACTIONS
from tests.helpers import csrf_token, soup
from tests.journey import send_message
from tests.staff_helpers import signed_in_client

WORDS = "My social worker does not call me back."


def a_contact(app: Flask) -> Contact:
    child = app.test_client()
    reference = send_message(child)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    return contact


def token_for(client: FlaskClient) -> str:
    return csrf_token(client.get("/staff/sign-in").get_data(as_text=True))


PAGES = {
    "/staff/tracker": Can.SEE_CONTACTS,
    "/staff/contacts/new": Can.LOG_CONTACT,
    "/staff/reports": Can.REPORTS,
    "/staff/audit": Can.AUDIT,
    "/staff/accounts": Can.ACCOUNTS,
    "/staff/mail-problems": Can.SEE_MAIL_PROBLEMS,
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_against_each_page(app: Flask, role: Role) -> None:
    client, _ = signed_in_client(app, role.value)
    for url, permission in PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if can(role, permission) else 403), (role, url, status)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_against_each_action_on_a_contact(app: Flask, role: Role) -> None:
    contact = a_contact(app)
    client, _ = signed_in_client(app, role.value)
    page = client.get(f"/staff/contacts/{contact.id}")
    sees_all = can(role, Can.SEE_ALL_CONTACTS)
    assert page.status_code == (200 if sees_all else 403), role
    if sees_all:
        assert WORDS in page.get_data(as_text=True)
    else:
        assert WORDS not in page.get_data(as_text=True)
    for name, action in ACTIONS.items():
        response = client.post(
            f"/staff/contacts/{contact.id}/{name}", data={f"{name}-csrf_token": token_for(client)}
        )
        allowed = can(role, action.permission) and sees_all
        if allowed:
            assert response.status_code != 403, (role, name)
        else:
            assert response.status_code == 403, (role, name, response.status_code)


def test_a_senior_manager_sees_only_what_is_allocated_to_them(app: Flask) -> None:
    mine, theirs = a_contact(app), a_contact(app)
    head, _ = signed_in_client(app, "head_of_service")
    manager, _ = signed_in_client(app, "senior_manager", "Sam Patel")
    page = soup(head.get(f"/staff/contacts/{mine.id}"))
    option = next(
        o for o in page.select("#allocate-staff_id option") if o.get_text().startswith("Sam Patel")
    )
    response = head.post(
        f"/staff/contacts/{mine.id}/allocate",
        data={"allocate-csrf_token": token_for(head), "allocate-staff_id": option["value"]},
    )
    assert response.status_code == 303
    assert manager.get(f"/staff/contacts/{mine.id}").status_code == 200
    assert manager.get(f"/staff/contacts/{theirs.id}").status_code == 403
    tracker = manager.get("/staff/tracker").get_data(as_text=True)
    assert mine.reference in tracker and theirs.reference not in tracker
    forged = manager.post(
        f"/staff/contacts/{theirs.id}/note",
        data={"note-csrf_token": token_for(manager), "note-text": "sneaky"},
    )
    assert forged.status_code == 403
    refusals = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "refused")).all()
    assert any(event.contact_id == theirs.id for event in refusals)


def test_vic_sees_counts_only(app: Flask) -> None:
    a_contact(app)
    client, _ = signed_in_client(app, "vic")
    text = client.get("/staff/reports").get_data(as_text=True)
    assert "fewer than 5" in text
    assert WORDS not in text and "Jo" not in soup(client.get("/staff/reports")).main.get_text()


def test_admin_manages_accounts_and_sees_no_contact_content(app: Flask) -> None:
    contact = a_contact(app)
    client, _ = signed_in_client(app, "admin")
    assert client.get("/staff/accounts").status_code == 200
    assert client.get(f"/staff/contacts/{contact.id}").status_code == 403
    assert client.get("/staff/tracker").status_code == 403
    audit = client.get("/staff/audit").get_data(as_text=True)
    assert WORDS not in audit


def test_anonymous_visitors_see_nothing(app: Flask) -> None:
    contact = a_contact(app)
    visitor = app.test_client()
    for url in [*PAGES, f"/staff/contacts/{contact.id}"]:
        response = visitor.get(url)
        assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    token = csrf_token(visitor.get("/my-card").get_data(as_text=True))
    response = visitor.post(
        f"/staff/contacts/{contact.id}/note", data={"csrf_token": token, "note-text": "hello"}
    )
    assert response.status_code == 302
    db.session.refresh(contact)
    assert [event.kind for event in contact.events] == ["sent"]


def test_a_refusal_is_a_staff_page_not_a_childs(app: Flask) -> None:
    client, _ = signed_in_client(app, "vic")
    page = soup(client.get("/staff/tracker"))
    assert page.select_one("form.sign-out") is not None
    assert page.select_one(".exit-button") is None
