"""A message arriving: its answers checked, and the contact made exactly once."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Connection,
    Integer,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, make_transient_to_detached

from app import audit, outbox
from app.contacts import lateness, mail, search
from app.contacts.access import hash_secret, random_reference
from app.contacts.office import Office
from app.contacts.refusals import Refusal, Refused
from app.contacts.text import SHORT_LIMIT, has_visible_words, kept
from app.models import (
    Base,
    Contact,
    ContactAccess,
    ContactEvent,
    ContactPromise,
    ContactSearch,
    EncryptedJSON,
    OutboxMessage,
    StaffUser,
    UTCDateTime,
)
from app.words import normalise

KINDS = ("kept_well", "not_kept", "praise")
HELPERS = ("nobody", "carer", "social_worker", "iro", "advocate", "someone_else")
CHANNELS = ("app", "phone", "email", "in_person")
OTHER = "other"  # "something else", beside the council's promises
# The databases that write a new contact in one statement (a data-modifying WITH); the others
# write it table by table. A test sets it empty to compare the two on PostgreSQL.
WRITTEN_WHOLE = frozenset({"postgresql"})
# The keys of Answers.reach: how to reach the child, then what helps them talk. The app's steps
# and staff logging a call keep them under these names, so every contact reads alike.
REACH_KEYS = ("name", "how", "phone", "email", "best_time", "leave_message")
SUPPORT_KEYS = ("language", "interpreter", "helps", "helps_other", "advocate")
# The ways back to a child other than the app (the answers to "how should we get back to you").
OTHER_WAYS_BACK = frozenset({"phone", "text", "email", "social_worker", "carer", "iro"})


def only_in_app(reach: dict[str, Any] | None) -> bool:
    """Whether the app is the only way back to the child: they stayed anonymous, chose "only
    in this app", or chose no way back and gave no phone number or email address."""
    how = (reach or {}).get("how")
    if how == "app_only" or not reach:
        return True
    if how in OTHER_WAYS_BACK:
        return False
    return not (reach.get("phone") or reach.get("email"))


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
        """The answers as they will be kept, or Refused with the first problem."""
        if self.kind not in KINDS:
            raise Refused(Refusal.UNKNOWN_KIND)
        if not self.promises or any(p not in known_promises and p != OTHER for p in self.promises):
            raise Refused(Refusal.UNKNOWN_PROMISE)
        if self.helper not in HELPERS:
            raise Refused(Refusal.UNKNOWN_HELPER)
        words = kept(self.words)
        if not words and not self.urgent:
            # A child who does not feel safe may send an urgent message with no words at all.
            raise Refused(Refusal.NO_WORDS)
        praise = self.kind == "praise"
        praise_name = kept(self.praise_name, SHORT_LIMIT) if praise else ""
        if praise and not praise_name:
            raise Refused(Refusal.NO_PRAISE_NAME)
        reach = None
        if self.reach:
            reach = {
                key: kept(value, SHORT_LIMIT) if isinstance(value, str) else value
                for key, value in self.reach.items()
            }
        return Answers(
            kind=self.kind,
            promises=tuple(dict.fromkeys(self.promises)),
            words=words,
            helper=self.helper,
            praise_name=praise_name,
            praise_role=kept(self.praise_role, SHORT_LIMIT) if praise else "",
            praise_may_pass_on=praise and self.praise_may_pass_on,
            reach=reach,
            urgent=self.urgent,
            age_band=self.age_band,
        )


def sent_before(session: Session, submission_key: str, access_secret: str) -> Contact | None:
    """The contact this key already made, for the device that made it (a double click or a
    resubmission). A key is single-use: replayed by anyone else it opens nothing."""
    existing = session.scalar(select(Contact).where(Contact.submission_key == submission_key))
    return _held_by(session, existing, access_secret)


def _held_by(session: Session, existing: Contact | None, access_secret: str) -> Contact | None:
    if existing is None:
        return None
    holds = session.scalar(
        select(ContactAccess.id).where(
            ContactAccess.contact_id == existing.id,
            ContactAccess.secret_hash == hash_secret(access_secret),
        )
    )
    if holds is None:
        raise Refused(Refusal.ALREADY_SENT)
    return existing


# A new contact's columns that only later events fill: written as None, so the contact handed
# back has every column loaded.
NOT_YET: dict[str, Any] = {
    "allocated_to_id": None,
    "first_contact_at": None,
    "reply_unread_since": None,
    "close_proposed_at": None,
    "about_team": None,
    "last_update_at": None,
    "first_contact_minutes": None,
    "words_removed_at": None,
}


