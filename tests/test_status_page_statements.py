"""The status page reads its contact, the contact's events and whether a phone gets news of it
in one statement (issue 15), where it took three; the words it never shows are left unread.
The one statement must give what the three gave: the same events in order, the same status,
the same news, and nothing to anyone else's phone."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from app import contacts
from app.contacts import news
from app.extensions import db
from app.models import Contact
from tests.helpers import make_contact, post_form, record, soup, statements_sent
from tests.journey import send_message
from tests.staff_helpers import make_staff

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def a_long_history(secret: str) -> Contact:
    """A contact with many kinds of event, several with encrypted text, held by `secret`."""
    contact = make_contact(kind="not_kept", words="My social worker does not call me back.")
    contacts.grant_access(db.session(), contact, secret, NOW)
    sam = make_staff("senior_manager", "Sam Patel")
    for kind, extra in [
        ("read", {}),
        ("more_info_asked", {"text": "When is best to call you?"}),
        ("allocated", {"details": {"staff_id": sam.id}}),
        ("spoke_to_child", {}),
        ("update_for_child", {"text": "We asked for a new visit."}),
        ("update_for_child", {"text": "The visit is on Friday."}),
    ]:
        record(contact, kind, now=NOW, role="head_of_service", **extra)
    db.session.commit()
    return contact


def test_one_statement_gives_what_three_gave(app: Flask) -> None:
    secret = contacts.new_access_secret()
    contact = a_long_history(secret)
    words, reference = contact.message, contact.reference
    db.session.expunge_all()
    plain = contacts.contact_for(db.session(), reference, [secret])
    assert plain is not None and plain.allocated_to is not None
    person_email = plain.allocated_to.email
    expected = (
        [(e.id, e.kind, e.at, e.text, e.details) for e in plain.events],
        contacts.status(plain),
        news.subscribed(db.session(), plain),
    )
    db.session.expunge_all()
    with statements_sent(only=("SELECT",)) as said:
        found = contacts.contact_shown(db.session(), reference, [secret])
        assert found is not None
        shown, news_on = found
        got = (
            [(e.id, e.kind, e.at, e.text, e.details) for e in shown.events],
            contacts.status(shown),
            news_on,
        )
    assert len(said) == 1, said
    assert got == expected and len(got[0]) == 7
    assert shown.allocated_to is not None and shown.allocated_to.name == "Sam Patel"
    assert shown.allocated_to.email == person_email
    # The words were not read: the page never shows them.
    assert not {"message", "reach", "memorable_words"} & set(vars(shown))
    assert words["words"] not in repr(shown)


def test_nobody_else_opens_it(app: Flask) -> None:
    secret = contacts.new_access_secret()
    contact = a_long_history(secret)
    other = contacts.new_access_secret()
    assert contacts.contact_shown(db.session(), contact.reference, [other]) is None
    assert contacts.contact_shown(db.session(), contact.reference, []) is None
    assert contacts.contact_shown(db.session(), "NOSUCH", [secret]) is None
    # The statement is made once: each call's reference and secrets are its own.
    second = make_contact()
    contacts.grant_access(db.session(), second, other, NOW)
    for reference, held in [(second.reference, [other]), (contact.reference, [other, secret])]:
        found = contacts.contact_shown(db.session(), reference, held)
        assert found is not None and found[0].reference == reference
    assert contacts.contact_shown(db.session(), second.reference, [secret]) is None


def news_said(client: FlaskClient, reference: str) -> list[str]:
    """What the page says of news, by the one statement (the page) and by the plain path (the
    page shown again after a mistake: adding nothing to the message)."""
    fast = soup(client.get(f"/messages/{reference}")).select_one("[data-news]")
    page = f"/messages/{reference}"
    again = post_form(client, page, f"{page}/add", words="")
    assert again.status_code == 200 and "Error: " in soup(again).title.get_text()
    plain = soup(again).select_one("[data-news]")
    assert fast is not None and plain is not None
    return [str(fast["data-on"]), str(plain["data-on"])]


def test_the_news_said_is_the_same_by_either_path(app: Flask, client: FlaskClient) -> None:
    reference = send_message(client)
    other = app.test_client()
    someone_elses = send_message(other)
    assert news_said(client, reference) == ["", ""]
    phone = {
        "endpoint": "http://127.0.0.1:9/push",
        "keys": {"p256dh": "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "auth": "AAAA"},
    }
    assert other.post(f"/messages/{someone_elses}/news", json=phone).status_code == 200
    assert news_said(client, reference) == ["", ""]  # another message's phone is not this one's
    assert client.post(f"/messages/{reference}/news", json=phone).status_code == 200
    assert news_said(client, reference) == ["yes", "yes"]
