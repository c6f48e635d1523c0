"""A child's words arrive exactly as written, are escaped wherever shown, and no refusal of
the rules is ever silent: each has words, for the child and for staff."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import drafts, labels
from app.contacts import Refusal
from app.extensions import db
from app.models import Contact, Draft
from tests.helpers import soup
from tests.journey import fill_in, send, send_message
from tests.staff_helpers import signed_in_client

TRICKY = (
    'Please help me <please help me> I <3 my carer, a<b and c>d, 5 > 3 & "quotes" '
    "&lt;b&gt; 😀 مرحبا"
)
SCRIPT = "Hello <script>alert(1)</script><b>there</b> & 1 < 2"


@pytest.mark.parametrize("words", [TRICKY, SCRIPT, "<please help me>"])
def test_the_words_reach_staff_exactly_as_typed_and_inert(app: Flask, words: str) -> None:
    child = app.test_client()
    check = fill_and_check(child, words)
    assert [p.get_text() for p in soup(check).select(".child-words, .words")][:1] == [words]
    reference = send_message_after_fill(child)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    db.session.expire_all()
    assert contact.message["words"] == words  # decrypted from the database
    staff, _ = signed_in_client(app, "customer_relations")
    page = soup(staff.get(f"/staff/contacts/{contact.id}"))
    shown = page.select_one(".child-words")
    assert shown is not None and shown.get_text() == words
    assert not shown.find_all(True)  # escaped: no element came from the words
    assert page.select("script[src]") and not [s for s in page.select("script") if not s.get("src")]


def fill_and_check(client: FlaskClient, words: str) -> Any:
    fill_in(client, words={"words": words})
    return client.get("/tell-us/check")


def send_message_after_fill(client: FlaskClient) -> str:
    response = send(client)
    assert response.status_code == 303
    from tests.journey import reference_on

    return reference_on(client.get("/tell-us/sent"))


def test_control_characters_and_overrides_are_the_only_things_taken_out(app: Flask) -> None:
    reference = send_message(
        app.test_client(), words={"words": "I am\x00 scared\u202e at home\u2069 \x07tonight"}
    )
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None and contact.message["words"] == "I am scared at home tonight"


def test_every_refusal_has_words_for_staff_and_for_the_child(app: Flask) -> None:
    with app.test_request_context():
        said_for_every_code()


def said_for_every_code() -> None:
    for code in Refusal:
        assert str(labels.STAFF_REFUSALS[code]).strip(), code
        assert str(labels.CHILD_REFUSALS[code]).strip(), code
        assert str(labels.CHILD_REFUSALS[code]) != code.value


# A draft kept on the server can go wrong between the steps and the send (a promise taken out
# of council.toml, a tampered or damaged draft): the rules refuse, and the child reads why.
DAMAGE = {
    Refusal.UNKNOWN_KIND: ({"kind": "complaint"}, "/tell-us/what?change=1"),
    Refusal.UNKNOWN_PROMISE: ({"promises": ["no_such_promise"]}, "/tell-us/promises?change=1"),
    Refusal.UNKNOWN_HELPER: ({"helper": "robot"}, "/tell-us/helper?change=1"),
    Refusal.NO_WORDS: ({"words": "\x00 \u202e"}, "/tell-us/words?change=1"),
    Refusal.TOO_LONG: ({"words": "x" * 5001}, "/tell-us/words?change=1"),
    Refusal.NO_PRAISE_NAME: ({"kind": "praise", "praise_name": " "}, "/tell-us/words?change=1"),
}


@pytest.mark.parametrize("code", list(DAMAGE), ids=str)
def test_a_refusal_at_the_send_is_said_on_the_check_page(
    client: FlaskClient, code: Refusal
) -> None:
    fill_in(client)
    draft = db.session.scalar(select(Draft))
    assert draft is not None
    change, fix_at = DAMAGE[code]
    draft.answers = {**draft.answers, **change}
    db.session.commit()
    response = send(client)
    assert response.status_code == 400
    page = soup(response)
    summary = page.select_one(".error-summary")
    assert summary is not None, "the refusal was silent"
    link = summary.select_one("a")
    with client.application.test_request_context():
        assert link.get_text() == str(labels.CHILD_REFUSALS[code])
    assert link["href"] == fix_at
    assert page.title.get_text().startswith("Error: ")
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 0
    assert drafts.load(db.session(), None) == {}  # (the draft itself is untouched below)
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 1
