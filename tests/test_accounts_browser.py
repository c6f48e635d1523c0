"""Accounts in the browser (issue 10, point 7): admin makes, disables, enables and resets
accounts; the new person sets their password and enrols their authenticator through a
one-time link; nobody disables or resets their own account; every change is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from app import staff_accounts
from app.extensions import db
from app.models import AuditEvent, OutboxMessage, StaffLink, StaffUser
from app.timekeeping import now
from tests.helpers import COUNCIL, csrf_token, post_form, soup
from tests.staff_helpers import PASSWORD, make_staff, sign_in, signed_in_client

NEW_PASSWORD = "my own long passphrase"
TEAM = COUNCIL.staff.teams[0]


def make_account(
    admin: FlaskClient, email: str = "robin@council.example", **changes: str
) -> StaffUser:
    form = {"name": "Robin Lee", "email": email, "role": "senior_manager", "team": TEAM.key}
    response = post_form(admin, "/staff/accounts/new", **{**form, **changes})
    assert response.status_code == 303, soup(response).select_one(".error-summary")
    person = staff_accounts.find(db.session(), email)
    assert person is not None
    return person


def link_in_mail(person: StaffUser) -> str:
    """The newest one-time link emailed to `person`: the path after the site's address."""
    mail = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == person.email)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert mail is not None
    found = re.search(r"https?://\S+?(/staff/welcome/\S+)", mail.body)
    assert found is not None, mail.body
    return found.group(1)


def choose_password(
    client: FlaskClient, link: str, password: str = NEW_PASSWORD, code: str | None = None
) -> object:
    if code is None:
        return post_form(client, link, password=password)
    return post_form(client, link, password=password, code=code)


def secret_on(page: object) -> str:
    return soup(page).select_one(".totp-secret").get_text().replace(" ", "")


def confirm(client: FlaskClient, page: object, code: str) -> object:
    token = csrf_token(page.get_data(as_text=True))  # type: ignore[attr-defined]
    return client.post("/staff/welcome/authenticator", data={"csrf_token": token, "code": code})


def enrol(app: Flask, link: str, code: str | None = None) -> tuple[FlaskClient, str]:
    """Follow the link in a fresh browser as its owner would: password (and a reset's code),
    QR code, first code."""
    newcomer = app.test_client()
    page = choose_password(newcomer, link, code=code)
    assert page.status_code == 200
    secret = secret_on(page)
    done = confirm(newcomer, page, pyotp.TOTP(secret).now())
    assert done.status_code == 303 and done.headers["Location"] == "/staff/sign-in"
    return newcomer, secret


def sign_in_as(client: FlaskClient, email: str, password: str, secret: str) -> object:
    code = pyotp.TOTP(secret).at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))
    return post_form(client, "/staff/sign-in", email=email, password=password, code=code)


def test_admin_makes_an_account_and_its_owner_sets_it_up(app: Flask) -> None:
    admin, admin_user = signed_in_client(app, "admin")
    person = make_account(admin)
    assert person.role == "senior_manager" and person.team == TEAM.key
    assert person.enrolled_at is None
    page = soup(admin.get("/staff/accounts")).get_text(" ")
    assert "Waiting for them to set it up" in page and TEAM.name in page

    link = link_in_mail(person)
    (mail,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == person.email)
    )
    assert mail.subject == f"Set up your {COUNCIL.staff.short_name} staff account"
    assert "works once" in mail.body
    # Kept only as a hash.
    token = link.rsplit("/", 1)[1]
    (stored,) = db.session.scalars(select(StaffLink).where(StaffLink.staff_id == person.id))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash

    # Nothing signs in before the owner has set it up: no password anyone knows.
    assert sign_in(app.test_client(), person).status_code == 200

    newcomer = app.test_client()
    opened = newcomer.get(link)
    assert opened.status_code == 200 and person.email in opened.get_data(as_text=True)
    page = choose_password(newcomer, link)
    assert page.status_code == 200
    drawing = soup(page).select_one("svg.qr")
    assert drawing is not None and drawing.select_one("path")["d"].startswith("M")
    assert drawing["role"] == "img" and drawing["aria-label"]
    secret = secret_on(page)
    db.session.refresh(person)
    assert secret == person.totp_secret
    done = confirm(newcomer, page, pyotp.TOTP(secret).now())
    assert done.status_code == 303
    db.session.refresh(person)
    assert person.enrolled_at is not None

    assert sign_in_as(app.test_client(), person.email, NEW_PASSWORD, secret).status_code == 303
    actions = db.session.execute(
        select(AuditEvent.actor, AuditEvent.action)
        .where(AuditEvent.action.like("account:%"))
        .order_by(AuditEvent.id)
    ).all()
    assert [tuple(row) for row in actions][-3:] == [
        (admin_user.email, "account:created"),
        (person.email, "account:password_chosen"),
        (person.email, "account:enrolled"),
    ]


