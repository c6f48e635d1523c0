"""Staff accounts from the command line, and signing in with a password and a code."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import staff_accounts
from app.extensions import db
from app.models import StaffSession
from tests.helpers import soup
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


def test_ten_tries_in_five_minutes_per_account(app: Flask) -> None:
    user = make_staff("customer_relations")
    statuses = []
    for n in range(11):
        client = app.test_client()
        page = client.get("/staff/sign-in", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        token = soup(page).select_one("input[name=csrf_token]")["value"]
        statuses.append(
            client.post(
                "/staff/sign-in",
                environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
                data={
                    "csrf_token": token,
                    "email": user.email,
                    "password": "wrong password!!",
                    "code": "123456",
                },
            )
        )
    assert [r.status_code for r in statuses[:10]] == [200] * 10
    assert statuses[10].status_code == 429
    assert "Too many tries" in statuses[10].get_data(as_text=True)


def test_ten_tries_in_five_minutes_per_address(app: Flask) -> None:
    client = app.test_client()
    statuses = []
    for n in range(11):
        token = soup(client.get("/staff/sign-in")).select_one("input[name=csrf_token]")["value"]
        statuses.append(
            client.post(
                "/staff/sign-in",
                data={
                    "csrf_token": token,
                    "email": f"someone{n}@council.example",
                    "password": "wrong password!!",
                    "code": "123456",
                },
            ).status_code
        )
    assert statuses == [200] * 10 + [429]


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
    uri = staff_accounts.provisioning_uri(user)
    assert pyotp.parse_uri(uri).now() == pyotp.TOTP(user.totp_secret).now()


def test_the_first_account_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "flask --app app staff create" in readme
