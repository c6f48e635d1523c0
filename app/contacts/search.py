"""Finding a contact by a child's name or phone number without decrypting a single row.

When a contact is made (or a key rotated), the name and phone number it holds are normalised
and kept as keyed hashes (HMAC, `crypto.keyed_hashes`) in `contact_search`; staff's search is
normalised the same way and matched exactly against them, under every configured key, so it
keeps working between putting a new key first and `flask keys rotate`. A reference is not a
secret: it is matched on the contact itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    Table,
    delete,
    false,
    insert,
    select,
    union,
)
from sqlalchemy.orm import Session

from app import crypto
from app.contacts.access import REFERENCE_LENGTH, normalise_reference
from app.models import Contact, ContactSearch

FIELDS = ("name", "phone")
SHORTEST_PHONE = 6


def normalise_name(typed: str) -> str:
    """ "  Jo  SMITH " and "jo smith" are the same name."""
    return " ".join(unicodedata.normalize("NFKC", typed).casefold().split())


def normalise_phone(typed: str) -> str:
    """ "+44 (0)7700 900 982", "0044 7700-900982" and "07700900982" are the same number."""
    text = unicodedata.normalize("NFKC", typed).strip().replace("(0)", "")
    digits = re.sub(r"\D", "", text)
    if text.startswith("+44") or digits.startswith("0044"):
        digits = "0" + digits.removeprefix("00").removeprefix("44")
    return digits if len(digits) >= SHORTEST_PHONE else ""


def _normalised(field: str, value: str) -> str:
    return normalise_phone(value) if field == "phone" else normalise_name(value)


def _terms(field: str, value: str) -> list[str]:
    """What is hashed: the field's name with the value, so a name never matches a phone."""
    return [f"{field}:{_normalised(field, value)}"] if _normalised(field, value) else []


def _values(reach: dict[str, Any] | None) -> Iterator[tuple[str, str]]:
    for field in FIELDS:
        value = (reach or {}).get(field)
        if isinstance(value, str):
            for term in _terms(field, value):
                yield field, term


def hashed(reach: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(field, keyed hash under the newest key) for each name and phone number in `reach`."""
    return [(field, crypto.keyed_hashes(term)[0]) for field, term in _values(reach)]


def index(session: Session, contact_id: int, reach: dict[str, Any] | None) -> None:
    """(Re)write a contact's hashes under the newest key."""
    session.execute(delete(ContactSearch).where(ContactSearch.contact_id == contact_id))
    add(session, contact_id, reach)


def add(session: Session, contact_id: int, reach: dict[str, Any] | None) -> None:
    """Write a new contact's hashes: it has none to delete first (a round trip saved in the
    send a child waits for)."""
    rows = [{"contact_id": contact_id, "field": f, "digest": d} for f, d in hashed(reach)]
    if rows:  # in one statement, SQLite's too; by Core, as the ORM's bulk insert adds nothing
        session.execute(insert(cast(Table, ContactSearch.__table__)), rows)


def matches(typed: str) -> ColumnElement[bool]:
    """The contacts `typed` finds: its reference, or a name or phone number it holds."""
    typed = typed.strip()
    if not typed:
        return false()
    digests = [
        digest
        for field in FIELDS
        for term in _terms(field, typed)
        for digest in crypto.keyed_hashes(term)
    ]
    found: Select[int] | CompoundSelect[int] = select(ContactSearch.contact_id).where(
        ContactSearch.digest.in_(digests)
    )
    reference = normalise_reference(unicodedata.normalize("NFKC", typed))
    if len(reference) == REFERENCE_LENGTH:
        # One set of ids (not an OR), so the database looks up the few it finds by their key.
        found = union(found, select(Contact.id).where(Contact.reference == reference))
    return Contact.id.in_(found)


def reindex(session: Session, *, size: int = 500, commit: Any = None) -> int:
    """Every contact's hashes rewritten under the newest key (after `keys rotate`, or to fill
    the table on a database made before it); how many contacts. Batches in id order, each its
    own transaction when `commit` is given."""
    done = 0
    after = 0
    while True:
        batch = session.execute(
            select(Contact.id, Contact.reach)
            .where(Contact.id > after)
            .order_by(Contact.id)
            .limit(size)
        ).all()
        if not batch:
            return done
        for contact_id, reach in batch:
            index(session, contact_id, reach)
        session.flush()
        done += len(batch)
        after = batch[-1][0]
        if commit is not None:
            commit()
