"""SQLAlchemy models.

A contact's history is a list of append-only events; its status is derived from them
(contacts.py). What a child wrote, and how to reach them, is encrypted at rest.
Constraint names follow one convention so migrations name them alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app import crypto

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) as well."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
        return value.astimezone(dt.UTC)  # type: ignore[no-any-return]


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value, encrypted before it reaches the database."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return None if value is None else crypto.encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(crypto.decrypt(value))


class Contact(Base):
    """One message to Tell Us, We Care!"""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # The form's one-time key: a double click, a resubmission or a replay finds this row.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(10))
    helper: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    praise_may_pass_on: Mapped[bool] = mapped_column(Boolean, default=False)
    # {"words": ..., "praise_name": ..., "praise_role": ...}
    message: Mapped[dict[str, str]] = mapped_column(EncryptedJSON)
    # How to reach the child; None when they chose to stay anonymous.
    reach: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Three easy words, encrypted like the child's own. Not a slow hash: 24 bits would not
    # survive an offline search anyway, and the encryption key never sits in the database;
    # online guessing is rate limited and locked (contacts.open_with_words).
    memorable_words: Mapped[str] = mapped_column(EncryptedJSON)
    # Derived from the events by contacts.record, kept here so the tracker can sort and filter
    # 200,000 contacts in SQL: never written anywhere else.
    stage: Mapped[int] = mapped_column(Integer, default=1, index=True)
    allocated_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    first_contact_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The oldest reply written to the child in the app that they have not opened yet: the
    # tracker's "replied, not yet read" without reading any event.
    reply_unread_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The tracker's order before the deadline (app/contacts/lateness.py `rank`): open before
    # finished, urgent first, waiting for a first contact before reached. With due_at and id it
    # is one index the tracker reads in order, 25 rows at a time (keyset, never OFFSET).
    tracker_rank: Mapped[int] = mapped_column(Integer, default=2)
    # A senior manager's proposal to close, until the contact is closed.
    close_proposed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    # The team the child said it happened in, by its key in council.toml, as last recorded
    # ("about_recorded"): the tracker's team filter, without reading any event.
    about_team: Mapped[str | None] = mapped_column(String(40), index=True)
    # The last time staff did something the child sees or tried to reach them (events.UPDATES).
    last_update_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Working minutes from the message to the first contact (the report's median and 90th
    # percentile in SQL), written by contacts.record with the council's clock.
    first_contact_minutes: Mapped[int | None] = mapped_column(Integer)
    # Who was praised, as a code (labels.PRAISE_ROLES), outside the encrypted message so the
    # report counts it; kept when the words go (app/retention.py).
    praise_role: Mapped[str | None] = mapped_column(String(20))
    # When the child's words and contact details were removed (app/retention.py).
    words_removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_contact_tracker_order", "tracker_rank", "due_at", "id"),
        # A senior manager's tracker: their own contacts, in the same order.
        Index("ix_contact_allocated_order", "allocated_to_id", "tracker_rank", "due_at", "id"),
        # The report's counts read this index alone, not the rows with their encrypted columns:
        # a range of the period, with every column the report groups by.
        Index(
            "ix_contact_report",
            "received_at",
            "kind",
            "channel",
            "age_band",
            "helper",
            "praise_role",
            "stage",
            "first_contact_at",
            "due_at",
            "first_contact_minutes",
        ),
    )

    promises: Mapped[list[ContactPromise]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactPromise.position"
    )
    events: Mapped[list[ContactEvent]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactEvent.id"
    )
    accesses: Mapped[list[ContactAccess]] = relationship(
        back_populates="contact", cascade="all, delete-orphan"
    )
    allocated_to: Mapped[StaffUser | None] = relationship()

    @property
    def promise_keys(self) -> list[str]:
        return [promise.promise_key for promise in self.promises]


class ContactPromise(Base):
    """A promise the contact is about, by its stable key in council.toml (or "other")."""

    __tablename__ = "contact_promise"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), primary_key=True)
    promise_key: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)

    contact: Mapped[Contact] = relationship(back_populates="promises")


class ContactEvent(Base):
    """Something that happened to a contact. Rows are only ever added."""

    __tablename__ = "contact_event"
    # The report counts events of a kind in a date range.
    __table_args__ = (Index("ix_contact_event_kind_at", "kind", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(120))
    # What may be shown in lists and reports: names, roles, choices. Never the child's words.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Free text (the child's additions, an update written for them), encrypted.
    text: Mapped[str | None] = mapped_column(EncryptedJSON)

    contact: Mapped[Contact] = relationship(back_populates="events")


class ContactTheme(Base):
    """A theme staff chose when closing a contact, one row each, written with the "closed"
    event (contacts.record): the report counts themes, and finds those that recur for a promise,
    from this index instead of reading the JSON of every closing event."""

    __tablename__ = "contact_theme"
    __table_args__ = (Index("ix_contact_theme_closed", "closed_at", "theme", "contact_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("contact_event.id"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(200), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    closed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ContactSearch(Base):
    """A keyed hash (HMAC) of a name or phone number a contact holds, written with the contact,
    so staff find it by an exact match without decrypting any row (app/search.py)."""

    __tablename__ = "contact_search"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    field: Mapped[str] = mapped_column(String(10))  # "name" or "phone"
    digest: Mapped[str] = mapped_column(String(64), index=True)


class ContactAccess(Base):
    """A device that may see a contact's status: the hash of the secret in its cookie."""

    __tablename__ = "contact_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    contact: Mapped[Contact] = relationship(back_populates="accesses")


