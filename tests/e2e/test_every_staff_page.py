"""Every staff page, for every role that may open it, loaded once and checked as the child
pages are (support.problems_at_every_size): axe, targets of 44 by 44 px on a phone, nothing
scrolling sideways at 320 px nor on a phone with its text at 200%.

The pages come from the app's own url_map, so a new staff page is checked without a word
here; one needing an id is opened with a seeded contact or a live one-time link (FILL), and
a page with an id nobody said how to fill fails the test. The states the pages take after an
action (errors, open forms, filters) are checked in test_staff_loop.py and its neighbours.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask, url_for
from playwright.sync_api import Browser
from sqlalchemy import select

from app import staff_accounts
from app.extensions import db
from app.models import OutboxMessage, StaffUser
from app.roles import Role
from app.staff.admin import desk
from tests.e2e.support import Live, problems_at_every_size
from tests.e2e.test_staff_loop import make_staff, staff_page
from tests.helpers import make_contact, record

SIGNED_OUT = {"staff.sign_in", "staff.welcome"}


def staff_pages(app: Flask, fill: dict[str, object]) -> dict[str, str]:
    """Every staff page a browser can open (GET, not a download), by endpoint: its URL."""
    pages = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/staff") or "GET" not in (rule.methods or ()):
                continue
            if rule.rule.endswith((".csv", ".json")):
                continue  # a file to save, not a page
            unfilled = set(rule.arguments) - fill.keys()
            assert not unfilled, f"{rule.rule}: say in FILL what to open it with ({unfilled})"
            pages[rule.endpoint] = url_for(rule.endpoint, **{a: fill[a] for a in rule.arguments})
    return pages


def a_welcome_link(live: Live, admin_id: int) -> str:
    """The token of a one-time link, as a newcomer gets it by email."""
    with live.app.test_request_context(base_url=live.url):
        session = db.session()
        admin = session.get(StaffUser, admin_id)
        assert admin is not None
        email = "newcomer@council.example"
        staff_accounts.invite(
            session,
            email,
            role=Role.CUSTOMER_RELATIONS,
            name="Nia Newcomer",
            team=None,
            by=admin,
            desk=desk(),
            now=dt.datetime.now(dt.UTC),
        )
        session.commit()
        body = session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.recipient == email)
        ).first()
    found = re.search(r"/staff/welcome/(\S+)", body or "")
    assert found is not None, body
    return found.group(1)


def test_every_staff_page_for_every_role(browser: Browser, live_server: Live) -> None:
    people = {
        role: make_staff(live_server, role.value, f"{role.name.title()} Person") for role in Role
    }
    with live_server.app.app_context():
        by_email = {
            user.email: user.id
            for user in db.session.scalars(
                select(StaffUser).where(
                    StaffUser.email.in_([person.email for person in people.values()])
                )
            )
        }
        contact = make_contact()
        record(
            contact,
            "allocated",
            now=dt.datetime.now(dt.UTC),
            role="head_of_service",
            details={"staff_id": by_email[people[Role.SENIOR_MANAGER].email]},
        )
        db.session.commit()
        contact_id = contact.id
    token = a_welcome_link(live_server, by_email[people[Role.ADMIN].email])
    pages = staff_pages(live_server.app, {"contact_id": contact_id, "token": token})
    found: dict[str, object] = {}
    opened: set[str] = set()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    for endpoint in SIGNED_OUT:
        response = page.goto(pages[endpoint])
        assert response is not None and response.status == 200, endpoint
        opened.add(endpoint)
        for check, detail in problems_at_every_size(page).items():
            found[f"{pages[endpoint]} (signed out), {check}"] = detail
    context.close()

    for role, person in people.items():
        context, page = staff_page(browser, live_server, person)
        page.wait_for_load_state()
        for endpoint, url in pages.items():
            if endpoint in SIGNED_OUT:
                continue
            response = page.goto(url)
            assert response is not None
            if response.status in (403, 404):
                continue  # not this role's page (the permission ladder is tested without a browser)
            assert response.status == 200, (role, url, response.status)
            assert "/staff/sign-in" not in page.url, f"{role} was signed out at {url}"
            opened.add(endpoint)
            for check, detail in problems_at_every_size(page).items():
                found[f"{url} ({role.value}), {check}"] = detail
        context.close()

    assert opened == set(pages), f"no role could open {set(pages) - opened}"
    assert not found, "\n\n".join(f"{where}:\n{detail}" for where, detail in found.items())
