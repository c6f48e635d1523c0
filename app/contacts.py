"""The rules of a contact: sending it exactly once, its events, and what the child sees.

The faces call these functions; nothing here knows about requests or pages. Errors are
returned as codes (Refused.code), and the templates say them in the child's words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import re
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import nh3
from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.deadlines import Clock
from app.models import Contact, ContactAccess, ContactEvent, ContactPromise
from app.roles import SENIOR
from app.words import normalise

KINDS = ("kept_well", "not_kept", "praise")
HELPERS = ("nobody", "carer", "social_worker", "iro", "advocate", "someone_else")
CHANNELS = ("app", "phone", "email", "in_person")
OTHER = "other"  # "something else", beside the council's promises
WORDS_LIMIT = 5000
SHORT_LIMIT = 100

# The reference is read out on the phone: no 0/O, no 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
LOOKUP_MISSES_ALLOWED = 5
LOOKUP_LOCK = dt.timedelta(hours=1)

EVENT_KINDS = frozenset(
    {
        "sent",
        "read",
        "more_info_asked",
        "allocated",
        "contact_failed",
        "spoke_to_child",
        "safeguarding_concern",
        "shared",
        "note",
        "update_for_child",
        "closed",
        "feedback_asked",
        "feedback_given",
        "reopened",
        "child_added",
        "child_not_safe",
        "praise_passed_on",
        "close_proposed",
    }
)
# Telling anyone else about the contact: refused until the child has been spoken to.
SHARING = frozenset({"shared", "praise_passed_on"})
FEEDBACK_ANSWERS = ("yes", "not_sure", "no")


class Refused(Exception):
    """The rules refuse this; `code` says why, for the page to put into words."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Locked(Exception):
    """Too many wrong tries at a reference: it opens again at `until`."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


# Characters that have no place in a message: NUL and other control characters (but not
# newlines or tabs), and the invisible marks that can flip how text is shown.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str, limit: int = WORDS_LIMIT) -> str:
    """Plain text, with no markup surviving and nothing hidden, at most `limit` characters."""
    text = _UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
    text = text.strip()
    if len(text) > limit:
        raise Refused("too_long")
    return text


@dataclass(frozen=True)
class Answers:
    """A message as the child finished it, ready to send."""

    kind: str
    promises: tuple[str, ...]
    words: str
    helper: str
    praise_name: str = ""
    praise_role: str = ""
    praise_may_pass_on: bool = False
    reach: dict[str, Any] | None = None
    urgent: bool = False
    age_band: str | None = None

    def checked(self, known_promises: Collection[str]) -> Answers:
        """The answers cleaned, or Refused with the first problem."""
        if self.kind not in KINDS:
            raise Refused("unknown_kind")
        if not self.promises or any(p not in known_promises and p != OTHER for p in self.promises):
            raise Refused("unknown_promise")
        if self.helper not in HELPERS:
            raise Refused("unknown_helper")
        words = clean_text(self.words)
        if not words:
            raise Refused("no_words")
        praise_name = clean_text(self.praise_name, SHORT_LIMIT)
        praise_role = clean_text(self.praise_role, SHORT_LIMIT)
        if self.kind == "praise" and not praise_name:
            raise Refused("no_praise_name")
        reach = None
        if self.reach:
            reach = {
                key: clean_text(value, SHORT_LIMIT) if isinstance(value, str) else value
                for key, value in self.reach.items()
            }
        return Answers(
            kind=self.kind,
            promises=tuple(dict.fromkeys(self.promises)),
            words=words,
            helper=self.helper,
            praise_name=praise_name if self.kind == "praise" else "",
            praise_role=praise_role if self.kind == "praise" else "",
            praise_may_pass_on=self.kind == "praise" and self.praise_may_pass_on,
            reach=reach,
            urgent=self.urgent,
            age_band=self.age_band,
        )


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_access_secret() -> str:
    """At least 128 bits from the operating system's CSPRNG (this is 256)."""
    return secrets.token_urlsafe(32)


