"""Who may see a contact's status: the device that sent it, or reference plus memorable words.

Access is a secret of 256 bits from the operating system's CSPRNG, kept on the child's device
in an HttpOnly cookie and never put in a URL; the database keeps only its hash.

Opening a message with its reference and words, from another phone, is throttled twice
(app/throttle.py), so guessing is hopeless and a stranger cannot shut the child out:

- Per address and reference (LOOKUP_PER_ADDRESS): three tries, then a wait of a minute that
  doubles after each further wrong try, up to a day; the count starts again after a week.
  One address gets at most 13 wrong tries in its first day (3 at once, then after waits of
  1, 2, 4 ... 512 minutes) and one or two a day after that: never 20 in a day.
- Per reference, from everywhere (LOOKUP_PER_REFERENCE): 20 wrong tries a day, then no words
  are checked for a day. One address can never reach it, so five (or thirteen) wrong guesses
  from a stranger leave the child free to open their message from any other address. Only
  many addresses together can close it, and then only to other phones: the phone that sent
  the message holds its secret and never needs the words, and the child can always call.

The words are three of 257, about 24 bits (16,974,593 combinations). A worst-case attacker,
with as many addresses as they like, gets 20 checks a day at one reference (at most 40 in
any 24 hours, across a window's end): about 7,300 a year, a chance of 1 in 2,300 a year,
and they must know the reference first. Each try is counted before it is checked, in the
database, so simultaneous guesses cannot slip past the count.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from sqlalchemy import Executable, Select, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import throttle
from app.contacts import news
from app.contacts.status import Happened, Person, Shown
from app.models import Contact, ContactAccess, ContactEvent, StaffUser
from app.words import normalise

# The reference is read out on the phone: no 0/O, no 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
LOOKUP_PER_ADDRESS = throttle.Policy(
    free=3,
    first_wait=dt.timedelta(minutes=1),
    longest_wait=dt.timedelta(days=1),
    window=dt.timedelta(days=7),
)
LOOKUP_PER_REFERENCE = throttle.Policy(
    free=20,
    first_wait=dt.timedelta(days=1),
    longest_wait=dt.timedelta(days=1),
    window=dt.timedelta(days=1),
)


class Locked(Exception):
    """Too many wrong tries: no words are checked before `until`.

    `everywhere` is False when only this address must wait, True when the reference is
    closed to every other phone for now (the phone that sent it can still see it).
    """

    def __init__(self, until: dt.datetime, *, everywhere: bool) -> None:
        super().__init__(until.isoformat())
        self.until = until
        self.everywhere = everywhere


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_access_secret() -> str:
    """At least 128 bits from the operating system's CSPRNG (this is 256)."""
    return secrets.token_urlsafe(32)


def random_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def new_reference(session: Session) -> str:
    while True:
        reference = random_reference()
        if session.scalar(select(Contact.id).where(Contact.reference == reference)) is None:
            return reference


def normalise_reference(typed: str) -> str:
    """A reference as a child might type it: any case, with spaces or dashes."""
    return re.sub(r"[^A-Z0-9]", "", typed.upper())


def _words_match(words: str, kept: str) -> bool:
    """A contact logged by staff has no words, and so never opens this way."""
    kept = normalise(kept)
    return bool(kept) and hmac.compare_digest(normalise(words).encode(), kept.encode())


def grant_access(session: Session, contact: Contact, secret: str, now: dt.datetime) -> None:
    """Let the device holding `secret` see this contact's status."""
    secret_hash = hash_secret(secret)
    if session.scalar(select(ContactAccess.id).where(ContactAccess.secret_hash == secret_hash)):
        return
    try:
        with session.begin_nested():
            session.add(ContactAccess(contact=contact, secret_hash=secret_hash, created_at=now))
    except IntegrityError:
        pass  # the same secret, granted by a request racing this one


def revoke_access(session: Session, secrets_held: Iterable[str]) -> None:
    """Forget these devices' access: "forget my messages on this phone"."""
    hashes = [hash_secret(secret) for secret in secrets_held]
    if hashes:
        session.execute(delete(ContactAccess).where(ContactAccess.secret_hash.in_(hashes)))


def _opened_by(secrets_held: Iterable[str]) -> Select[Contact] | None:
    """The contacts these secrets open, as a query; None when there are no secrets."""
    hashes = [hash_secret(secret) for secret in secrets_held]
    if not hashes:
        return None
    # The ids first, then the rows: DISTINCT over the contact's columns would compare its
    # encrypted blobs, and made the status page the slowest child page (issue 15).
    opened = select(ContactAccess.contact_id).where(ContactAccess.secret_hash.in_(hashes))
    return select(Contact).where(Contact.id.in_(opened))


