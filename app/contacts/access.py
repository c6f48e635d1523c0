"""Who may see a contact's status: the device that sent it, or reference plus memorable words.

Access is a secret of 256 bits from the operating system's CSPRNG, kept on the child's device
in an HttpOnly cookie and never put in a URL; the database keeps only its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Contact, ContactAccess
from app.words import normalise

# The reference is read out on the phone: no 0/O, no 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
LOOKUP_MISSES_ALLOWED = 5
LOOKUP_LOCK = dt.timedelta(hours=1)


class Locked(Exception):
    """Too many wrong tries at a reference: it opens again at `until`."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_access_secret() -> str:
    """At least 128 bits from the operating system's CSPRNG (this is 256)."""
    return secrets.token_urlsafe(32)


def new_reference(session: Session) -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
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
    return (
        select(Contact).join(ContactAccess).where(ContactAccess.secret_hash.in_(hashes)).distinct()
    )


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


def open_with_words(
    session: Session, reference: str, words: str, *, new_secret: str, now: dt.datetime
) -> Contact | None:
    """Reference plus memorable words, from another device: None if they do not match.

    Each reference locks for an hour after repeated misses, on top of the page's rate limit,
    so nobody can read another child's status by guessing.
    """
    contact = session.scalar(
        select(Contact).where(Contact.reference == normalise_reference(reference))
    )
    if contact is None:
        return None
    if contact.locked_until is not None and contact.locked_until > now:
        raise Locked(contact.locked_until)
    if not _words_match(words, contact.memorable_words):
        contact.lookup_misses += 1
        if contact.lookup_misses >= LOOKUP_MISSES_ALLOWED:
            contact.locked_until = now + LOOKUP_LOCK
            contact.lookup_misses = 0
        return None
    contact.lookup_misses = 0
    contact.locked_until = None
    grant_access(session, contact, new_secret, now)
    return contact