def test_the_link_works_once(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    link = link_in_mail(make_account(admin))
    assert app.test_client().get(link).status_code == 200
    assert app.test_client().get(link).status_code == 200  # opening it uses nothing
    enrol(app, link)
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "no longer works" in again.get_data(as_text=True)
    late = app.test_client()
    token = csrf_token(late.get("/staff/sign-in").get_data(as_text=True))
    posted = late.post(link, data={"csrf_token": token, "password": "someone else's pass"})
    assert posted.status_code == 404


def test_the_link_expires(app: Flask) -> None:
    start = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    app.config["FIXED_NOW"] = start
    admin, _ = signed_in_client(app, "admin")
    link = link_in_mail(make_account(admin))
    app.config["FIXED_NOW"] = start + staff_accounts.LINK_LIFETIME - dt.timedelta(minutes=1)
    assert app.test_client().get(link).status_code == 200
    app.config["FIXED_NOW"] = start + staff_accounts.LINK_LIFETIME
    assert app.test_client().get(link).status_code == 404


def test_a_wrong_code_enrols_nothing_and_the_code_page_does_not_outlive_its_time(
    app: Flask,
) -> None:
    start = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    app.config["FIXED_NOW"] = start
    admin, _ = signed_in_client(app, "admin")
    person = make_account(admin)
    newcomer = app.test_client()
    page = choose_password(newcomer, link_in_mail(person))
    wrong = confirm(newcomer, page, "000000")
    assert wrong.status_code == 400 and "That code is not right" in wrong.get_data(as_text=True)
    db.session.refresh(person)
    assert person.enrolled_at is None
    app.config["FIXED_NOW"] = start + staff_accounts.ENROLMENT_TIME + dt.timedelta(minutes=1)
    late = confirm(newcomer, wrong, pyotp.TOTP(secret_on(page)).at(app.config["FIXED_NOW"]))
    assert late.status_code == 409 and "no longer works" in late.get_data(as_text=True)
    db.session.refresh(person)
    assert person.enrolled_at is None
    # And nobody else's browser can finish it.
    stranger = app.test_client()
    token = csrf_token(stranger.get("/staff/sign-in").get_data(as_text=True))
    forged = stranger.post("/staff/welcome/authenticator", data={"csrf_token": token, "code": "1"})
    assert forged.status_code == 404


def test_a_short_password_is_refused_in_words_and_the_link_still_works(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    link = link_in_mail(make_account(admin))
    short = choose_password(app.test_client(), link, "too short")
    assert short.status_code == 400
    assert "at least 12 characters" in soup(short).select_one(".error-summary").get_text()
    assert app.test_client().get(link).status_code == 200


def test_nobody_disables_or_resets_their_own_account(app: Flask) -> None:
    admin, me = signed_in_client(app, "admin")
    for change in (staff_accounts.disable, staff_accounts.enable):
        with pytest.raises(staff_accounts.AccountError) as refused:
            change(db.session(), me.email, dt.datetime.now(dt.UTC), by=me)
        assert refused.value.code == "own_account"
    with app.test_request_context():
        from app.staff.admin import desk

        with pytest.raises(staff_accounts.AccountError):
            staff_accounts.reset(
                db.session(), me.email, by=me, desk=desk(), now=dt.datetime.now(dt.UTC)
            )
    db.session.rollback()
    row = next(
        tr for tr in soup(admin.get("/staff/accounts")).select("tbody tr") if me.email in tr.text
    )
    assert "This is you" in row.get_text() and not row.select("form[action$=disable]")
    token = csrf_token(admin.get("/staff/accounts").get_data(as_text=True))
    for change in ("disable", "reset"):
        forged = admin.post(f"/staff/accounts/{me.id}/{change}", data={"csrf_token": token})
        assert forged.status_code == 409, change
        assert "your own account" in soup(forged).select_one(".error-summary").get_text()
    db.session.refresh(me)
    assert me.disabled_at is None and me.enrolled_at is not None
    assert admin.get("/staff/accounts").status_code == 200  # still signed in


def reset_by_admin(admin: FlaskClient, person: StaffUser) -> str:
    """Admin resets `person`'s account: the page shows the reset code once."""
    token = csrf_token(admin.get("/staff/accounts").get_data(as_text=True))
    response = admin.post(f"/staff/accounts/{person.id}/reset", data={"csrf_token": token})
    assert response.status_code == 303
    page = soup(admin.get(response.headers["Location"]))
    shown = page.select_one(".reset-code-value")
    assert shown is not None and person.email in page.select_one(".reset-code").get_text()
    assert soup(admin.get("/staff/accounts")).select_one(".reset-code") is None  # once
    return str(shown.get_text(strip=True))


def test_a_reset_ends_the_old_password_authenticator_and_sessions(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    them, person = signed_in_client(app, "customer_relations")
    old_secret = person.totp_secret
    code = reset_by_admin(admin, person)
    assert them.get("/staff/tracker").status_code == 302  # signed out everywhere
    assert sign_in_as(app.test_client(), person.email, PASSWORD, old_secret).status_code == 200
    _, secret = enrol(app, link_in_mail(person), code=code.lower().replace("-", ""))
    assert secret != old_secret
    assert sign_in_as(app.test_client(), person.email, PASSWORD, secret).status_code == 200
    assert sign_in_as(app.test_client(), person.email, NEW_PASSWORD, secret).status_code == 303


def test_the_mailbox_alone_cannot_take_a_reset_account(app: Flask) -> None:
    """ASVS 5.0 6.4.3: a reset does not bypass the second factor. The emailed link alone no
    longer sets a password and authenticator: it needs the code admin gave by phone or in
    person, which is in no email; wrong codes are counted and end the link."""
    admin, _ = signed_in_client(app, "admin")
    _, person = signed_in_client(app, "customer_relations")
    code = reset_by_admin(admin, person)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code), code
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == person.email)
    ).all()
    assert mails and not any(code in m.body or code.replace("-", "") in m.body for m in mails)
    link = link_in_mail(person)
    stranger = app.test_client()
    page = soup(stranger.get(link))
    assert page.select_one("#code") is not None
    missing = choose_password(stranger, link)
    assert missing.status_code == 400
    assert "Enter the reset code" in soup(missing).select_one(".error-summary").get_text()
    wrong = "ABCD-EFGH" if code != "ABCD-EFGH" else "HGFE-DCBA"
    for n in range(1, staff_accounts.RESET_CODE_MISSES):
        refused = choose_password(stranger, link, code=wrong)
        assert refused.status_code == 400, n
        assert "reset code is not right" in soup(refused).select_one(".error-summary").get_text()
    db.session.refresh(person)
    assert person.enrolled_at is None and person.password_hash == staff_accounts.NOTHING_MATCHES
    misses = db.session.scalar(
        select(StaffLink.code_misses)
        .where(StaffLink.staff_id == person.id)
        .order_by(StaffLink.id.desc())
    )
    assert misses == staff_accounts.RESET_CODE_MISSES - 1
    ended = choose_password(stranger, link, code=wrong)  # the last miss ends the link
    assert ended.status_code == 404
    assert stranger.get(link).status_code == 404  # ended: even the right code is too late
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "account:reset_code_wrong")
    ).all()
    assert len(actions) == staff_accounts.RESET_CODE_MISSES
    # A second reset gives a new link and code; the code from the first does not open it.
    second_code = reset_by_admin(admin, person)
    second = link_in_mail(person)
    if second_code != code:
        assert choose_password(app.test_client(), second, code=code).status_code == 400
    enrol(app, second, code=second_code)


