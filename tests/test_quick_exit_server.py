"""The quick exit's own URL forgets everything, with or without JavaScript."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.helpers import COUNCIL, choose, post_form


def test_exit_clears_the_session_and_the_device_then_leaves(page_client: FlaskClient) -> None:
    choose(page_client, "5_to_9", symbols=True)
    post_form(page_client, "/my-card", worker_name="Sam", worker_phone="07700 900 982")
    response = page_client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == COUNCIL.council.exit_url
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert response.headers["Cache-Control"] == "no-store"
    assert page_client.get_cookie("session") is None
    assert page_client.get("/promises").status_code == 302  # the age is forgotten too
    assert "Sam" not in page_client.get("/talk-to-someone").get_data(as_text=True)


def test_exit_links_do_not_leak_where_the_child_was(page_client: FlaskClient) -> None:
    response = page_client.get("/help")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert 'rel="nofollow noreferrer"' in response.get_data(as_text=True)


def test_the_pages_say_honestly_that_history_is_not_erased(page_client: FlaskClient) -> None:
    text = page_client.get("/your-information").get_data(as_text=True)
    assert "It does not clear your browser history" in text


def test_every_page_with_answers_reference_or_status_is_never_stored(client: FlaskClient) -> None:
    from tests.journey import fill_in, send_message

    fill_in(client)
    for url in ("/tell-us/what", "/tell-us/words", "/tell-us/check", "/tell-us/not-safe"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url
    reference = send_message(client)
    for url in ("/tell-us/sent", "/messages", f"/messages/{reference}", "/messages/find"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_forgetting_my_messages_revokes_this_phones_access_on_the_server(app: object) -> None:
    from flask import Flask
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import ContactAccess
    from tests.journey import send_message

    assert isinstance(app, Flask)
    client = app.test_client()
    reference = send_message(client)
    stolen_cookie = client.get_cookie("session")
    assert stolen_cookie is not None
    post_form(client, "/messages", action="/messages/forget")
    assert db.session.scalar(select(func.count()).select_from(ContactAccess)) == 0
    # A copy of the old cookie, kept from before, opens nothing now.
    thief = app.test_client()
    thief.set_cookie("session", stolen_cookie.value)
    assert thief.get(f"/messages/{reference}").status_code == 404
