"""What no person can type gets a form error in words, never a 500 and never a quiet change:
NUL outside free text (staff sign-in included), bytes that are not UTF-8, a file where text
is expected, a JSON body, and a body too big to read (a kind page)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.forms import FILE_SENT, UNREADABLE, UNTYPABLE
from app.models import AuditEvent, Contact, ContactEvent
from tests.helpers import csrf_token, make_contact, soup
from tests.journey import fill_in
from tests.staff_helpers import PASSWORD, code_for, make_staff, signed_in_client

FORM = "application/x-www-form-urlencoded"


def said(message: Any) -> str:
    """A lazy message in English, as the page says it."""
    with current_app.test_request_context():
        return str(message)


def error_for(response: Any, field_id: str) -> str:
    page = soup(response)
    if not field_id.startswith("note-"):  # the contact page's title does not say it (yet)
        assert page.title.get_text().startswith("Error: ")
    message = page.select_one(f"#{field_id}-error")
    assert message is not None, f"no error shown for {field_id}"
    return message.get_text(" ", strip=True)


# Staff sign-in: a NUL is refused in words (a password with its NUL taken out would be another
# password), and no account is looked up with it.


@pytest.mark.parametrize("field", ["email", "password", "code"])
def test_a_nul_in_any_sign_in_field_is_a_form_error(app: Flask, field: str) -> None:
    user = make_staff("head_of_service")
    client = app.test_client()
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    data = {"email": user.email, "password": PASSWORD, "code": code_for(user)}
    data[field] = data[field][:3] + "\x00" + data[field][3:]
    response = client.post("/staff/sign-in", data={"csrf_token": token, **data})
    assert response.status_code == 200
    assert said(UNTYPABLE) in error_for(response, field)
    assert client.get_cookie("staff") is None
    # No sign-in was tried (making the account is audited, as every account change is).
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.not_like("account:%"))
    ).all()


def test_bytes_that_are_not_utf8_in_sign_in_are_a_form_error(app: Flask) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    body = f"csrf_token={token}&email=a%C0%AF@council.example&password=%FF%FE&code=123456"
    response = client.post("/staff/sign-in", data=body, content_type=FORM)
    assert response.status_code == 200
    assert said(UNREADABLE) in error_for(response, "email")
    assert said(UNREADABLE) in error_for(response, "password")


def test_a_file_for_the_password_is_a_form_error(app: Flask) -> None:
    user = make_staff("head_of_service")
    client = app.test_client()
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    response = client.post(
        "/staff/sign-in",
        data={
            "csrf_token": token,
            "email": user.email,
            "password": (io.BytesIO(PASSWORD.encode()), "password.txt"),
            "code": code_for(user),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert said(FILE_SENT) in error_for(response, "password")
    assert client.get_cookie("staff") is None


# Staff actions on a contact.


def note(client: FlaskClient, contact: Contact, **post: Any) -> Any:
    return client.post(f"/staff/contacts/{contact.id}/note", **post)


def staff_and_contact(app: Flask) -> tuple[FlaskClient, Contact, str]:
    contact = make_contact()
    client, _ = signed_in_client(app, "customer_relations")
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    return client, contact, token


def notes(contact: Contact) -> list[str | None]:
    return list(
        db.session.scalars(
            select(ContactEvent.text).where(
                ContactEvent.contact_id == contact.id, ContactEvent.kind == "note"
            )
        )
    )


@pytest.mark.parametrize("escaped", ["%FF", "%C0%AF", "%ED%A0%80", "ok%E2%82"])
def test_percent_escaped_bytes_that_are_not_utf8_are_a_form_error(app: Flask, escaped: str) -> None:
    client, contact, token = staff_and_contact(app)
    body = f"note-csrf_token={token}&note-text=Rang+{escaped}+twice"
    response = note(client, contact, data=body, content_type=FORM)
    assert response.status_code == 400
    assert said(UNREADABLE) in error_for(response, "note-text")
    assert notes(contact) == []


def test_raw_bytes_that_are_not_utf8_are_a_form_error_in_a_multipart_body(app: Flask) -> None:
    client, contact, token = staff_and_contact(app)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="note-csrf_token"\r\n\r\n'
        + token.encode()
        + b'\r\n--B\r\nContent-Disposition: form-data; name="note-text"\r\n\r\nRang \xff\xfe\r\n'
        + b"--B--\r\n"
    )
    response = note(client, contact, data=body, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400
    assert said(UNREADABLE) in error_for(response, "note-text")
    assert notes(contact) == []


def test_what_people_really_type_is_kept_exactly(app: Flask) -> None:
    """A typed "%FF" arrives escaped as %25FF, and a typed U+FFFD as valid UTF-8: both are
    words, kept as written, in a urlencoded body and in a multipart one."""
    client, contact, token = staff_and_contact(app)
    typed = "Saved 100%FF and café \ufffd"
    assert note(client, contact, data={"note-csrf_token": token, "note-text": typed}).status_code
    multipart = note(
        client,
        contact,
        data={"note-csrf_token": token, "note-text": typed + " again", "x": (io.BytesIO(), "")},
        content_type="multipart/form-data",
    )
    assert multipart.status_code == 303
    assert notes(contact) == [typed, typed + " again"]


def test_a_file_where_a_note_is_expected_is_a_form_error(app: Flask) -> None:
    client, contact, token = staff_and_contact(app)
    response = note(
        client,
        contact,
        data={"note-csrf_token": token, "note-text": (io.BytesIO(b"\x89PNG\r\n"), "photo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert said(FILE_SENT) in error_for(response, "note-text")
    assert notes(contact) == []


def test_a_staff_body_too_big_to_read_gets_a_kind_staff_page(app: Flask) -> None:
    client, contact, token = staff_and_contact(app)
    text = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = note(client, contact, data={"note-csrf_token": token, "note-text": text})
    assert response.status_code == 413
    page = soup(response)
    assert page.h1.get_text(strip=True) == "That was too much to send at once"
    assert "make it shorter" in page.get_text()
    assert page.select_one("body.staff") is not None  # the staff layout
    assert notes(contact) == []


# The child's journey.


def child_on_words(app: Flask) -> tuple[FlaskClient, str]:
    client = app.test_client()
    fill_in(client)
    return client, csrf_token(client.get("/tell-us/words").get_data(as_text=True))


def words_kept(client: FlaskClient) -> bool:
    return "My social worker does not call me back." in client.get("/tell-us/check").get_data(
        as_text=True
    )


def test_a_childs_words_with_bytes_that_are_not_utf8_are_asked_for_again(app: Flask) -> None:
    client, token = child_on_words(app)
    body = f"csrf_token={token}&words=Nobody+%C0%AF+rings"
    response = client.post("/tell-us/words", data=body, content_type=FORM)
    assert response.status_code == 200
    assert said(UNREADABLE) in error_for(response, "words")
    assert words_kept(client)  # what they sent before is still there


def test_a_file_for_the_childs_words_is_asked_for_again(app: Flask) -> None:
    client, token = child_on_words(app)
    response = client.post(
        "/tell-us/words",
        data={"csrf_token": token, "words": (io.BytesIO(b"GIF89a"), "me.gif")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert said(FILE_SENT) in error_for(response, "words")
    assert words_kept(client)


def test_a_json_body_is_not_a_form(app: Flask) -> None:
    client, _ = child_on_words(app)
    response = client.post("/tell-us/words", json={"words": 1, "csrf_token": 2})
    assert response.status_code == 200
    assert soup(response).select_one(".error-summary") is not None
    assert words_kept(client)


def test_a_child_body_too_big_to_read_gets_a_kind_page(app: Flask) -> None:
    client, token = child_on_words(app)
    words = "I want to tell you everything. " * 40_000  # over 1 MiB
    response = client.post("/tell-us/words", data={"csrf_token": token, "words": words})
    assert response.status_code == 413
    page = soup(response)
    assert page.title.get_text().startswith("That was too much to send at once")
    assert "Nothing was sent" in page.get_text()
    assert page.select_one("body.staff") is None  # the child's layout, not the staff's
    assert words_kept(client)


def test_a_nul_in_a_childs_words_is_still_only_taken_out(app: Flask) -> None:
    """DESIGN.md: in a person's own words, NUL is removed, not refused."""
    client, token = child_on_words(app)
    response = client.post("/tell-us/words", data={"csrf_token": token, "words": "Help\x00 me"})
    assert response.status_code == 303
    assert "Help me" in client.get("/tell-us/check").get_data(as_text=True)