def _words_match(words: str, kept: str) -> bool:
    """A contact logged by staff has no words, and so never opens this way."""
    kept = normalise(kept)
    return bool(kept) and hmac.compare_digest(normalise(words).encode(), kept.encode())


def _new_reference(session: Session) -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if session.scalar(select(Contact.id).where(Contact.reference == reference)) is None:
            return reference


def normalise_reference(typed: str) -> str:
    """A reference as a child might type it: any case, with spaces or dashes."""
    return re.sub(r"[^A-Z0-9]", "", typed.upper())


def submit(
    session: Session,
    answers: Answers,
    *,
    submission_key: str,
    access_secret: str,
    memorable_words: str,
    now: dt.datetime,
    clock: Clock,
    known_promises: Collection[str],
    channel: str = "app",
) -> Contact:
    """Make the contact, once: the same submission key always answers with the same contact."""
    if channel not in CHANNELS:
        raise Refused("unknown_channel")
    existing = session.scalar(select(Contact).where(Contact.submission_key == submission_key))
    if existing is not None:
        grant_access(session, existing, access_secret, now)
        return existing
    answers = answers.checked(known_promises)
    contact = Contact(
        reference=_new_reference(session),
        submission_key=submission_key,
        kind=answers.kind,
        channel=channel,
        age_band=answers.age_band,
        helper=answers.helper,
        urgent=answers.urgent,
        praise_may_pass_on=answers.praise_may_pass_on,
        message={
            "words": answers.words,
            "praise_name": answers.praise_name,
            "praise_role": answers.praise_role,
        },
        reach=answers.reach,
        received_at=now,
        due_at=clock.response_due(now),
        memorable_words=normalise(memorable_words),
        promises=[
            ContactPromise(promise_key=key, position=n) for n, key in enumerate(answers.promises)
        ],
        events=[ContactEvent(kind="sent", at=now, actor="child", details={})],
        accesses=[ContactAccess(secret_hash=hash_secret(access_secret), created_at=now)],
    )
    if answers.urgent:
        contact.events.append(
            ContactEvent(kind="child_not_safe", at=now, actor="child", details={})
        )
    try:
        with session.begin_nested():
            session.add(contact)
    except IntegrityError:
        # Another request with the same key got there first: answer with its contact.
        existing = session.scalar(select(Contact).where(Contact.submission_key == submission_key))
        if existing is None:
            raise
        grant_access(session, existing, access_secret, now)
        return existing
    return contact


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


def may_share(contact: Contact) -> bool:
    """The first-contact rule: "We will speak to you first before we talk to anyone else. The
    only time we would not stick to this is if you tell us something that makes us worried
    for your safety." So: after "spoke to the child", or after a safeguarding concern recorded
    with its reason by a senior role."""
    for event in contact.events:
        if event.kind == "spoke_to_child":
            return True
        if (
            event.kind == "safeguarding_concern"
            and event.text
            and event.details.get("role") in SENIOR
        ):
            return True
    return False


def record(
    session: Session,
    contact: Contact,
    kind: str,
    *,
    now: dt.datetime,
    actor: str | None = None,
    role: str | None = None,
    details: dict[str, Any] | None = None,
    text: str | None = None,
) -> ContactEvent:
    """Add an event to the contact's history (events are never changed or removed).

    The rules that protect the child are kept here, whatever page or request asks."""
    if kind not in EVENT_KINDS:
        raise Refused("unknown_event")
    details = dict(details or {})
    if role is not None:
        details["role_of_actor"] = role
    if kind == "safeguarding_concern":
        if role not in SENIOR:
            raise Refused("senior_role_needed")
        if not (text or "").strip():
            raise Refused("reason_needed")
        details["role"] = role
    if kind == "praise_passed_on" and contact.praise_may_pass_on:
        pass  # the child said in the form that their thanks may go straight away
    elif kind in SHARING and not may_share(contact):
        raise Refused("speak_to_child_first")
    event = ContactEvent(kind=kind, at=now, actor=actor, details=details, text=text)
    contact.events.append(event)
    # The derived columns the tracker sorts and filters by, from the history just extended.
    contact.stage = status(contact).stage.value
    if kind == "allocated":
        contact.allocated_to_id = details.get("staff_id")
    # On time when we spoke to the child, or asked them for more and reached them, by the due time.
    reached = kind == "spoke_to_child" or (kind == "more_info_asked" and details.get("reached"))
    if reached and contact.first_contact_at is None:
        contact.first_contact_at = now
    session.flush()
    return event


