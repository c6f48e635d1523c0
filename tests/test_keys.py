"""Key rotation: after `flask keys rotate` every value is readable with the new key alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import LargeBinary, select, type_coerce

from app import crypto, keys
from app.extensions import db
from app.models import Contact, ContactEvent, Draft, StaffUser
from tests.helpers import make_contact, record
from tests.staff_helpers import make_staff


@pytest.fixture
def keys_restored(app: Flask) -> Iterator[None]:
    """The app's own keys again after the test, whatever it configured."""
    yield
    crypto.configure(app.config["ENCRYPTION_KEYS"])


def stored(column: object) -> list[bytes]:
    return list(db.session.scalars(select(type_coerce(column, LargeBinary))))


def readable_with(key_list: list[str]) -> tuple[dict[str, str], str | None, str]:
    """Everything encrypted, read afresh from the database with only these keys."""
    crypto.configure(key_list)
    db.session.expire_all()
    contact = db.session.scalars(select(Contact)).one()
    event = db.session.scalars(select(ContactEvent).where(ContactEvent.text.is_not(None))).one()
    staff = db.session.scalars(select(StaffUser)).one()
    return contact.message, event.text, staff.totp_secret


def test_rotate_rewrites_every_encrypted_value_under_the_newest_key(
    app: Flask, keys_restored: None
) -> None:
    old = app.config["ENCRYPTION_KEYS"][0]
    crypto.configure([old])  # the cipher is global: another test's app may have set its own
    contact = make_contact(words="Nobody rings me back. <b>é</b> 😀")
    staff = make_staff("customer_relations")
    record(contact, "spoke_to_child", role="customer_relations", now=contact.received_at)
    record(
        contact, "update_for_child", role="customer_relations", now=contact.received_at, text="Hi."
    )
    before = readable_with([old])
    old_bytes = stored(Contact.message) + stored(StaffUser.totp_secret)

    new = crypto.new_key()
    crypto.configure([new, old])
    counts = keys.rotate(db.session(), size=1, commit=db.session.commit)

    assert counts["contact"] == 2  # the message and the memorable words; no way to reach them
    assert counts["staff_user"] == 1 and counts["contact_event"] >= 1
    assert set(stored(Contact.message) + stored(StaffUser.totp_secret)).isdisjoint(old_bytes)
    assert readable_with([new]) == before
    assert before[0]["words"] == "Nobody rings me back. <b>é</b> 😀"
    with pytest.raises(crypto.CryptoNotReady):
        readable_with([old])
    del staff


def test_rotate_finds_every_encrypted_column_from_the_models() -> None:
    found = {(t.table.name, c.key) for t in keys.encrypted_tables() for c in t.columns}
    assert found == {
        ("contact", "message"),
        ("contact", "reach"),
        ("contact", "memorable_words"),
        ("contact_event", "text"),
        ("draft", "answers"),
        ("staff_user", "totp_secret"),
    }
    assert Draft.__tablename__ == "draft"


def test_the_command_reports_what_it_rewrote(app: Flask, keys_restored: None) -> None:
    crypto.configure(app.config["ENCRYPTION_KEYS"])
    make_contact()
    crypto.configure([crypto.new_key(), *app.config["ENCRYPTION_KEYS"]])
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "contact: 2 values re-encrypted" in result.output
    assert "can now be removed" in result.output
