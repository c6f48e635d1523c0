"""The final send, the request a child waits on, in a fixed and small number of SQL statements
(issue 15): the draft read, the one look for the key, the reference's check, the contact and
its rows in one savepoint, its search hashes, its email (one statement: the database skips a
key it has), the draft deleted: ten, and the savepoint around the contact. No reload after
the commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import event, select

from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import choose
from tests.journey import fill_in, reference_on, send, send_form

MOST = 10  # not counting the transaction's own BEGIN, SAVEPOINT, RELEASE and COMMIT


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
