"""The permission ladder: every role against every staff route and action (allowed, or 403)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contact
from app.roles import Role
from app.staff.contact import ACTIONS
from tests.helpers import csrf_token, make_contact, record, soup
from tests.journey import send_message
from tests.staff_helpers import make_staff, signed_in_client

WORDS = "My social worker does not call me back."
NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def a_contact(app: Flask) -> Contact:
    child = app.test_client()
    reference = send_message(child)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    return contact


def token_for(client: FlaskClient) -> str:
    return csrf_token(client.get("/staff/sign-in").get_data(as_text=True))


# The ladder, written out by hand from DESIGN.md ("Staff roles") and app/roles.py, and never
# asked of the code under test: a change to who may do what must change this table too.
# Y: allowed (the page answers 200; the action is let through to its form and rules).
# N: refused with 403 (and the refusal changes nothing).
Y, N = True, False
ROLES = (
    "customer_relations",
    "customer_relations_lead",
    "head_of_service",
    "senior_manager",
    "vic",
    "admin",
    "iro",
)

# fmt: off
#                           customer  customer  head of  senior
#                           relations rel lead  service  manager  vic  admin  iro
PAGES = {
    "/staff/tracker":       (Y,        Y,        Y,       Y,       N,   N,   N),
    "/staff/contacts/new":  (Y,        Y,        Y,       N,       N,   N,   N),
    "/staff/reports":       (N,        N,        Y,       N,       Y,   N,   N),
    "/staff/audit":         (N,        N,        Y,       N,       N,   Y,   N),
    "/staff/audit.csv":     (N,        N,        Y,       N,       N,   N,   N),
    "/staff/accounts":      (N,        N,        N,       N,       N,   Y,   N),
    "/staff/accounts/new":  (N,        N,        N,       N,       N,   Y,   N),
    "/staff/mail-problems": (N,        N,        Y,       N,       N,   Y,   N),
    "/staff/reports.csv":   (N,        N,        Y,       N,       Y,   N,   N),
    "/staff/reports/young-people":
                            (N,        N,        Y,       N,       Y,   N,   N),
    "/staff/you-said-we-did":
                            (N,        N,        Y,       N,       Y,   N,   N),
    "/staff/awareness":     (N,        N,        N,       N,       N,   N,   Y),
}

# On a contact allocated to the member of staff: its page, then each action by its name in
# app/staff/contact.py's ACTIONS (every action must be listed here).
CONTACT_PAGE =              (Y,        Y,        Y,       Y,       N,   N,   N)
# The other pages about one contact, by what follows /staff/contacts/<id>.
CONTACT_PAGES = {
    "/app-words":           (Y,        Y,        Y,       Y,       N,   N,   N),
    "/subject-access":      (N,        N,        Y,       N,       N,   N,   N),
    "/subject-access.json": (N,        N,        Y,       N,       N,   N,   N),
}
ACTIONS_ALLOWED = {
    "read":                 (Y,        Y,        Y,       N,       N,   N,   N),
    "urgent":               (Y,        Y,        Y,       Y,       N,   N,   N),
    # Let through to the rules, which keep taking urgent off to the senior roles (409).
    "not-urgent":           (Y,        Y,        Y,       Y,       N,   N,   N),
    "more-info":            (Y,        Y,        Y,       N,       N,   N,   N),
    "reply":                (Y,        Y,        Y,       Y,       N,   N,   N),
    "allocate":             (N,        N,        Y,       N,       N,   N,   N),
    "failed-try":           (Y,        Y,        Y,       Y,       N,   N,   N),
    "spoke":                (Y,        Y,        Y,       Y,       N,   N,   N),
    "safeguarding":         (N,        Y,        Y,       Y,       N,   N,   N),
    "share":                (N,        N,        Y,       Y,       N,   N,   N),
    "pass-praise-on":       (N,        N,        Y,       Y,       N,   N,   N),
    "update":               (Y,        Y,        Y,       Y,       N,   N,   N),
    "note":                 (Y,        Y,        Y,       Y,       N,   N,   N),
    "propose-close":        (N,        N,        N,       Y,       N,   N,   N),
    "close":                (Y,        Y,        Y,       N,       N,   N,   N),
    "ask-feedback":         (Y,        Y,        Y,       N,       N,   N,   N),
    "feedback":             (Y,        Y,        Y,       N,       N,   N,   N),
    "reopen":               (Y,        Y,        Y,       N,       N,   N,   N),
    "app-words":            (Y,        Y,        Y,       Y,       N,   N,   N),
    "about":                (Y,        Y,        Y,       N,       N,   N,   N),
    "hand-over":            (Y,        Y,        Y,       N,       N,   N,   N),
}
# A contact allocated to nobody: only these roles see it, or may act on it at all.
SEES_EVERY_CONTACT =        (Y,        Y,        Y,       N,       N,   N,   N)

# Changes to another member of staff's account.
ACCOUNT_CHANGES = {
    "disable":              (N,        N,        N,       N,       N,   Y,   N),
    "enable":               (N,        N,        N,       N,       N,   Y,   N),
    "reset":                (N,        N,        N,       N,       N,   Y,   N),
    "team":                 (N,        N,        N,       N,       N,   Y,   N),
}
# fmt: on

# What an allowed action may answer: done, its form's errors (only a token is sent), or the
# first-contact rule. Anything else (404 for a renamed action, a 500) fails the ladder.
LET_THROUGH = {303, 400, 409}


def test_the_ladder_lists_every_role_page_and_action(page_app: Flask) -> None:
    assert set(ROLES) == {role.value for role in Role}
    assert set(ACTIONS_ALLOWED) == set(ACTIONS), "add each new action to the ladder"
    staff_pages = {
        rule.rule
        for rule in page_app.url_map.iter_rules()
        if rule.endpoint.startswith("staff.") and "GET" in rule.methods and not rule.arguments
    }
    assert staff_pages - {"/staff/", "/staff/sign-in"} == set(PAGES), "add each new page"
    contact_pages = {
        rule.rule.removeprefix("/staff/contacts/<int:contact_id>")
        for rule in page_app.url_map.iter_rules()
        if rule.endpoint.startswith("staff.") and "GET" in rule.methods and rule.arguments
    }
    # The one-time link's page is for whoever holds the link (tests/test_accounts_browser.py).
    contact_pages.discard("/staff/welcome/<token>")
    assert contact_pages == {"", *CONTACT_PAGES}, "add each new page about a contact"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_against_each_page(app: Flask, role: str) -> None:
    column = ROLES.index(role)
    client, _ = signed_in_client(app, role)
    for url, allowed in PAGES.items():
        status = client.get(url).status_code
        assert status == (200 if allowed[column] else 403), (role, url, status)


def events_of(contact: Contact) -> list[str]:
    db.session.refresh(contact)
    return [event.kind for event in contact.events]


def check_actions(
    client: FlaskClient, role: str, contact: Contact, allowed: dict[str, bool]
) -> None:
    token = token_for(client)
    for name, may in allowed.items():
        before = events_of(contact)
        response = client.post(
            f"/staff/contacts/{contact.id}/{name}", data={f"{name}-csrf_token": token}
        )
        if may:
            assert response.status_code in LET_THROUGH, (role, name, response.status_code)
        else:
            assert response.status_code == 403, (role, name, response.status_code)
            assert events_of(contact) == before, (role, name, "a refusal changed the contact")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_against_each_action_on_a_contact(app: Flask, role: str) -> None:
    column = ROLES.index(role)
    client, user = signed_in_client(app, role)
    theirs, nobodys = make_contact(words=WORDS), make_contact(words=WORDS)
    if role in ("senior_manager", "head_of_service"):  # the only roles a contact goes to
        record(theirs, "allocated", now=NOW, role="head_of_service", details={"staff_id": user.id})
    db.session.commit()
    make_staff("senior_manager")  # someone to allocate to

    for contact, may_see in ((theirs, CONTACT_PAGE), (nobodys, SEES_EVERY_CONTACT)):
        page = client.get(f"/staff/contacts/{contact.id}")
        assert page.status_code == (200 if may_see[column] else 403), (role, contact.id)
        assert (WORDS in page.get_data(as_text=True)) is may_see[column], role
        for url in CONTACT_PAGES:  # what a role may see of a contact it cannot see: nothing
            status = client.get(f"/staff/contacts/{contact.id}{url}").status_code
            expected = CONTACT_PAGES[url][column] and may_see[column]
            assert status == (200 if expected else 403), (role, url, status)

    check_actions(
        client,
        role,
        nobodys,
        {n: a[column] and SEES_EVERY_CONTACT[column] for n, a in ACTIONS_ALLOWED.items()},
    )
    check_actions(client, role, theirs, {n: a[column] for n, a in ACTIONS_ALLOWED.items()})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_against_each_change_to_an_account(app: Flask, role: str) -> None:
    column = ROLES.index(role)
    client, _ = signed_in_client(app, role)
    other = make_staff("customer_relations")
    token = token_for(client)
    for change, allowed in ACCOUNT_CHANGES.items():
        data = {"csrf_token": token}
        if change == "team":
            data = {f"team-{other.id}-csrf_token": token, f"team-{other.id}-team": ""}
        response = client.post(f"/staff/accounts/{other.id}/{change}", data=data)
        assert response.status_code == (303 if allowed[column] else 403), (role, change)
        db.session.refresh(other)
        if change == "disable":
            assert (other.disabled_at is not None) is allowed[column], role
    db.session.refresh(other)
    # Reset by admin: waiting for its owner again; refused: still enrolled.
    assert (other.enrolled_at is None) is ACCOUNT_CHANGES["reset"][column], role


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


def test_a_post_that_brings_the_contact_page_back_is_an_audited_view(app: Flask) -> None:
    """A form sent empty (or made up) shows the whole contact again, the child's words with
    it: in the audit trail as a view, like opening the page."""
    contact = a_contact(app)
    client, user = signed_in_client(app, "customer_relations")
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    response = client.post(
        f"/staff/contacts/{contact.id}/note", data={"note-csrf_token": token_for(client)}
    )
    assert response.status_code == 400
    assert WORDS in response.get_data(as_text=True)  # the page, with the child's words
    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > (before or 0), AuditEvent.contact_id.is_not(None))
    ).all()
    assert [(a.action, a.contact_id, a.staff_id) for a in viewed] == [
        ("viewed_contact", contact.id, user.id)
    ]