def contacts_for(session: Session, secrets_held: Iterable[str]) -> list[Contact]:
    """The contacts these secrets open, newest first."""
    query = _opened_by(secrets_held)
    return (
        [] if query is None else list(session.scalars(query.order_by(Contact.received_at.desc())))
    )


def contact_for(session: Session, reference: str, secrets_held: Iterable[str]) -> Contact | None:
    """The contact with this reference, only if one of these secrets opens it."""
    query = _opened_by(secrets_held)
    return None if query is None else session.scalar(query.where(Contact.reference == reference))


def contact_shown(
    session: Session, reference: str, secrets_held: Iterable[str]
) -> tuple[Shown, bool] | None:
    """`contact_for` as the status page needs it, in one statement where it took three: the
    contact's reference, deadline and allocated person, its events in order (the page replays
    them), and whether a phone gets news of it. Read as rows, not ORM objects: building the
    Contact, its events and their identity cost the page more than the database's answer
    (issue 15). Never the child's words: the page never shows them."""
    hashes = [hash_secret(secret) for secret in secrets_held]
    if not hashes:
        return None
    rows = session.connection().execute(_shown(), {"reference": reference, "hashes": hashes}).all()
    if not rows:
        return None
    first = rows[0]
    events = [
        Happened(row.event_id, row.kind, row.at, row.actor, row.text, row.details)
        for row in rows
        if row.event_id is not None
    ]
    person = None if first.person_email is None else Person(first.person_name, first.person_email)
    shown = Shown(first.id, first.reference, first.due_at, person, events)
    return shown, bool(first.news_on)


@functools.cache
def _shown() -> Executable:
    """`contact_shown`'s statement, made once with its values as parameters: built afresh, its
    making and its cache key cost the page more than the database's answer (issue 15). A row
    for each event, in the order of Contact.events."""
    opened = select(ContactAccess.contact_id).where(
        ContactAccess.secret_hash.in_(bindparam("hashes", expanding=True))
    )
    return (
        select(
            Contact.id,
            Contact.reference,
            Contact.due_at,
            StaffUser.name.label("person_name"),
            StaffUser.email.label("person_email"),
            news.told_of(Contact.id).label("news_on"),
            ContactEvent.id.label("event_id"),
            ContactEvent.kind,
            ContactEvent.at,
            ContactEvent.actor,
            ContactEvent.text,
            ContactEvent.details,
        )
        .select_from(Contact)
        .outerjoin(StaffUser, StaffUser.id == Contact.allocated_to_id)
        .outerjoin(ContactEvent, ContactEvent.contact_id == Contact.id)
        .where(Contact.id.in_(opened), Contact.reference == bindparam("reference"))
        .order_by(ContactEvent.id)
    )


def open_with_words(
    session: Session,
    reference: str,
    words: str,
    *,
    new_secret: str,
    address: str,
    now: dt.datetime,
) -> Contact | None:
    """Reference plus memorable words, from another device: None if they do not match.

    The try is counted for this address and for the reference before the words are compared
    (see the module's docstring); Locked, and nothing compared, while a wait is running. The
    right words forget the wrong tries at this reference.
    """
    contact = session.scalar(
        select(Contact).where(Contact.reference == normalise_reference(reference))
    )
    if contact is None:
        return None
    here = throttle.key("lookup", str(contact.id), address)
    everywhere = throttle.key("lookup", str(contact.id))
    try:
        throttle.attempt(
            session, [(here, LOOKUP_PER_ADDRESS), (everywhere, LOOKUP_PER_REFERENCE)], now
        )
    except throttle.Throttled as throttled:
        raise Locked(throttled.until, everywhere=throttled.key == everywhere) from None
    if not _words_match(words, contact.memorable_words):
        return None  # counted already, here and everywhere
    throttle.clear(session, [here, everywhere])
    grant_access(session, contact, new_secret, now)
    return contact


def sent_shown(
    session: Session, reference: str, secrets_held: Iterable[str]
) -> tuple[str, dt.datetime] | None:
    """What the confirmation shows of a message just sent, its reference and when it is due,
    only if one of these secrets opens it: two columns in one statement made once, where
    `contact_for` loaded the whole contact and decrypted its words, its reach and its three
    words, which the page never shows (a third of the page's CPU, issue 15)."""
    hashes = [hash_secret(secret) for secret in secrets_held]
    if not hashes:
        return None
    found = session.execute(_sent(), {"reference": reference, "hashes": hashes}).first()
    return None if found is None else (found.reference, found.due_at)


@functools.cache
def _sent() -> Select[str, dt.datetime]:
    opened = select(ContactAccess.contact_id).where(
        ContactAccess.secret_hash.in_(bindparam("hashes", expanding=True))
    )
    return select(Contact.reference, Contact.due_at).where(
        Contact.id.in_(opened), Contact.reference == bindparam("reference")
    )
