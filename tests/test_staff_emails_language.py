"""Staff emails are whole sentences through gettext, written in the service's own language.

They are composed inside the request that caused them, and that may be a child's request in
Arabic: the email must still be in the language the council's staff work in. To see that the
words really come from a catalogue, the service's language is made Welsh for a test, with a
small catalogue of its own.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import get_babel, get_domain
from sqlalchemy import select

from app import staff_accounts
from app.contacts import mail
from app.extensions import db
from app.models import OutboxMessage
from app.roles import Role
from tests.helpers import OFFICE, make_contact
from tests.journey import send_message
from tests.staff_helpers import make_staff

WELSH = {
    "New %(service)s message %(reference)s": "Neges %(service)s newydd %(reference)s",
    "A new message (%(kind)s) came in by %(channel)s.\n\n"
    "Reference: %(reference)s\nOpen it: %(link)s\n": "Daeth neges newydd (%(kind)s) drwy "
    "%(channel)s.\n\nCyfeirnod: %(reference)s\nAgorwch hi: %(link)s\n",
    "a promise not kept": "addewid heb ei chadw",
    "the app": "yr ap",
    "Set up your %(service)s staff account": "Sefydlwch eich cyfrif staff %(service)s",
    "%(service)s message %(reference)s is due now: nobody has spoken to the child yet": (
        "Mae neges %(service)s %(reference)s yn ddyledus nawr"
    ),
}


def newest_mails(since: int) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > since).order_by(OutboxMessage.id)
        )
    )


def last_mail_id() -> int:
    return max(db.session.scalars(select(OutboxMessage.id)).all() or [0])


@pytest.fixture
def welsh_service(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The service's own language made Welsh, from a catalogue holding only WELSH."""
    catalogue = Catalog(locale="cy")
    for english, welsh in WELSH.items():
        catalogue.add(english, welsh)
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as file:
        write_mo(file, catalogue)
    babel = get_babel(app)
    monkeypatch.setattr(babel, "translation_directories", [str(tmp_path)])
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "cy")
    monkeypatch.setattr(get_domain(), "cache", {})  # Welsh from this catalogue, only here
    yield


def test_a_child_writing_in_arabic_causes_an_email_in_the_services_language(
    client: FlaskClient,
) -> None:
    client.expect_lang, client.expect_dir = "ar", "rtl"  # type: ignore[attr-defined]
    client.set_cookie("lang", "ar")
    since = last_mail_id()
    reference = send_message(client)
    (new,) = [m for m in newest_mails(since) if m.dedupe_key.startswith("new:")]
    assert new.subject == f"New {OFFICE.service} message {reference}"
    assert "A new message (a promise not kept) came in by the app." in new.body
    assert not any("\u0600" <= letter <= "\u06ff" for letter in new.subject + new.body)


@pytest.mark.usefixtures("welsh_service")
def test_the_words_come_from_the_services_catalogue_not_the_childs(client: FlaskClient) -> None:
    client.expect_lang, client.expect_dir = "ar", "rtl"  # type: ignore[attr-defined]
    client.set_cookie("lang", "ar")
    since = last_mail_id()
    reference = send_message(client)
    (new,) = [m for m in newest_mails(since) if m.dedupe_key.startswith("new:")]
    assert new.subject == f"Neges {OFFICE.service} newydd {reference}"
    assert new.body.startswith("Daeth neges newydd (addewid heb ei chadw) drwy yr ap.")
    assert f"Cyfeirnod: {reference}" in new.body


@pytest.mark.usefixtures("welsh_service")
def test_emails_made_outside_any_request_use_the_services_language_too(app: Flask) -> None:
    """The outbox worker's reminders and an admin's invitation, from the command line."""
    contact = make_contact(received=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC))
    admin = make_staff(Role.ADMIN.value)
    since = last_mail_id()
    mail.reminder(db.session(), contact, "due", [admin], OFFICE, dt.datetime.now(dt.UTC))
    desk = staff_accounts.Desk(
        base_url="https://promise.example",
        service=OFFICE.service,
        zone=zoneinfo.ZoneInfo("Europe/London"),
        teams=(),
    )
    staff_accounts.invite(
        db.session(),
        "new.person@council.example",
        role=Role.CUSTOMER_RELATIONS.value,
        name="New Person",
        team=None,
        by=admin,
        desk=desk,
        now=dt.datetime.now(dt.UTC),
    )
    db.session.commit()
    reminder, invitation = newest_mails(since)
    assert reminder.subject == f"Mae neges {OFFICE.service} {contact.reference} yn ddyledus nawr"
    assert invitation.subject == f"Sefydlwch eich cyfrif staff {OFFICE.service}"
    # A sentence the Welsh catalogue leaves out stays in English, never half translated.
    assert "The link works once, until" in invitation.body
