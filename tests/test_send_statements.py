"""The final send, the request a child waits on, in a fixed and small number of SQL statements
(issue 15): the draft read; the contact's row, inserted unless its key (or its reference) is
taken, so no look before it and no savepoint around it; its promises, its event and its
device's access; its search hashes; its email (one statement: the database skips a key it
has); the draft deleted: eight, on SQLite. PostgreSQL writes the contact and all those rows
in one statement (a data-modifying WITH): three. No reload after the commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from app import contacts
from app.contacts import intake
from app.extensions import db
from app.models import (
    Contact,
    ContactAccess,
    ContactEvent,
    ContactPromise,
    ContactSearch,
    OutboxMessage,
)
from tests.helpers import A_PROMISE, OFFICE, choose, make_contact
from tests.journey import fill_in, reference_on, send, send_form
from tests.staff_helpers import make_staff

MOST = {"sqlite": 8, "postgresql": 3}  # not counting the transaction's own BEGIN and COMMIT
# A contact with something in every table: urgent praise, two promises, a name and a phone.
PRAISE = contacts.Answers(
    kind="praise",
    promises=(A_PROMISE, contacts.OTHER),
    words="  Sam <listened> to me 5 > 3  ",
    helper="carer",
    praise_name="Sam",
    praise_role="carer",
    praise_may_pass_on=True,
    reach={"name": "Jo", "how": "text", "phone": "07700 900 982"},
    urgent=True,
    age_band="10_plus",
)


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
    assert len(said) <= MOST[db.engine.dialect.name], "\n".join(said)
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
    handed = contacts.submit(
        db.session(),
        PRAISE,
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


# What the send writes, in every shape a contact can take: words, a name and phone to find it
# by, several promises, urgent; anonymous with nothing to find; logged by staff with a reason
# (encrypted text on an event) and memorable words (an event at another time), words in Arabic.
SENDS: list[tuple[contacts.Answers, dict[str, Any]]] = [
    (PRAISE, {}),
    (
        contacts.Answers(
            kind="kept_well", promises=(A_PROMISE,), words="Thank you", helper="nobody"
        ),
        {},
    ),
    (
        contacts.Answers(
            kind="not_kept",
            promises=(contacts.OTHER,),
            words="أحتاج مساعدة",
            helper="social_worker",
            reach={"name": "أمل", "how": "email", "email": "amal@example.org"},
        ),
        {"channel": "phone", "logged_by": "customer_relations", "urgent_reason": "Not safe"},
    ),
]


def written(contact_id: int) -> dict[str, Any]:
    """Every row the send wrote for this contact, with what differs between two sends (ids,
    its reference, its key, its secret) put in words, so two sends can be compared."""
    contact = dict(
        db.session.execute(select(Contact.__table__).where(Contact.id == contact_id))
        .one()
        ._asdict()
    )
    # The reference first (it may hold the id's digits), then the id where the email puts it.
    same = {
        contact["reference"]: "<reference>",
        f"new:{contact_id}": "new:<id>",
        f"/contacts/{contact_id}": "/contacts/<id>",
    }

    def rows(model: Any, order: Any) -> list[dict[str, Any]]:
        table = model.__table__
        found = db.session.execute(
            select(table).where(table.c.contact_id == contact_id).order_by(order)
        )
        return [
            {k: v for k, v in row._asdict().items() if k not in ("id", "contact_id")}
            for row in found
        ]

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            for was, now in same.items():
                value = value.replace(was, now)
        return value

    mail = (
        db.session.execute(
            select(OutboxMessage.__table__).where(OutboxMessage.dedupe_key == f"new:{contact_id}")
        )
        .one()
        ._asdict()
    )
    accesses = rows(ContactAccess, ContactAccess.id)
    return {
        "contact": {k: plain(v) for k, v in contact.items() if k not in ("id", "submission_key")},
        "promises": rows(ContactPromise, ContactPromise.position),
        "events": rows(ContactEvent, ContactEvent.id),
        "access": [{**a, "secret_hash": len(a["secret_hash"])} for a in accesses],
        "search": rows(ContactSearch, ContactSearch.id),
        "mail": {k: plain(v) for k, v in mail.items() if k != "id"},
    }


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("number", range(len(SENDS)))
def test_one_statement_writes_what_one_a_table_writes(
    app: Flask, monkeypatch: pytest.MonkeyPatch, number: int
) -> None:
    """PostgreSQL writes a new contact and everything with it in one statement; SQLite (and
    PostgreSQL told to) one statement a table: the same rows, column for column."""
    answers, how = SENDS[number][0], dict(SENDS[number][1])
    logged_by = make_staff(how.pop("logged_by")) if "logged_by" in how else None
    now = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
    found = []
    for whole in (True, False):
        monkeypatch.setattr(intake, "WRITTEN_WHOLE", frozenset({"postgresql"} if whole else ()))
        with statements() as said:
            contact = contacts.submit(
                db.session(),
                answers,
                submission_key=uuid.uuid4().hex,
                access_secret=contacts.new_access_secret(),
                memorable_words="apple tiger river" if logged_by else "",
                now=now,
                office=OFFICE,
                logged_by=logged_by,
                **how,
            )
        assert len([s for s in said if s.lstrip().upper().startswith("WITH")]) == int(whole)
        db.session.commit()
        found.append(written(contact.id))
    assert found[0] == found[1]
    assert found[0]["events"] and found[0]["access"] and found[0]["mail"]["body"]


def test_a_key_taken_writes_nothing_more(app: Flask) -> None:
    """The same key again (a double click): the one contact, one set of rows, one email."""
    key, secret = uuid.uuid4().hex, contacts.new_access_secret()
    answers = PRAISE
    made = [
        contacts.submit(
            db.session(),
            answers,
            submission_key=key,
            access_secret=secret,
            memorable_words="",
            now=dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC),
            office=OFFICE,
        ).id
        for _ in range(2)
    ]
    db.session.commit()
    assert made[0] == made[1]
    for model in (ContactPromise, ContactEvent, ContactAccess, ContactSearch):
        assert db.session.scalar(select(func.count()).select_from(model)) == len(
            written(made[0])[
                {
                    ContactPromise: "promises",
                    ContactEvent: "events",
                    ContactAccess: "access",
                    ContactSearch: "search",
                }[model]
            ]
        )
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