def test_a_new_account_link_asks_for_no_code(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    person = make_account(admin)
    assert soup(app.test_client().get(link_in_mail(person))).select_one("#code") is None


def test_a_reset_before_the_first_link_was_used_ends_that_link(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    person = make_account(admin)
    first = link_in_mail(person)
    reset_by_admin(admin, person)
    second = link_in_mail(person)
    assert first != second
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200


def test_disable_and_enable(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    them, person = signed_in_client(app, "customer_relations")
    token = csrf_token(admin.get("/staff/accounts").get_data(as_text=True))
    assert (
        admin.post(f"/staff/accounts/{person.id}/disable", data={"csrf_token": token}).status_code
        == 303
    )
    assert them.get("/staff/tracker").status_code == 302
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    code = pyotp.TOTP(person.totp_secret).at(later)
    assert sign_in(app.test_client(), person, code=code).status_code == 200
    row = next(
        tr
        for tr in soup(admin.get("/staff/accounts")).select("tbody tr")
        if person.email in tr.text
    )
    assert "Disabled" in row.get_text() and row.select("form[action$=enable]")
    assert (
        admin.post(f"/staff/accounts/{person.id}/enable", data={"csrf_token": token}).status_code
        == 303
    )
    assert sign_in(app.test_client(), person, code=code).status_code == 303
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("account:%")).order_by(AuditEvent.id)
    ).all()
    assert list(actions)[-2:] == ["account:disabled", "account:enabled"]


def test_the_new_account_form_refuses_in_words(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    taken = make_staff("vic")
    for changes, words in (
        ({"email": taken.email}, "already an account"),
        ({"email": "not-an-address"}, "Enter an email address"),
        ({"team": "no_such_team"}, "Not a valid choice"),
        ({"role": "king"}, "Not a valid choice"),
        ({"name": ""}, "Enter their name"),
    ):
        form = {"name": "Robin", "email": "robin@council.example", "role": "vic", "team": ""}
        response = post_form(admin, "/staff/accounts/new", **{**form, **changes})
        assert response.status_code == 400, changes
        assert words in soup(response).select_one(".error-summary").get_text(), changes
        assert soup(response).title.get_text().startswith("Error: ")
    assert staff_accounts.find(db.session(), "robin@council.example") is None


def test_admin_changes_a_team(app: Flask) -> None:
    admin, _ = signed_in_client(app, "admin")
    person = make_staff("senior_manager")
    token = csrf_token(admin.get("/staff/accounts").get_data(as_text=True))
    response = admin.post(
        f"/staff/accounts/{person.id}/team",
        data={f"team-{person.id}-csrf_token": token, f"team-{person.id}-team": TEAM.key},
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.team == TEAM.key
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "account:team_changed")
    ).details == {"account": person.email, "role": "senior_manager", "team": TEAM.key}


def test_the_command_line_still_makes_accounts_with_a_team(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=[
            "staff",
            "create",
            "cli@council.example",
            "--role",
            "customer_relations_lead",
            "--team",
            TEAM.key,
        ]
    )
    assert made.exit_code == 0, made.output
    person = staff_accounts.find(db.session(), "cli@council.example")
    assert person is not None and person.team == TEAM.key and person.enrolled_at is not None
    assert sign_in(app.test_client(), person).status_code == 303
    wrong = runner.invoke(
        args=["staff", "create", "x@council.example", "--role", "vic", "--team", "nowhere"]
    )
    assert wrong.exit_code != 0 and "not a team" in wrong.output
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account:created"))
    assert audit is not None and audit.actor == "command line"


def test_wrong_codes_sent_at_once_are_all_counted(app: Flask) -> None:
    """Another worker's wrong codes, committed after this request read the link, still count:
    the misses are added up in the database, not written over from the row as read."""
    admin, _ = signed_in_client(app, "admin")
    _, person = signed_in_client(app, "customer_relations")
    code = reset_by_admin(admin, person)
    token = link_in_mail(person).rsplit("/", 1)[1]
    moment = now()
    # This request has read the link (held, as a request holds it while it checks the code).
    read = db.session.scalar(
        select(StaffLink).where(StaffLink.staff_id == person.id).order_by(StaffLink.id.desc())
    )
    assert read is not None and read.code_misses == 0
    # Meanwhile four wrong codes from elsewhere (on the same connection, behind the ORM's back).
    db.session.connection().execute(
        update(StaffLink)
        .where(StaffLink.staff_id == person.id)
        .values(code_misses=staff_accounts.RESET_CODE_MISSES - 1)
    )
    wrong = "ABCD-EFGH" if code != "ABCD-EFGH" else "HGFE-DCBA"
    with pytest.raises(staff_accounts.AccountError) as refused:
        staff_accounts.choose_password(db.session(), token, NEW_PASSWORD, moment, code=wrong)
    assert refused.value.code == "link_not_valid"  # the fifth miss ended the link
    assert staff_accounts.link_owner(db.session(), token, moment) is None