def add_to_message(session: Session, contact: Contact, text: str, now: dt.datetime) -> None:
    """ "I forgot to say...": the child adds to their message until it is finished."""
    if status(contact).stage is Stage.FINISHED:
        raise Refused("finished")
    words = clean_text(text)
    if not words:
        raise Refused("no_words")
    record(session, contact, "child_added", now=now, actor="child", text=words)


def mark_not_safe(session: Session, contact: Contact, now: dt.datetime) -> None:
    """The child says they do not feel safe right now: a person looks at this first."""
    contact.urgent = True
    record(session, contact, "child_not_safe", now=now, actor="child")


def give_feedback(
    session: Session,
    contact: Contact,
    *,
    listened: str,
    heard: str,
    happy: str,
    words: str,
    now: dt.datetime,
) -> None:
    """ "How did we do?": answered once, when the contact is finished."""
    current = status(contact)
    if current.stage is not Stage.FINISHED:
        raise Refused("not_finished")
    if current.feedback_given:
        raise Refused("feedback_already_given")
    if any(answer not in FEEDBACK_ANSWERS for answer in (listened, heard, happy)):
        raise Refused("unknown_answer")
    record(
        session,
        contact,
        "feedback_given",
        now=now,
        actor="child",
        details={"listened": listened, "heard": heard, "happy": happy},
        text=clean_text(words) or None,
    )


class Stage(IntEnum):
    """Where a message is, in the order a child sees it move."""

    SENT = 1
    READ = 2
    WITH_PERSON = 3
    TALKED = 4
    SORTING = 5
    FINISHED = 6


@dataclass(frozen=True)
class Update:
    at: dt.datetime
    text: str


@dataclass
class Status:
    """What the child may see: never their own words (phones are shared)."""

    stage: Stage = Stage.SENT
    person_name: str = ""
    person_role: str = ""
    due_at: dt.datetime | None = None
    updates: list[Update] = field(default_factory=list)
    outcome: str = ""
    feedback_given: bool = False
    additions: int = 0

    @property
    def can_add(self) -> bool:
        return self.stage is not Stage.FINISHED

    @property
    def feedback_open(self) -> bool:
        return self.stage is Stage.FINISHED and not self.feedback_given


def status(contact: Contact) -> Status:
    """The child's view of the contact, derived from its events in order."""
    current = Status(due_at=contact.due_at)
    before_closing = Stage.SENT
    for event in contact.events:
        if event.kind in {"read", "more_info_asked"}:
            current.stage = max(current.stage, Stage.READ)
        elif event.kind == "allocated":
            current.stage = max(current.stage, Stage.WITH_PERSON)
            current.person_name = str(event.details.get("name", ""))
            current.person_role = str(event.details.get("role", ""))
        elif event.kind == "spoke_to_child":
            current.stage = max(current.stage, Stage.TALKED)
        elif event.kind == "update_for_child":
            current.stage = max(current.stage, Stage.SORTING)
            current.updates.append(Update(event.at, event.text or ""))
        elif event.kind == "closed":
            before_closing = current.stage
            current.stage = Stage.FINISHED
            current.outcome = event.text or ""
        elif event.kind == "reopened" and current.stage is Stage.FINISHED:
            current.stage = before_closing
        elif event.kind == "feedback_given":
            current.feedback_given = True
        elif event.kind == "child_added":
            current.additions += 1
    return current
