"""The final send, the request a child waits on, in a fixed and small number of SQL statements
(issue 15): the draft read; the contact's row, inserted unless its key (or its reference) is
taken, so no look before it and no savepoint around it; its promises, its event and its
device's access; its search hashes; its email (one statement: the database skips a key it
has); the draft deleted: eight. No reload after the commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from app import contacts
from app.contacts import intake
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import A_PROMISE, OFFICE, choose, make_contact
from tests.journey import fill_in, reference_on, send, send_form

MOST = 8  # not counting the transaction's own BEGIN and COMMIT


@contextmanager
def statements(control: list[str] | None = None) -> Iterator[list[str]]:
    """The statements said, but for the transaction's own (which go in `control` if given)."""
    said: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        controls = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
        if not statement.lstrip().upper().startswith(controls):
            said.append(statement)
        elif control is not None:
            control.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield said
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_the_send_takes_a_few_statements_and_keeps_everything(client: FlaskClient) -> None:
    choose(client, "10_plus")
    fill_in(client)
    form = send_form(client)
    control: list[str] = []
    with statements(control) as said:
        response = send(client, form)
    assert response.status_code == 303
    assert len(said) <= MOST, "\n".join(said)
    assert not [s for s in control if s.upper().startswith("SAVEPOINT")], control
    assert not any(s.lstrip().upper().startswith("SELECT") for s in said[-1:]), said[-1]
    # Everything the send writes is there: the contact, its one email.
    reference = reference_on(client.get("/tell-us/sent"))
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    keys = db.session.scalars(select(OutboxMessage.dedupe_key)).all()
    assert keys.count(f"new:{contact.id}") == 1


def test_a_reference_already_taken_is_never_given_again(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look for the key also looks for the new reference: when chance picks one a contact
    has, another is picked, and the child's message is still sent once."""
    taken = make_contact().reference
    db.session.commit()
    picks = iter([taken, taken, "NEWREF"])
    monkeypatch.setattr(intake, "random_reference", lambda: next(picks))
    choose(client, "10_plus")
    fill_in(client)
    assert send(client).status_code == 303
    assert reference_on(client.get("/tell-us/sent")) == "NEWREF"
    assert db.session.scalar(select(func.count()).where(Contact.reference == taken)) == 1


def test_the_contact_handed_back_is_the_one_the_database_keeps(app: Flask) -> None:
    """The rules insert the contact by Core and hand back the object they built, as the
    session's own: every column it holds, read without a statement, is the one a fresh load
    from the database gives, and its lists load from what was written."""
    answers = contacts.Answers(
        kind="praise",
        promises=(A_PROMISE, contacts.OTHER),
        words="  Sam <listened> to me  ",
        helper="carer",
        praise_name="Sam",
        praise_role="carer",
        praise_may_pass_on=True,
        reach={"name": "Jo", "how": "text", "phone": "07700 900 982"},
        urgent=True,
        age_band="10_plus",
    )
    handed = contacts.submit(
        db.session(),
        answers,
        submission_key=uuid.uuid4().hex,
        access_secret=contacts.new_access_secret(),
        memorable_words="Apple tiger  river",
        now=dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC),
        office=OFFICE,
    )
    columns = [column.key for column in Contact.__table__.columns]
    with statements() as said:
        held = {key: getattr(handed, key) for key in columns}
    assert said == []
    stored = db.session.execute(select(Contact.__table__).where(Contact.id == handed.id)).one()
    assert held == stored._asdict()
    assert handed.promise_keys == [A_PROMISE, contacts.OTHER]
    assert [event.kind for event in handed.events] == ["sent", "child_not_safe"]
    assert len(handed.accesses) == 1
    db.session.commit()
    db.session.expunge_all()
    again = db.session.get(Contact, held["id"])
    assert again is not None
    assert {key: getattr(again, key) for key in columns} == held
