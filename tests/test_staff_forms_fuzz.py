"""Whatever arrives at any staff form, as a role that may use it, the answer is never a 5xx;
a refusal says why, and nothing is recorded unless the answer is a redirect to the result.

The staff side of tests/test_tell_us_fuzz.py: sign-in, logging a contact, every action on a
contact and the account changes, with hostile values sent as a browser would (urlencoded),
as bytes that are not UTF-8, and as files in a multipart body.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db, limiter
from app.models import Contact, ContactEvent
from app.roles import Can, Role, can
from app.staff.contact import ACTIONS, form_for
from app.staff.log import LogForm
from tests.helpers import A_PROMISE, csrf_token, make_contact, soup
from tests.staff_helpers import make_staff, signed_in_client

NASTY = st.sampled_from(
    [
        "x" * 6000,
        "\x00",
        "a\x00b",
        "\u200b",
        "\u202eevil\u202c",
        "مرحبا",
        "<script>alert(1)</script>",
        "'; DROP TABLE contact; --",
        "",
        " ",
        "²",
        "٣",
        "9" * 24,
        "-1",
        "0001-01-01T00:00",
        "1999-12-31T23:59",
        "2026-11-20T16:30",
        "9999-12-31T23:59",
        "phone",
        "not_kept",
        "could_not_reach",
        A_PROMISE,
        "other",
        "1",
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=200))
ERROR_TITLES = {"Sorry, that did not work", "Sorry, we could not understand that"}
ESCAPES = st.sampled_from(["%FF", "%C0%AF", "%ED%A0%80", "%E2%82", "%00"])
HOW = st.sampled_from(["form", "escaped", "files"])
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    fields: tuple[str, ...]
    permission: Can | None  # None: anyone may post it (sign-in)
    event: str | None = None  # the event a contact action records


@dataclass
class Staff:
    contact_id: int
    clients: dict[Role, FlaskClient]
    tokens: dict[Role, str]
    stranger: FlaskClient
    stranger_token: str


def targets(app: Flask, contact_id: int, victim_id: int) -> list[Target]:
    with app.test_request_context():
        log_fields = tuple(f.name for f in LogForm())
        found = [
            Target("sign-in", "/staff/sign-in", ("csrf_token", "email", "password", "code"), None),
            Target("log", "/staff/contacts/new", log_fields, Can.LOG_CONTACT),
        ]
        for name, action in ACTIONS.items():
            fields = tuple(f.name for f in form_for(name))
            url = f"/staff/contacts/{contact_id}/{name}"
            found.append(Target(name, url, fields, action.permission, action.event))
    for change in ("reset", "disable", "enable"):
        url = f"/staff/accounts/{victim_id}/{change}"
        found.append(Target(change, url, ("csrf_token",), Can.ACCOUNTS))
    # The pages' own forms that are not about one contact (issues 10 and 14).
    found += [
        Target("team", f"/staff/accounts/{victim_id}/team", ("csrf_token", "team"), Can.ACCOUNTS),
        Target(
            "new-account",
            "/staff/accounts/new",
            ("csrf_token", "name", "email", "role", "team"),
            Can.ACCOUNTS,
        ),
        Target(
            "awareness",
            "/staff/awareness",
            ("csrf_token", "reviewed_on", "age_band", "shared"),
            Can.RECORD_AWARENESS,
        ),
        Target(
            "you-said",
            "/staff/you-said-we-did",
            ("csrf_token", "promise_key", "you_said", "we_did"),
            Can.PUBLISH_YOU_SAID,
        ),
        Target(
            "publish", "/staff/you-said-we-did/1/publish", ("csrf_token",), Can.PUBLISH_YOU_SAID
        ),
    ]
    return found


def staff_for(app: Flask) -> tuple[Staff, list[Target]]:
    """Made once per test (hypothesis runs many examples on one app)."""
    if "fuzz" not in app.extensions:
        contact = make_contact()
        clients: dict[Role, FlaskClient] = {}
        for role in Role:
            client, user = signed_in_client(app, role.value)
            if role is Role.SENIOR_MANAGER:
                contact.allocated_to_id = user.id
                db.session.commit()
            clients[role] = client
        tokens = {
            role: csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
            for role, client in clients.items()
        }
        stranger = app.test_client()
        staff = Staff(
            contact.id,
            clients,
            tokens,
            stranger,
            csrf_token(stranger.get("/staff/sign-in").get_data(as_text=True)),
        )
        victim = make_staff("customer_relations")
        app.extensions["fuzz"] = (staff, targets(app, contact.id, victim.id))
    found: tuple[Staff, list[Target]] = app.extensions["fuzz"]
    return found


def counts(staff: Staff) -> tuple[int, int]:
    events = db.session.scalar(
        select(func.count()).where(ContactEvent.contact_id == staff.contact_id)
    )
    contacts = db.session.scalar(select(func.count()).select_from(Contact))
    return int(events or 0), int(contacts or 0)


def body(values: dict[str, str], token: str, how: str, escape: str) -> dict[str, Any]:
    """The post as a browser sends it, with bytes that are not UTF-8, or with files."""
    if how == "form":
        return {
            "data": {
                name: token if name.endswith("csrf_token") else v for name, v in values.items()
            }
        }
    if how == "escaped":
        pairs = [
            f"{name}={token}" if name.endswith("csrf_token") else f"{name}={escape}{quote(v)}"
            for name, v in values.items()
        ]
        return {"data": "&".join(pairs), "content_type": "application/x-www-form-urlencoded"}
    files: dict[str, Any] = {
        name: token if name.endswith("csrf_token") else (io.BytesIO(v.encode()), "file.txt")
        for name, v in values.items()
    }
    return {"data": files, "content_type": "multipart/form-data"}


@FUZZ
@given(
    which=st.integers(min_value=0, max_value=1000),
    role_pick=st.integers(min_value=0, max_value=10),
    values=st.lists(VALUES, min_size=1, max_size=6),
    how=HOW,
    escape=ESCAPES,
    stale=st.integers(min_value=0, max_value=4),  # 0: a stale token, one post in five
)
def test_any_input_to_any_staff_form(
    app: Flask,
    which: int,
    role_pick: int,
    values: list[str],
    how: str,
    escape: str,
    stale: int,
) -> None:
    staff, found = staff_for(app)
    target = found[which % len(found)]
    allowed = [r for r in Role if target.permission is None or can(r, target.permission)]
    if target.permission is None:
        client, token = staff.stranger, staff.stranger_token
    else:
        role = allowed[role_pick % len(allowed)]
        client, token = staff.clients[role], staff.tokens[role]
    named = {name: values[i % len(values)] for i, name in enumerate(target.fields)}
    before = counts(staff)
    limiter.reset()
    response = client.post(target.url, **body(named, "stale" if stale == 0 else token, how, escape))
    assert response.status_code < 500, (target.name, response.status_code)
    if response.status_code in (303, 302):
        # Done; for sign-in, nothing in the corpus is a real password, so only a redirect.
        if target.event is not None:
            newest = db.session.scalars(
                select(ContactEvent.kind)
                .where(ContactEvent.contact_id == staff.contact_id)
                .order_by(ContactEvent.id.desc())
            ).first()
            assert newest == target.event, (target.name, newest)
        return
    # Refused: said in words, and nothing recorded.
    assert response.status_code in (200, 400, 409), (target.name, response.status_code)
    page = soup(response)
    summary = page.select_one(".error-summary")
    if summary is None:  # a stale token, or an account change that was not a form at all
        assert response.status_code == 400, target.name
        assert page.h1.get_text(strip=True) in ERROR_TITLES, target.name
    else:
        assert summary.select("li") or summary.select("p"), target.name
    assert counts(staff) == before, target.name
    assert target.name != "sign-in" or client.get_cookie("staff") is None
