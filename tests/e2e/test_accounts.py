"""Accounts in the browser, in Chromium (issue 10, point 7): admin makes an account, the new
person follows the one-time link, chooses a password, enrols an authenticator (a TOTP
computed from the key the page shows) and signs in; axe on every page on the way. And the
child's status page once their complaint is handed over to Stage 1 (point 9)."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import pyotp
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app import contacts
from app.council import office
from app.extensions import db
from app.models import OutboxMessage
from tests.e2e.support import Live, choose, page_problems
from tests.e2e.test_staff_loop import make_staff, staff_page
from tests.helpers import A_PROMISE, COUNCIL

NEW_PASSWORD = "a passphrase of my very own"
WORDS = "apple tiger river"


def link_for(live: Live, email: str) -> str:
    with live.app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
    assert body is not None
    found = re.search(r"https?://\S+?(/staff/welcome/\S+)", body)
    assert found is not None, body
    return found.group(1)


def check(page: Page, name: str, seen: dict[str, list[str]]) -> None:
    problems = page_problems(page)
    if problems:
        seen[name] = problems


def test_admin_makes_an_account_and_its_owner_enrols_and_signs_in(
    browser: Browser, live_server: Live
) -> None:
    seen: dict[str, list[str]] = {}
    admin = make_staff(live_server, "admin", "Ada Admin")
    admin_context, page = staff_page(browser, live_server, admin)
    page.get_by_role("link", name="Accounts").click()
    check(page, "accounts", seen)
    page.get_by_role("link", name="Make an account").click()
    page.get_by_role("button", name="Make the account and email the link").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter their name")
    check(page, "new account with errors", seen)
    page.get_by_label("Their name").fill("Robin Lee")
    page.get_by_label("Their work email address").fill("robin.lee@council.example")
    page.locator("input[name=role][value=customer_relations_lead]").check()
    page.get_by_label("Team").select_option(label=COUNCIL.staff.teams[0].name)
    page.get_by_role("button", name="Make the account and email the link").click()
    expect(page.locator(".flash")).to_contain_text("one-time link")
    row = page.locator("tbody tr", has_text="robin.lee@council.example")
    expect(row).to_contain_text("Waiting for them to set it up")
    check(page, "accounts after", seen)
    admin_context.close()

    link = link_for(live_server, "robin.lee@council.example")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    newcomer = context.new_page()
    newcomer.goto(link)
    check(newcomer, "welcome", seen)
    newcomer.get_by_label("Choose a password").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Continue").click()
    expect(newcomer.locator("svg.qr")).to_be_visible()
    check(newcomer, "authenticator", seen)
    secret = newcomer.locator(".totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    newcomer.get_by_label("Code from your authenticator app").fill(totp.now())
    newcomer.get_by_role("button", name="Confirm and finish").click()
    expect(newcomer.locator(".flash")).to_contain_text("Your account is ready")
    expect(newcomer.locator("h1")).to_have_text("Sign in")

    newcomer.get_by_label("Email address").fill("robin.lee@council.example")
    newcomer.get_by_label("Password").fill(NEW_PASSWORD)
    # A code works once: the next 30-second step's, which the app accepts for clock drift.
    newcomer.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + 30))
    newcomer.get_by_role("button", name="Sign in").click()
    expect(newcomer.locator("form.sign-out")).to_contain_text("Robin Lee")
    expect(newcomer.get_by_role("link", name="Tracker")).to_be_visible()

    used = context.new_page()
    used.goto(link)
    expect(used.locator("h1")).to_have_text("This link does not work")
    check(used, "used link", seen)
    context.close()
    assert not seen, seen


def test_a_reset_asks_for_the_code_admin_gave(browser: Browser, live_server: Live) -> None:
    """Admin resets an account and reads the code off the page once; its owner types it with
    a new password on the emailed link's page, enrols again and signs in. axe on both."""
    seen: dict[str, list[str]] = {}
    admin = make_staff(live_server, "admin", "Ada Admin")
    person = make_staff(live_server, "customer_relations", "Kit Reset")
    admin_context, page = staff_page(browser, live_server, admin)
    page.goto("/staff/accounts")
    row = page.locator("tbody tr", has_text=person.email)
    row.get_by_role("button", name="Reset password and authenticator").click()
    expect(page.locator(".reset-code")).to_contain_text(f"{person.email} is reset")
    code = page.locator(".reset-code-value").inner_text().strip()
    check(page, "accounts, reset code shown", seen)
    admin_context.close()

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    owner = context.new_page()
    owner.goto(link_for(live_server, person.email))
    owner.get_by_label("Choose a password").fill(NEW_PASSWORD)
    owner.get_by_role("button", name="Continue").click()
    expect(owner.locator(".error-summary")).to_contain_text("Enter the reset code")
    check(owner, "welcome after a reset, with an error", seen)
    owner.get_by_label("The reset code your admin gave you").fill(code.lower())
    owner.get_by_label("Choose a password").fill(NEW_PASSWORD)
    owner.get_by_role("button", name="Continue").click()
    secret = owner.locator(".totp-secret").inner_text().replace(" ", "")
    owner.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    owner.get_by_role("button", name="Confirm and finish").click()
    expect(owner.locator(".flash")).to_contain_text("Your account is ready")
    owner.get_by_label("Email address").fill(person.email)
    owner.get_by_label("Password").fill(NEW_PASSWORD)
    owner.get_by_label("Code from your authenticator app").fill(
        pyotp.TOTP(secret).at(time.time() + 30)
    )
    owner.get_by_role("button", name="Sign in").click()
    expect(owner.locator("form.sign-out")).to_contain_text("Kit Reset")
    context.close()
    assert not seen, seen


def test_the_childs_page_after_the_hand_over(browser: Browser, live_server: Live) -> None:
    """A complaint made through the rules (any council's promise), handed over after the
    conversation; the child finds it with its reference and words, with and without symbols."""
    seen: dict[str, list[str]] = {}
    for symbols in (False, True):
        with live_server.app.app_context(), live_server.app.test_request_context():
            now = dt.datetime.now(dt.UTC)
            answers = contacts.Answers(
                kind="not_kept", promises=(A_PROMISE,), words="I want to complain.", helper="nobody"
            )
            contact = contacts.submit(
                db.session(),
                answers,
                submission_key=uuid.uuid4().hex,
                access_secret=contacts.new_access_secret(),
                memorable_words=WORDS,
                now=now,
                office=office(),
            )
            by = contacts.By(role="customer_relations")
            for kind, details in (("spoke_to_child", {}), ("handed_over", {"agreed": "yes"})):
                contacts.record(
                    db.session(), contact, kind, now=now, office=office(), by=by, details=details
                )
            reference = contact.reference
            db.session.commit()
        context = browser.new_context(base_url=live_server.url)
        child = context.new_page()
        choose(child, "10_plus", symbols=symbols)
        child.goto("/messages/find")
        child.locator("input[name=reference]").fill(reference)
        child.locator("input[name=words]").fill(WORDS)
        child.locator("form[action='/messages/find'] button[type=submit]").click()
        expect(child.locator(".handed-over h2")).to_be_visible()
        check(child, f"status page, symbols {symbols}", seen)
        context.close()
    assert not seen, seen
