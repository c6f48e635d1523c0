"""The final send, the request a child waits on, in a fixed and small number of SQL statements
(issue 15): the draft read, one look for both the key and a free reference, the contact and
its rows in one savepoint, its search hashes, its email (one statement: the database skips a
key it has), the draft deleted: nine, and the savepoint around the contact. No reload after
the commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from app.contacts import intake
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import choose, make_contact
from tests.journey import fill_in, reference_on, send, send_form

MOST = 9  # not counting the transaction's own BEGIN, SAVEPOINT, RELEASE and COMMIT


@contextmanager
def statements() -> Iterator[list[str]]:
    said: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
        if not statement.lstrip().upper().startswith(control):
            said.append(statement)

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
    with statements() as said:
        response = send(client, form)
    assert response.status_code == 303
    assert len(said) <= MOST, "\n".join(said)
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
