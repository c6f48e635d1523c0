"""Staff accounts from the command line, and signing in with a password and a code."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import staff_accounts, throttle
from app.extensions import db
from app.models import AuditEvent, OutboxMessage, StaffSession, StaffUser
from tests.helpers import COUNCIL, post_form, soup
from tests.staff_helpers import PASSWORD, code_for, make_staff, sign_in, signed_in_client

# OWASP ASVS 5.0 appendix C: argon2id, 46 MiB, one pass, one lane.
OWASP_HASH = "$argon2id$v=19$m=47104,t=1,p=1$"


def test_create_prints_the_second_factor(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    app.config["PASSWORD_HASH_PROFILE"] = "owasp"  # the hashing is under test: the real one
    monkeypatch.setenv("STAFF_PASSWORD", "correct horse battery staple")
    result = app.test_cli_runner().invoke(
        args=[
            "staff",
            "create",
            "Sam@Council.example",
            "--role",
            "senior_manager",
            "--name",
            "Sam Patel",
        ]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    secret = next(line for line in lines if line.startswith("totp-secret: ")).split(": ")[1]
    assert len(secret) == 32 and secret.isalnum()
    uri = next(line for line in lines if line.startswith("otpauth-uri: "))
    assert f"secret={secret}" in uri and "sam%40council.example" in uri
    assert pyotp.parse_uri(uri.split(": ", 1)[1]).issuer == COUNCIL.staff.issuer
    assert "█" in result.output  # the QR code, drawn in the terminal
    user = staff_accounts.find(db.session(), "sam@council.example")
    assert user is not None and user.role == "senior_manager" and user.name == "Sam Patel"
    assert user.password_hash.startswith(OWASP_HASH)
    assert user.totp_secret == secret


def test_the_app_hashes_with_owasps_parameters_unless_a_test_says_otherwise(app: Flask) -> None:
    assert staff_accounts.hasher().hash(PASSWORD).startswith("$argon2id$v=19$m=8,t=1,p=1$")
    app.config.pop("PASSWORD_HASH_PROFILE")
    assert staff_accounts.hasher().hash(PASSWORD).startswith(OWASP_HASH)
    app.config["PASSWORD_HASH_PROFILE"] = "cheapest"
    app.config["TESTING"] = False
    with pytest.raises(RuntimeError, match="for tests only"):
        staff_accounts.hasher()


def test_signing_in_rehashes_a_password_hashed_with_older_parameters(app: Flask) -> None:
    user = make_staff("customer_relations")  # hashed with the cheapest parameters
    assert not user.password_hash.startswith(OWASP_HASH)
    app.config["PASSWORD_HASH_PROFILE"] = "owasp"
    assert sign_in(app.test_client(), user).status_code == 303
    db.session.refresh(user)
    assert user.password_hash.startswith(OWASP_HASH)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    assert sign_in(app.test_client(), user, code=code_for(user, later)).status_code == 303


def test_the_password_can_be_typed_at_a_hidden_prompt(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["staff", "create", "cr@council.example", "--role", "customer_relations"],
        input="a long typed password\na long typed password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long typed password" not in result.output


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["x@council.example", "--role", "admin"], "too short", "at least 12 characters"),
        (["x@council.example", "--role", "king"], "long enough password", "Invalid value"),
    ],
)
def test_create_refuses_clearly(
    app: Flask, monkeypatch: pytest.MonkeyPatch, args: list[str], password: str, message: str
) -> None:
    monkeypatch.setenv("STAFF_PASSWORD", password)
    result = app.test_cli_runner().invoke(args=["staff", "create", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_disable_and_reset_2fa_end_sessions(app: Flask) -> None:
    client, user = signed_in_client(app, "customer_relations")
    assert client.get("/staff/tracker").status_code == 200
    result = app.test_cli_runner().invoke(args=["staff", "reset-2fa", user.email])
    assert result.exit_code == 0 and "totp-secret: " in result.output
    assert client.get("/staff/tracker").status_code == 302  # signed out everywhere
    client, user = signed_in_client(app, "customer_relations")
    result = app.test_cli_runner().invoke(args=["staff", "disable", user.email])
    assert result.exit_code == 0
    assert client.get("/staff/tracker").status_code == 302
    again = app.test_client()
    assert sign_in(again, user).status_code == 200  # refused, with the same message as a typo


def test_sign_in_needs_password_and_code(app: Flask) -> None:
    user = make_staff("customer_relations")
    client = app.test_client()
    for password, code in ((PASSWORD, "000000"), ("wrong password!!", None)):
        response = client.post(
            "/staff/sign-in",
            data={
                "csrf_token": soup(client.get("/staff/sign-in")).select_one(
                    "input[name=csrf_token]"
                )["value"],
                "email": user.email,
                "password": password,
                "code": code or code_for(user),
            },
        )
        assert response.status_code == 200
        assert "The email address, password or code is not right." in response.get_data(
            as_text=True
        )
    assert sign_in(client, user).status_code == 303


def test_a_code_is_accepted_once(app: Flask) -> None:
    user = make_staff("customer_relations")
    code = code_for(user)
    assert sign_in(app.test_client(), user, code=code).status_code == 303
    assert sign_in(app.test_client(), user, code=code).status_code == 200


def test_paste_and_password_managers_are_welcome(page_client: FlaskClient) -> None:
    page = soup(page_client.get("/staff/sign-in"))
    assert page.select_one("#password")["autocomplete"] == "current-password"
    assert page.select_one("#code")["autocomplete"] == "one-time-code"
    assert not page.select("[onpaste]")


MONDAY_TEN = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)  # 10:00 in London too (GMT)
LONDON = zoneinfo.ZoneInfo("Europe/London")


def machine_at(app: Flask, address: str) -> FlaskClient:
    machine = app.test_client()
    machine.environ_base["REMOTE_ADDR"] = address
    return machine


WRONG_GUESS = "wrong password!!"


def try_sign_in(machine: FlaskClient, email: str, password: str = WRONG_GUESS) -> str:
    response = post_form(machine, "/staff/sign-in", email=email, password=password, code="123456")
    assert response.status_code == 200
    summary = soup(response).select_one(".error-summary")
    assert summary is not None
    return str(summary.get_text(" ", strip=True))


def mail_to(user: StaffUser) -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    )


def test_typing_a_colleagues_address_ten_times_does_not_lock_them_out(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_TEN
    user = make_staff("customer_relations", "Sam Patel")
    neighbour = machine_at(app, "192.0.2.50")
    said = [try_sign_in(neighbour, user.email.upper()) for _ in range(10)]
    assert all("The email address, password or code is not right." in s for s in said[:5])
    assert all("Too many wrong tries. Wait 1 minute, then try again." in s for s in said[5:])
    # Sam, at their own machine, signs in at once.
    assert sign_in(machine_at(app, "192.0.2.77"), user).status_code == 303
    # And is told, once, when and what to do; never a password.
    (email,) = mail_to(user)
    assert email.subject == f"Failed sign-ins to your {COUNCIL.staff.short_name} staff account"
    assert "10:00 on Monday 23 November 2026 (Europe/London time)" in email.body
    assert "Tell your admin today." in email.body
    assert WRONG_GUESS not in email.body and PASSWORD not in email.body
    assert "http" not in email.body  # no link to click in an email about sign-ins
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor == user.email))
    assert sorted(actions) == ["sign_in_failed"] * 5 + ["sign_in_throttled"] * 5 + ["signed_in"]


def test_the_wait_doubles_and_only_wrong_tries_count(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_TEN
    user = make_staff("customer_relations")
    machine = machine_at(app, "192.0.2.50")
    for _ in range(5):
        try_sign_in(machine, user.email)
    app.config["FIXED_NOW"] = MONDAY_TEN + dt.timedelta(minutes=1)
    assert "is not right" in try_sign_in(machine, user.email)
    assert "Wait 2 minutes" in try_sign_in(machine, user.email)
    app.config["FIXED_NOW"] = MONDAY_TEN + dt.timedelta(minutes=3)
    assert sign_in(machine, user).status_code == 303  # and the slate is clean again
    assert "is not right" in try_sign_in(machine_at(app, "192.0.2.50"), user.email)
    assert len(mail_to(user)) == 1  # once a day at most


def test_one_machine_cannot_try_every_account(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_TEN
    user = make_staff("customer_relations")
    sprayer = machine_at(app, "192.0.2.50")
    for n in range(staff_accounts.SIGN_IN_ADDRESS.free):
        assert "is not right" in try_sign_in(sprayer, f"someone{n}@council.example")
    assert "Wait 1 minute" in try_sign_in(sprayer, user.email, PASSWORD)
    assert sign_in(machine_at(app, "192.0.2.77"), user).status_code == 303
    assert mail_to(user) == []  # nobody tried Sam's account: nothing to tell


def wrong(session: Session, user: StaffUser, address: str, at: dt.datetime) -> None:
    assert (
        staff_accounts.sign_in(
            session,
            user.email,
            "wrong",
            "123456",
            address=address,
            now=at,
            zone=LONDON,
            service="Tell Us",
        )
        is None
    )
    session.commit()


def test_only_many_addresses_together_slow_an_account_down(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hundred wrong tries a day, from anywhere: at five an address before each waits,
    twenty addresses. (Wrong passwords are told wrong without argon2 here, for speed.)"""
    user = make_staff("customer_relations")
    real = staff_accounts.password_matches
    monkeypatch.setattr(staff_accounts, "password_matches", lambda *_: False)
    session = db.session()
    for n in range(19 * 5):
        wrong(session, user, f"198.51.100.{n // 5}", MONDAY_TEN)
    monkeypatch.setattr(staff_accounts, "password_matches", real)
    mine = "192.0.2.77"
    assert (
        staff_accounts.sign_in(
            session,
            user.email,
            PASSWORD,
            code_for(user, MONDAY_TEN),
            address=mine,
            now=MONDAY_TEN,
            zone=LONDON,
            service="Tell Us",
        )
        is user
    )  # 95 wrong tries: Sam still signs in, and that forgets them
    session.commit()
    monkeypatch.setattr(staff_accounts, "password_matches", lambda *_: False)
    for n in range(20 * 5):
        wrong(session, user, f"203.0.113.{n // 5}", MONDAY_TEN)
    monkeypatch.setattr(staff_accounts, "password_matches", real)
    later = MONDAY_TEN + dt.timedelta(seconds=30)
    with pytest.raises(throttle.Throttled) as refused:
        staff_accounts.sign_in(
            session,
            user.email,
            PASSWORD,
            code_for(user, later),
            address=mine,
            now=later,
            zone=LONDON,
            service="Tell Us",
        )
    assert refused.value.until == MONDAY_TEN + dt.timedelta(minutes=1)
    session.rollback()
    assert len(mail_to(user)) == 1  # told at the first wait, not at every one


