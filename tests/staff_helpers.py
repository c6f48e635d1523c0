"""Staff in tests: accounts made through the rules, signed in through the page."""

from __future__ import annotations

import datetime as dt
import itertools

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from app import staff_accounts
from app.extensions import db
from app.models import StaffUser
from tests.helpers import post_form

PASSWORD = "a long enough passphrase"
_numbers = itertools.count(1)


def make_staff(role: str, name: str = "", email: str = "") -> StaffUser:
    n = next(_numbers)
    user = staff_accounts.create(
        db.session(),
        email or f"{role}{n}@council.example",
        role=role,
        password=PASSWORD,
        name=name or f"{role.replace('_', ' ').title()} {n}",
        now=dt.datetime.now(dt.UTC),
    )
    db.session.commit()
    return user


def code_for(user: StaffUser, at: dt.datetime | None = None) -> str:
    return pyotp.TOTP(user.totp_secret).at(at or dt.datetime.now(dt.UTC))


def sign_in(client: FlaskClient, user: StaffUser, *, code: str | None = None) -> object:
    moment = client.application.config.get("FIXED_NOW") or dt.datetime.now(dt.UTC)
    return post_form(
        client,
        "/staff/sign-in",
        email=user.email,
        password=PASSWORD,
        code=code or code_for(user, moment),
    )


def signed_in_client(app: Flask, role: str, name: str = "") -> tuple[FlaskClient, StaffUser]:
    user = make_staff(role, name)
    client = app.test_client()
    response = sign_in(client, user)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client, user
