"""Exactly once: a double click, a resubmission or a replay makes one contact, never two."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import contacts
from app.extensions import db
from app.models import Contact, ContactAccess
from tests.helpers import A_PROMISE, OFFICE, post_form
from tests.journey import fill_in, reference_on, send, send_form

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_double_click_makes_one_contact_with_one_reference(client: FlaskClient) -> None:
    fill_in(client)
    form = send_form(client)
    first, second = send(client, form), send(client, form)
    assert first.headers["Location"] == second.headers["Location"] == "/tell-us/sent"
    assert count(Contact) == 1
    assert reference_on(client.get("/tell-us/sent")) == db.session.scalar(select(Contact.reference))


def test_a_send_whose_answer_was_lost_is_acknowledged_when_the_phone_sends_again(
    client: FlaskClient,
) -> None:
    """The server kept the message but died (or the connection dropped) before its answer, and
    the new cookie, reached the phone: the phone still holds the old cookie and sends again."""
    fill_in(client)
    form = send_form(client)
    before = client.get_cookie("session")
    assert before is not None
    assert send(client, form).headers["Location"] == "/tell-us/sent"
    reference = db.session.scalar(select(Contact.reference))
    client.set_cookie("session", before.value)  # the answer never arrived
    again = send(client, form)
    assert (again.status_code, again.headers["Location"]) == (303, "/tell-us/sent")
    assert reference_on(client.get("/tell-us/sent")) == reference
    assert reference in client.get("/messages").get_data(as_text=True)
    assert count(Contact) == 1 and count(ContactAccess) == 1


def test_a_replayed_key_from_another_device_opens_nothing(app: Flask, client: FlaskClient) -> None:
    fill_in(client)
    form = send_form(client)
    send(client, form)
    reference = reference_on(client.get("/tell-us/sent"))
    other = app.test_client()
    fill_in(other)  # even with a whole message of its own in progress
    response = post_form(
        other, "/tell-us/check", action="/tell-us/send", submission_key=form["submission_key"]
    )
    assert response.status_code == 409
    assert reference not in response.get_data(as_text=True)
    assert "This message has already been sent" in response.get_data(as_text=True)
    assert other.get("/tell-us/sent").status_code == 302  # nothing sent from here
    assert reference not in other.get("/messages").get_data(as_text=True)
    assert count(Contact) == 1 and count(ContactAccess) == 1
    # The device that sent it still lands on its confirmation if it presses again.
    assert send(client, form).headers["Location"] == "/tell-us/sent"


def answers() -> contacts.Answers:
    return contacts.Answers(
        kind="kept_well", promises=(A_PROMISE,), words="Thank you", helper="nobody"
    )


def submit(session: Session, key: str, secret: str) -> str:
    contact = contacts.submit(
        session,
        answers(),
        submission_key=key,
        access_secret=secret,
        memorable_words="apple tiger river",
        now=NOW,
        office=OFFICE,
    )
    reference = contact.reference
    session.commit()
    return reference


# SQLite runs one writer at a time, so the race is PostgreSQL's to lose. Each thread has its own
# connection, and each must see what the others commit.
@pytest.mark.commits
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_same_key_from_many_threads_at_once_makes_one_contact(app: Flask) -> None:
    key = uuid.uuid4().hex
    threads = 16
    barrier = threading.Barrier(threads)
    references: list[str] = []
    failures: list[BaseException] = []

    def one_request(n: int) -> None:
        with app.app_context():
            session = db.session()
            try:
                barrier.wait()
                references.append(submit(session, key, "one-device"))
            except BaseException as error:
                failures.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=one_request, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures, failures
    assert len(references) == threads and len(set(references)) == 1
    assert count(Contact) == 1
    assert count(ContactAccess) == 1  # one device, one access


def test_resubmitting_with_the_rules_alone_returns_the_same_contact(app: Flask) -> None:
    key = uuid.uuid4().hex
    assert submit(db.session(), key, "a") == submit(db.session(), key, "a")
    with pytest.raises(contacts.Refused, match="already_sent"):
        submit(db.session(), key, "b")  # a key is single-use: anyone else gets nothing
    assert count(Contact) == 1 and count(ContactAccess) == 1