def test_right_sign_ins_from_a_shared_office_address_never_add_up(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_staff("customer_relations")
    monkeypatch.setattr(staff_accounts, "password_matches", lambda *_: True)  # argon2 is slow
    session = db.session()
    for n in range(staff_accounts.SIGN_IN_ADDRESS.free + 5):
        at = MONDAY_TEN + n * dt.timedelta(seconds=30)  # a new code for each sign-in
        assert (
            staff_accounts.sign_in(
                session,
                user.email,
                PASSWORD,
                code_for(user, at),
                address="192.0.2.1",
                now=at,
                zone=LONDON,
                service="Tell Us",
            )
            is user
        )
        session.commit()


def test_a_new_session_id_at_sign_in(app: Flask) -> None:
    user = make_staff("customer_relations")
    client = app.test_client()
    client.set_cookie("staff", "planted-by-someone-else")
    sign_in(client, user)
    first = client.get_cookie("staff")
    assert first.value != "planted-by-someone-else"
    assert first.http_only and first.same_site == "Strict"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    sign_in(client, user, code=code_for(user, later))
    assert client.get_cookie("staff").value != first.value


def test_idle_and_absolute_timeouts(app: Flask) -> None:
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    app.config["FIXED_NOW"] = start
    client, _ = signed_in_client(app, "head_of_service")
    for minutes in range(25, 12 * 60, 25):  # busy all day, never idle for 30 minutes
        app.config["FIXED_NOW"] = start + dt.timedelta(minutes=minutes)
        assert client.get("/staff/tracker").status_code == 200, minutes
    app.config["FIXED_NOW"] = start + dt.timedelta(hours=12, minutes=1)
    assert client.get("/staff/tracker").status_code == 302  # 12 hours is the most

    app.config["FIXED_NOW"] = start
    client, _ = signed_in_client(app, "head_of_service")
    app.config["FIXED_NOW"] = start + dt.timedelta(minutes=31)
    assert client.get("/staff/tracker").status_code == 302  # idle for 31 minutes


AUTO_REFRESH = {"HX-Request": "true", "Auto-Refresh": "true"}  # as _table.html asks for it


def test_the_trackers_own_refresh_does_not_keep_a_session_alive(app: Flask) -> None:
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    app.config["FIXED_NOW"] = start
    client, _ = signed_in_client(app, "head_of_service")
    for minutes in range(1, 30):  # the tracker left open: it refreshes, nobody is there
        app.config["FIXED_NOW"] = start + dt.timedelta(minutes=minutes)
        refreshed = client.get("/staff/tracker", headers=AUTO_REFRESH)
        assert refreshed.status_code == 200 and 'id="tracker"' in refreshed.get_data(as_text=True)
    app.config["FIXED_NOW"] = start + dt.timedelta(minutes=31)
    refreshed = client.get("/staff/tracker", headers=AUTO_REFRESH)
    # Not the sign-in page inside the table: htmx is told to go to it.
    assert refreshed.status_code == 204
    assert refreshed.headers["HX-Redirect"] == "/staff/sign-in?next=/staff/tracker"
    assert client.get("/staff/tracker").status_code == 302  # the session has ended


def test_what_a_person_asks_for_keeps_the_session_alive(app: Flask) -> None:
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    app.config["FIXED_NOW"] = start
    client, _ = signed_in_client(app, "head_of_service")
    app.config["FIXED_NOW"] = start + dt.timedelta(minutes=25)
    assert client.get("/staff/tracker", headers={"HX-Request": "true"}).status_code == 200
    app.config["FIXED_NOW"] = start + dt.timedelta(minutes=50)
    assert client.get("/staff/tracker", headers=AUTO_REFRESH).status_code == 200
    app.config["FIXED_NOW"] = start + dt.timedelta(minutes=56)
    assert client.get("/staff/tracker").status_code == 302  # 31 minutes since a person asked


def test_sign_out_is_on_every_page_and_ends_the_session_on_the_server(app: Flask) -> None:
    client, _ = signed_in_client(app, "head_of_service")
    for url in ("/staff/tracker", "/staff/reports", "/staff/audit", "/staff/contacts/new"):
        assert soup(client.get(url)).select_one("form.sign-out button"), url
    cookie = client.get_cookie("staff").value
    token = soup(client.get("/staff/tracker")).select_one("input[name=csrf_token]")["value"]
    response = client.post("/staff/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    thief = app.test_client()
    thief.set_cookie("staff", cookie)  # the old cookie no longer works anywhere
    assert thief.get("/staff/tracker").status_code == 302
    ended = db.session.scalars(db.select(StaffSession)).all()
    assert all(s.ended_at is not None for s in ended)


def test_staff_pages_are_never_cached(app: Flask) -> None:
    client, _ = signed_in_client(app, "customer_relations")
    assert client.get("/staff/tracker").headers["Cache-Control"] == "no-store"


def test_totp_matches_an_authenticator_app(app: Flask) -> None:
    user = make_staff("admin")
    uri = staff_accounts.provisioning_uri(user, "Anytown Pledge")
    assert pyotp.parse_uri(uri).now() == pyotp.TOTP(user.totp_secret).now()
    assert pyotp.parse_uri(uri).issuer == "Anytown Pledge"


def test_the_first_account_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "flask --app app staff create" in readme
