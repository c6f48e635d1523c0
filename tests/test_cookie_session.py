"""The session cookie checked once and remembered (app/cookie_session.py): only a cookie of
choices is remembered, only after its signature was checked, and only for its own lifetime."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.testing import FlaskClient

from app.cookie_session import CHOICES, CookieSessions
from tests.helpers import choose, post_form
from tests.journey import send_message


def remembered(app: Flask) -> list[dict[str, object]]:
    sessions = app.session_interface
    assert isinstance(sessions, CookieSessions)
    return [data for data, _ in sessions._checked.values()]


def test_a_cookie_of_choices_is_checked_once_and_remembered(page_app: Flask) -> None:
    client = page_app.test_client()
    choose(client, "5_to_9", symbols=True)
    first = client.get("/promises").get_data(as_text=True)
    kept = remembered(page_app)
    assert any(data.get("age") == "5_to_9" and data.get("symbols") is True for data in kept)
    # Remembered, the page is still the one for this child's choices.
    assert client.get("/promises").get_data(as_text=True) == first


def test_a_childs_card_is_never_remembered(page_app: Flask) -> None:
    client = page_app.test_client()
    choose(client, "10_plus")
    post_form(client, "/my-card", worker_name="Sam Smith", worker_phone="07700 900 982")
    client.get("/talk-to-someone")
    assert "Sam Smith" in client.get("/talk-to-someone").get_data(as_text=True)
    assert not any("worker_name" in data for data in remembered(page_app))
    assert "Sam Smith" not in repr(remembered(page_app))


def test_a_changed_cookie_is_checked_afresh_and_refused(page_app: Flask) -> None:
    client = page_app.test_client()
    choose(client, "under_5")
    client.get("/promises")
    cookie = client.get_cookie("session")
    assert cookie is not None
    forged = cookie.value[:-2] + ("AA" if not cookie.value.endswith("AA") else "BB")
    client.set_cookie("session", forged)
    # Refused: no age band chosen, so the page asks for one first.
    assert client.get("/promises").status_code == 302


def test_a_remembered_cookie_lasts_no_longer_than_the_cookie(
    page_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = page_app.test_client()
    choose(client, "10_plus")
    assert client.get("/promises").status_code == 200
    assert remembered(page_app)
    lifetime = page_app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/promises").status_code == 302  # expired: asked to choose again


def test_new_keys_forget_every_remembered_cookie(page_app: Flask) -> None:
    client = page_app.test_client()
    choose(client, "10_plus")
    client.get("/promises")
    assert remembered(page_app)
    secret = page_app.config["SECRET_KEY"]
    page_app.config["SECRET_KEY"] = "another key, as after a rotation with no fallback"
    try:
        assert client.get("/promises").status_code == 302  # signed with the old key: refused
        assert remembered(page_app) == []
    finally:
        page_app.config["SECRET_KEY"] = secret


def test_a_sent_message_is_never_remembered(client: FlaskClient) -> None:
    """After a send the session holds the message's secret and reference: checked each time."""
    choose(client, "10_plus")
    send_message(client)
    client.get("/tell-us/sent")
    client.get("/promises")
    assert client.get_cookie("session") is not None
    assert all(set(data) <= CHOICES for data in remembered(client.application))
    assert not any("messages" in data or "sent" in data for data in remembered(client.application))


@pytest.mark.parametrize("refresh", [False, True])
@pytest.mark.parametrize("permanent", [False, True])
@pytest.mark.parametrize("modified", [False, True])
@pytest.mark.parametrize("accessed", [False, True])
@pytest.mark.parametrize("held", [{}, {"age": "10_plus"}])
@pytest.mark.parametrize("vary", [None, "Accept-Encoding", "Cookie, Accept-Encoding"])
def test_saving_a_session_answers_what_flasks_own_saving_does(
    page_app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    refresh: bool,
    permanent: bool,
    modified: bool,
    accessed: bool,
    held: dict[str, str],
    vary: str | None,
) -> None:
    """CookieSessions answers the commonest case (a cookie read, left as it was) before Flask's
    save_session: every header, Set-Cookie and Vary included, must be what Flask's gives."""
    monkeypatch.setitem(page_app.config, "SESSION_REFRESH_EACH_REQUEST", refresh)
    answers = []
    for interface in (CookieSessions(), SecureCookieSessionInterface()):
        session = SecureCookieSession(dict(held))
        session.permanent = permanent
        session.modified, session.accessed = modified, accessed
        response = page_app.response_class(headers={"Vary": vary} if vary else {})
        with page_app.test_request_context("/"):
            interface.save_session(page_app, session, response)
        answers.append(
            [
                (name, value.split(";", 1)[1] if name == "Set-Cookie" else value)
                for name, value in response.headers
            ]  # a cookie's value is signed with the time: its attributes are what may differ
        )
    assert answers[0] == answers[1]
