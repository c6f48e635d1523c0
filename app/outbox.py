"""The durable outbox: emails written in the same transaction as the event they tell of.

What each email says, and when one is written, is the rules' business (app/contacts/mail.py);
this module only keeps and delivers them.

A worker (`flask --app app outbox run`) sends them after commit, retrying with backoff.
Each row has a unique key, so a message, and each deadline reminder, exists once. A row is
claimed (with a lease) and committed before it is sent, so two workers never send it twice;
only a crash between the SMTP server's answer and the next commit could repeat one, and the
Message-ID, made from the key, lets a mail server drop that repeat.

No email carries a child's words or contact details: the reference and a link.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import OutboxMessage

LEASE = dt.timedelta(minutes=5)


def queue(
    session: Session, *, key: str, recipient: str, subject: str, body: str, now: dt.datetime
) -> bool:
    """Add a message unless one with this key exists. True if it was added."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return False
    try:
        with session.begin_nested():
            session.add(
                OutboxMessage(
                    dedupe_key=key,
                    recipient=recipient,
                    subject=subject,
                    body=body,
                    created_at=now,
                    next_attempt_at=now,
                    attempts=0,
                )
            )
    except IntegrityError:
        return False
    return True


Send = Callable[[OutboxMessage], None]


def backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2**attempts), dt.timedelta(hours=1))


def deliver_due(session: Session, send: Send, now: dt.datetime) -> tuple[int, int]:
    """Send what is waiting; (sent, failed)."""
    sent = failed = 0
    while True:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        message = session.scalar(query)
        if message is None:
            return sent, failed
        message.attempts += 1
        message.next_attempt_at = now + LEASE  # claimed: no other worker takes it meanwhile
        session.commit()
        try:
            send(message)
        except (OSError, smtplib.SMTPException) as error:
            message.next_attempt_at = now + backoff(message.attempts)
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            failed += 1
        else:
            message.sent_at = now
            message.last_error = None
            sent += 1
        session.commit()


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0

    def __call__(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = make_msgid(
            idstring=message.dedupe_key.replace(":", "."), domain=self.sender.split("@")[-1]
        )
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
            if self.starttls:
                server.starttls()
            if self.username:
                server.login(self.username, self.password)
            server.send_message(email)
