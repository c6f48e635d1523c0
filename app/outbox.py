"""The durable outbox: emails written in the same transaction as the event they tell of.

What each email says, and when one is written, is the rules' business (app/contacts/mail.py);
this module only keeps and delivers them.

A worker (`flask --app app outbox run`) sends them after commit, retrying with backoff; more
than one worker may run. Each row has a unique key, so a message, and each deadline reminder,
exists once. A worker claims one row at a time in its own short transaction, by a
compare-and-set on the row's attempt count (PostgreSQL also skips rows another worker has
locked; SQLite lets one writer at a time make the change, so only one claimer wins), and
commits the claim before it sends. The claim is a lease counted from the moment of the claim,
far longer than an SMTP send can take before its timeouts end it; a send that outlasts it
anyway is logged as an error. Only a crash between the SMTP server's answer and the next
commit could repeat an email, and the Message-ID, made from the key alone, is the same on the
repeat, so a mail server or a reader can tell it for what it is.

After MAX_ATTEMPTS failures a row gives up: it is never tried again, the log says so at ERROR,
and Head of Service and admin see it on the staff page of mail problems.

No email carries a child's words or contact details: the reference and a link.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import OutboxMessage

log = logging.getLogger(__name__)

# A claimed row is left to its worker this long from the moment of the claim. An SMTP send
# ends well inside it: each step of the conversation times out after Smtp.timeout seconds.
LEASE = dt.timedelta(minutes=5)
# With the backoff below, the last try is about three hours after the first.
MAX_ATTEMPTS = 8

Clock = Callable[[], dt.datetime]


def queue(
    session: Session, *, key: str, recipient: str, subject: str, body: str, now: dt.datetime
) -> bool:
    """Add a message unless one with this key exists. True if it was added.

    One statement: the database skips a key it has (ON CONFLICT DO NOTHING, in PostgreSQL and
    SQLite alike), where a look, a savepoint, the insert and its release took four round trips
    inside the send a child waits for (issue 15)."""
    return queue_on(session.connection(), key, recipient, subject, body, now)


def queue_on(
    connection: Connection, key: str, recipient: str, subject: str, body: str, now: dt.datetime
) -> bool:
    """`queue` on a connection the caller holds (the send, which writes by Core)."""
    row = {
        "dedupe_key": key,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "created_at": now,
        "next_attempt_at": now,
        "attempts": 0,
    }
    added = connection.execute(_queueing(connection.dialect.name), row)
    return added.rowcount == 1


@functools.cache
def _queueing(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """The insert that skips a key the outbox has, its row given as parameters: the same
    statement for every email, made once (a statement is immutable), so SQLAlchemy compiles it
    once, where one with the row's values built in was made and its cache key worked out
    afresh for each (issue 15)."""
    table = cast(Table, OutboxMessage.__table__)
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return insert.on_conflict_do_nothing(index_elements=["dedupe_key"])


@dataclass(frozen=True)
class Mail:
    """What a sender needs of a row: read inside the claim, so no transaction is open while
    the SMTP server takes its time."""

    key: str
    recipient: str
    subject: str
    body: str


Send = Callable[[Mail], None]


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2**attempts), dt.timedelta(hours=1))


def _waiting() -> Any:
    return (OutboxMessage.sent_at.is_(None)) & (OutboxMessage.gave_up_at.is_(None))


def _changed(session: Session, statement: Any) -> bool:
    result = cast(
        CursorResult[Any],
        session.execute(statement, execution_options={"synchronize_session": False}),
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class _Claim:
    id: int
    attempts: int  # counting this one
    mail: Mail


def _claim(session: Session, clock: Clock, due_by: dt.datetime) -> _Claim | None:
    """Take the next row due by `due_by` for this worker alone; None when nothing is left."""
    look = (
        select(OutboxMessage)
        .where(_waiting(), OutboxMessage.next_attempt_at <= due_by)
        .order_by(OutboxMessage.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )
    if session.get_bind().dialect.name == "postgresql":
        look = look.with_for_update(skip_locked=True)
    while True:
        row = session.scalars(look).first()
        if row is None:
            session.commit()
            return None
        moment = clock()  # now, not when the round began: the lease runs from the claim
        mine = (OutboxMessage.id == row.id) & (OutboxMessage.attempts == row.attempts) & _waiting()
        if row.attempts >= MAX_ATTEMPTS:
            # Its last attempt was claimed and never answered: the worker stopped mid-send.
            if _changed(
                session,
                update(OutboxMessage)
                .where(mine)
                .values(
                    gave_up_at=moment,
                    last_error="The worker stopped during the last attempt; not tried again.",
                ),
            ):
                log.error("email %s gave up after %s attempts", row.dedupe_key, row.attempts)
            session.commit()
            continue
        claimed = _changed(
            session,
            update(OutboxMessage)
            .where(mine)
            .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=moment + LEASE),
        )
        claim = _Claim(
            row.id, row.attempts + 1, Mail(row.dedupe_key, row.recipient, row.subject, row.body)
        )
        session.commit()  # the row is expired now: read nothing more from it
        if claimed:
            return claim
        # Another worker claimed it between our look and our claim: look again.


def _sent(session: Session, claim: _Claim, moment: dt.datetime) -> None:
    # Sent is sent, even if the lease ran out meanwhile and another worker holds the row.
    _changed(
        session,
        update(OutboxMessage)
        .where(OutboxMessage.id == claim.id, OutboxMessage.sent_at.is_(None))
        .values(sent_at=moment, last_error=None),
    )
    session.commit()


def _failed(session: Session, claim: _Claim, error: Exception, moment: dt.datetime) -> None:
    text = f"{type(error).__name__}: {error}"[:500]
    give_up = claim.attempts >= MAX_ATTEMPTS
    changes: dict[str, Any] = {"last_error": text}
    if give_up:
        changes["gave_up_at"] = moment
    else:
        changes["next_attempt_at"] = moment + backoff(claim.attempts)
    # Only while the row is still ours: a worker that took it after our lease ran out has it now.
    ours = _changed(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.id == claim.id,
            OutboxMessage.attempts == claim.attempts,
            _waiting(),
        )
        .values(**changes),
    )
    session.commit()
    if ours and give_up:
        log.error("email %s gave up after %s attempts: %s", claim.mail.key, claim.attempts, text)
    else:
        log.warning("email %s failed (attempt %s): %s", claim.mail.key, claim.attempts, text)


def deliver_due(session: Session, send: Send, clock: Clock) -> tuple[int, int]:
    """Send what was due when the round began; (sent, failed).

    The time for each lease, backoff and sent time is read from `clock` when it is needed,
    so a slow send never leaves the next row with a lease that has already run out.
    """
    due_by = clock()
    sent = failed = 0
    while True:
        claim = _claim(session, clock, due_by)
        if claim is None:
            return sent, failed
        started = time.monotonic()
        try:
            send(claim.mail)
        except (OSError, smtplib.SMTPException) as error:
            _failed(session, claim, error, clock())
            failed += 1
        else:
            _sent(session, claim, clock())
            sent += 1
        took = dt.timedelta(seconds=time.monotonic() - started)
        if took >= LEASE:
            log.error(
                "email %s took %s to send, longer than its lease: another worker may have "
                "sent it too",
                claim.mail.key,
                took,
            )


def given_up(session: Session, limit: int = 200) -> Sequence[OutboxMessage]:
    """The emails that failed every attempt, newest first."""
    return session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.gave_up_at.is_not(None))
        .order_by(OutboxMessage.gave_up_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    ).all()


_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def message_id(key: str, domain: str) -> str:
    """The Message-ID of the email with this key: the same on every try, and unlike any other.

    Each `:`-separated part of the key keeps its letters, digits and hyphens and writes any
    other character as `=XX` (its UTF-8 bytes in hex); the parts are joined by dots, and an
    empty part is `_`. So the ID is a valid dot-atom and two keys never share one.
    """
    parts = [
        _UNSAFE.sub(lambda m: "".join(f"={b:02X}" for b in m[0].encode()), part) or "_"
        for part in key.split(":")
    ]
    return f"<{'.'.join(parts)}@{domain}>"


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0

    def __call__(self, mail: Mail) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = mail.recipient
        email["Subject"] = mail.subject
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"
        email["Message-ID"] = message_id(mail.key, domain)
        email.set_content(mail.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
            if self.starttls:
                server.starttls()
            if self.username:
                server.login(self.username, self.password)
            server.send_message(email)