class PushSubscription(Base):
    """A phone that asked to be told when there is news about a contact (Web Push, opt-in).

    Deleted when the child turns it off, when the contact is finished, and when the push
    service says the subscription is gone (404 or 410): app/contacts/news.py, app/push.py."""

    __tablename__ = "push_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000))
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Draft(Base):
    """A message being written, kept between its pages so it works without JavaScript.

    Found by the hash of a token in the child's session; deleted when sent, at the quick exit,
    and a week after it was last touched.
    """

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class StaffUser(Base):
    """A member of staff. Made by admin in the browser, or from the command line
    (`flask staff create`). An account made in the browser cannot sign in until its owner
    has followed their one-time link, set a password and enrolled an authenticator."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(30))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str] = mapped_column(EncryptedJSON)
    # The last 30-second step a code was accepted for: a code works once.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The team they work in, by its key in council.toml: nobody is given a contact about it.
    team: Mapped[str | None] = mapped_column(String(40))
    # When they set their password and enrolled their authenticator; None until then.
    enrolled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class StaffLink(Base):
    """A one-time link to set a password and enrol an authenticator, sent by email.

    Only the hash of its token is kept. It works once, until `expires_at`, and a newer link
    for the same account (a reset) ends it."""

    __tablename__ = "staff_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A reset's link also needs the code admin gave its owner by phone or in person (ASVS 5.0
    # 6.4.3: the mailbox alone must not be enough to take the account): its hash, and the
    # wrong tries (the link ends after a few).
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_misses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    staff: Mapped[StaffUser] = relationship()


class StaffSession(Base):
    """A signed-in browser, ended on the server at sign-out, timeout or when disabled."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # Every request that finds the session needs its member of staff: one statement, not two.
    staff: Mapped[StaffUser] = relationship(lazy="joined")


class AuditEvent(Base):
    """Who saw or did what, and when. Never the child's words or an access secret."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Throttle(Base):
    """Wrong tries at one thing (a reference from an address, an account, ...) and the wait
    they have earned: see app/throttle.py. The key is a hash; no address is kept in clear."""

    __tablename__ = "throttle"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    wait_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    """An email written in the same transaction as the event it tells of, sent after commit.

    `dedupe_key` makes each message, and each deadline reminder, exist once. While a worker
    sends it, `next_attempt_at` is the end of that worker's lease. A message that failed
    every attempt gets `gave_up_at`, is never tried again, and is shown to staff.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    gave_up_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class PromiseAwareness(Base):
    """An IRO's answer at a child's review: has their current social worker shared and talked
    about the promise with them? No name: the date, the age band and yes or no."""

    __tablename__ = "promise_awareness"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reviewed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    age_band: Mapped[str] = mapped_column(String(10))
    shared: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))


class YouSaidWeDid(Base):
    """ "You told us..., so we...": a short anonymised item children read in the app once
    published. Plain text, escaped when shown."""

    __tablename__ = "you_said_we_did"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    promise_key: Mapped[str] = mapped_column(String(40))
    you_said: Mapped[str] = mapped_column(String(500))
    we_did: Mapped[str] = mapped_column(String(500))
    written_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