def _event(
    kind: str,
    at: dt.datetime,
    actor: str,
    details: dict[str, Any] | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    return {"kind": kind, "at": at, "actor": actor, "details": details or {}, "text": text}


@dataclass(frozen=True)
class _Rows:
    """What a new contact writes beside its own row, each row without the contact's id."""

    promises: list[dict[str, Any]]
    events: list[dict[str, Any]]
    access: dict[str, Any]
    search: list[dict[str, Any]]


def _write(
    connection: Connection,
    contact: Contact,
    rows: _Rows,
    office: Office,
    now: dt.datetime,
    whole: bool,
) -> int | None:
    """Write the contact, its rows and its email, and return its id; None, and nothing
    written, when its submission key or its reference is taken (the database skips the row, so
    no savepoint is needed around it, and no look before it: issue 15).

    On PostgreSQL in one statement (`whole`), where SQLite, which cannot insert inside a WITH,
    takes one for each table: six round trips saved in the send a child waits for. Both
    write the same rows (tests/test_send_statements.py compares them)."""
    if whole:
        return _write_whole(connection, contact, rows, office, now)
    row = {key: getattr(contact, key) for key in _CONTACT_COLUMNS}
    insert_contact = _contact_insert(connection.dialect.name)
    contact_id: int | None = connection.execute(insert_contact, row).scalar()
    if contact_id is None:
        return None
    tables = (
        (ContactPromise, rows.promises),
        (ContactEvent, rows.events),
        (ContactAccess, [rows.access]),
        (ContactSearch, rows.search),
    )
    for model, written in tables:
        if written:  # in one statement each, by Core: the unit of work added only its cost
            connection.execute(
                insert(cast(Table, model.__table__)),
                [{"contact_id": contact_id, **one} for one in written],
            )
    key, subject, body = mail.new_contact_email(contact, office, str(contact_id))
    outbox.queue_on(connection, key, office.mailbox, subject, body, now)
    return contact_id


_CONTACT_COLUMNS = tuple(c.key for c in cast(Table, Contact.__table__).columns if c.key != "id")
# Where the contact's id goes in its email's words, before the database has chosen it: split
# there, and joined again around the id in SQL. A NUL cannot be in the council's words.
_ID_MARK = "\x00id\x00"


def _write_whole(
    connection: Connection, contact: Contact, rows: _Rows, office: Office, now: dt.datetime
) -> int | None:
    params: dict[str, Any] = {f"c_{key}": getattr(contact, key) for key in _CONTACT_COLUMNS}
    params["p_key"] = [one["promise_key"] for one in rows.promises]
    params["p_position"] = [one["position"] for one in rows.promises]
    for column in ("kind", "at", "actor", "text"):
        params[f"e_{column}"] = [one[column] for one in rows.events]
    params["e_details"] = [json.dumps(one["details"]) for one in rows.events]
    params["a_secret_hash"] = rows.access["secret_hash"]
    params["a_created_at"] = rows.access["created_at"]
    params["s_field"] = [one["field"] for one in rows.search]
    params["s_digest"] = [one["digest"] for one in rows.search]
    email = mail.new_contact_email(contact, office, _ID_MARK)
    for name, words in zip(("o_key", "o_subject", "o_body"), email, strict=True):
        params[name] = words.split(_ID_MARK)
    params["o_recipient"] = office.mailbox
    params["o_now"] = now
    contact_id: int | None = connection.execute(_whole_insert(), params).scalar()
    return contact_id


@functools.cache
def _contact_insert(dialect: str) -> Any:
    """Made once per database kind (a statement is immutable), so it is compiled once."""
    table = cast(Table, Contact.__table__)
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return insert.on_conflict_do_nothing().returning(table.c.id)


@functools.cache
def _whole_insert() -> Any:
    """The contact, its promises, events, access, search hashes and email in one statement:
    the contact's row as a data-modifying WITH, and each of the others selected from what it
    returned (so nothing else is written when its key or reference is taken). Rows of a
    table come as arrays, unnested, so the statement is one shape, compiled once."""
    table = cast(Table, Contact.__table__)
    new = (
        postgresql.insert(table)
        .values(
            {column: bindparam(f"c_{column.key}", type_=column.type) for column in _columns(table)}
        )
        .on_conflict_do_nothing()
        .returning(table.c.id)
        .cte("new_contact")
    )

    def each(*arrays: tuple[str, Any]) -> Any:
        unnested = func.unnest(*(bindparam(name, type_=ARRAY(kind)) for name, kind in arrays))
        return unnested.table_valued(*(name[2:] for name, _ in arrays)).render_derived()

    def written(model: type[Base], names: list[str], *selected: Any, after: Any = None) -> Any:
        chosen = select(new.c.id, *selected)
        if after is not None:
            chosen = chosen.select_from(new.join(after, true()))
        to = cast(Table, model.__table__)
        return postgresql.insert(to).from_select(["contact_id", *names], chosen)

    promises = each(("p_key", String), ("p_position", Integer))
    events = each(
        ("e_kind", String),
        ("e_at", UTCDateTime),
        ("e_actor", String),
        ("e_details", String),
        ("e_text", EncryptedJSON),
    )
    found = each(("s_field", String), ("s_digest", String))
    contact_id = new.c.id.cast(String)
    outbox_table = cast(Table, OutboxMessage.__table__)
    email = (
        postgresql.insert(outbox_table)
        .from_select(
            [
                "dedupe_key",
                "recipient",
                "subject",
                "body",
                "created_at",
                "next_attempt_at",
                "attempts",
            ],
            select(
                *(
                    func.array_to_string(bindparam(name, type_=ARRAY(String)), contact_id)
                    for name in ("o_key",)
                ),
                bindparam("o_recipient", type_=String),
                *(
                    func.array_to_string(bindparam(name, type_=ARRAY(String)), contact_id)
                    for name in ("o_subject", "o_body")
                ),
                bindparam("o_now", type_=UTCDateTime),
                bindparam("o_now", type_=UTCDateTime),
                literal(0, Integer),
            ),
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    return select(new.c.id).add_cte(
        written(
            ContactPromise,
            ["promise_key", "position"],
            promises.c.key,
            promises.c.position,
            after=promises,
        ).cte("new_promises"),
        written(
            ContactEvent,
            ["kind", "at", "actor", "details", "text"],
            events.c.kind,
            events.c.at,
            events.c.actor,
            events.c.details.cast(JSON),
            events.c.text,
            after=events,
        ).cte("new_events"),
        written(
            ContactAccess,
            ["secret_hash", "created_at"],
            bindparam("a_secret_hash", type_=String),
            bindparam("a_created_at", type_=UTCDateTime),
        ).cte("new_access"),
        written(ContactSearch, ["field", "digest"], found.c.field, found.c.digest, after=found).cte(
            "new_search"
        ),
        email.cte("new_email"),
    )


def _columns(table: Table) -> list[Any]:
    return [column for column in table.columns if column.key != "id"]


def _persistent(session: Session, contact: Contact, contact_id: int) -> Contact:
    """The contact, inserted by Core, as the session's own: every column as written (none
    expired, so reading one asks the database nothing), its lists loaded when first read."""
    contact.id = contact_id
    make_transient_to_detached(contact)
    session.add(contact)
    return contact


def submit(
    session: Session,
    answers: Answers,
    *,
    submission_key: str,
    access_secret: str,
    memorable_words: str,
    now: dt.datetime,
    office: Office,
    channel: str = "app",
    received_at: dt.datetime | None = None,
    logged_by: StaffUser | None = None,
    urgent_reason: str | None = None,
) -> Contact:
    """Make the contact, once: the same submission key always answers with the same contact.

    Its consequences are written with it: the email to the council's mailbox (marked urgent
    when the child does not feel safe, or staff logging it say why it is urgent) and, for a
    contact staff logged, the audit row. Memorable words for a contact staff logged mean the
    child wants to follow it in the app: the history says they were given."""
    if channel not in CHANNELS:
        raise Refused(Refusal.UNKNOWN_CHANNEL)
    reason = None
    if urgent_reason is not None:
        reason = kept(urgent_reason)
        if logged_by is None or not has_visible_words(reason):
            raise Refused(Refusal.REASON_NEEDED)
    received = received_at or now
    if received > now:
        raise Refused(Refusal.IN_THE_FUTURE)
    try:
        answers = answers.checked(office.promise_keys)
    except Refused:
        # A message already sent answers with its contact, whatever its answers say now.
        existing = sent_before(session, submission_key, access_secret)
        if existing is None:
            raise
        return existing
    actor = logged_by.email if logged_by else "child"
    by_staff = {"role_of_actor": logged_by.role} if logged_by else {}
    contact = Contact(
        reference=random_reference(),
        submission_key=submission_key,
        kind=answers.kind,
        channel=channel,
        age_band=answers.age_band,
        helper=answers.helper,
        urgent=answers.urgent or reason is not None,
        praise_may_pass_on=answers.praise_may_pass_on,
        praise_role=(answers.praise_role or None) if answers.kind == "praise" else None,
        message={
            "words": answers.words,
            "praise_name": answers.praise_name,
            "praise_role": answers.praise_role,
        },
        reach=answers.reach,
        received_at=received,
        due_at=office.clock.response_due(received),
        memorable_words=normalise(memorable_words),
        stage=1,
        **NOT_YET,
    )
    contact.tracker_rank = lateness.rank(contact)
    events = [_event("sent", received, actor)]
    if answers.urgent:
        events.append(_event("child_not_safe", received, actor))
    if reason is not None:
        events.append(_event("marked_urgent", received, actor, by_staff, text=reason))
    if logged_by is not None and contact.memorable_words:
        events.append(_event("app_words_given", now, actor, by_staff))
    rows = _Rows(
        promises=[{"promise_key": key, "position": n} for n, key in enumerate(answers.promises)],
        events=events,
        access={"secret_hash": hash_secret(access_secret), "created_at": now},
        search=[
            {"field": field, "digest": digest} for field, digest in search.hashed(answers.reach)
        ],
    )
    connection = session.connection()
    whole = connection.dialect.name in WRITTEN_WHOLE
    while (contact_id := _write(connection, contact, rows, office, now, whole)) is None:
        # The key made a contact already (a double click, or a request racing this one, which
        # the database waited for), or chance picked a reference a contact has.
        existing = sent_before(session, submission_key, access_secret)
        if existing is not None:
            return existing
        contact.reference = random_reference()
    contact = _persistent(session, contact, contact_id)
    if logged_by is not None:
        audit.record(
            session,
            "logged_contact",
            now=now,
            staff=logged_by,
            contact=contact,
            details={"channel": channel},
        )
    return contact
