"""Small helpers the tests share: settings, migrations, and doing things as a child would."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import flask_migrate
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import event

from app import contacts, create_app
from app.council import COUNCIL_FILE, load
from app.extensions import db
from app.models import Contact

TEST_KEY = "oWfXm8pZ1m0p9mX0k0mJ6iYtYw5cQh1x3Q0bS2yq3Zo="
# A production environment that starts; a refusal test spoils or removes one setting.
PRODUCTION_ENV = {
    "OUR_PROMISE_ENV": "production",
    "SECRET_KEY": "671f65d6dcf40b730b93e62d5627b6576ff93ee18f3e63663dbbe80a2f002f83",
    "ENCRYPTION_KEYS": TEST_KEY,
    "SMTP_HOST": "smtp.council.example",
    "DATABASE_URL": "postgresql+psycopg://ourpromise@db.council.example/ourpromise",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "BASE_URL": "https://promise.council.example",
    "PROXY_COUNT": "1",
}
# The council the whole run is about: Leeds' file, or another named by COUNCIL_FILE, which the
# app reads too (app/config.py). Tests take what they expect from it, never Leeds' values.
COUNCIL_PATH = Path(os.environ.get("COUNCIL_FILE") or COUNCIL_FILE)
COUNCIL = load(COUNCIL_PATH)
# Leeds' own file, for the few tests about Leeds' content (the seed wording transcribed).
LEEDS = load(COUNCIL_FILE)
# A promise of the council under test, for messages about one.
A_PROMISE = COUNCIL.promises[0].key
# The rules' view of the council under test, for tests that call the rules directly.
OFFICE = contacts.Office(
    clock=COUNCIL.response.clock,
    promise_keys=COUNCIL.promises_by_key,
    mailbox=COUNCIL.staff.mailbox,
    service=COUNCIL.staff.short_name,
    base_url="https://promise.council.example",
    complaints=COUNCIL.staff.complaints_email,
    teams={team.key: team.name for team in COUNCIL.staff.teams},
)


def settings_for(database_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "SECRET_KEY": "x" * 32,
        # argon2's cheapest parameters; the tests of the hashing itself set "owasp".
        "PASSWORD_HASH_PROFILE": "cheapest",
        **extra,
    }


def migrate(database_url: str) -> None:
    app = create_app(settings_for(database_url))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, "the page has no CSRF field"
    return str(field["value"])


def post_form(client: FlaskClient, page_url: str, action: str | None = None, **data: Any) -> Any:
    """Open a page, then send its form with the page's own CSRF token, as a browser would."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    return client.post(
        action or page_url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data}
    )


def choose(client: FlaskClient, age: str, symbols: bool = False) -> None:
    """Choose an age band and symbol mode through the form."""
    response = post_form(
        client, "/choose", age=age, symbols="yes" if symbols else "no", next="/promises"
    )
    assert response.status_code == 303, response.status_code


def make_contact(
    kind: str = "not_kept",
    *,
    received: dt.datetime = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC),
    urgent: bool = False,
    may_pass_on: bool = False,
    **changes: Any,
) -> Contact:
    """A contact sent through the rules, as a child's message arrives (Monday 10:00 unless said)."""
    answers = contacts.Answers(
        kind=kind,
        promises=(A_PROMISE,),
        words="Nobody rings me back.",
        helper="nobody",
        praise_name="Sam" if kind == "praise" else "",
        praise_may_pass_on=may_pass_on,
        urgent=urgent,
    )
    contact = contacts.submit(
        db.session(),
        replace(answers, **changes),
        submission_key=uuid.uuid4().hex,
        access_secret=contacts.new_access_secret(),
        memorable_words="apple tiger river",
        now=received,
        office=OFFICE,
    )
    db.session.commit()
    return contact


def record(
    contact: Contact,
    kind: str,
    *,
    role: str | None = None,
    staff: Any = None,
    **details: Any,
) -> Any:
    """Record an event through the rules, as staff (`role` or `staff`) or the child would."""
    return contacts.record(
        db.session(), contact, kind, office=OFFICE, by=contacts.By(staff, role), **details
    )


def close(contact: Contact, now: dt.datetime, outcome: str = "Sorted.") -> None:
    """Speak to the child, then close the contact: the usual end of a contact."""
    record(contact, "spoke_to_child", role="customer_relations", now=now)
    record(contact, "closed", role="customer_relations", now=now, text=outcome)


@contextmanager
def statements_sent(
    *, only: tuple[str, ...] = ("",), unless: tuple[str, ...] = ()
) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while inside that begins with one of `only`
    (any, by default) and with none of `unless` (the test's own savepoints, say)."""
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        said = statement.lstrip().upper()
        if said.startswith(only) and not said.startswith(unless):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
