"""Two outbox workers and a slow mail server: every email delivered once, none twice, none lost.

Production runs `flask outbox run` as a service, and more than one may run at once. Time is
compressed here: the lease is cut from five minutes to two seconds, each worker starts a new round
0.1 s after the last (30 s in production), and the sink takes a quarter of a second over each
message, so a slow server and a round longer than a lease fit in a few seconds of the test.
Before the fix, with the second worker a lease later, 19 to 33 of the 40 went twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from app import notify, outbox
from app.extensions import db
from app.models import OutboxMessage
from app.timekeeping import now
from tests.test_outbox import free_port

EMAILS = 40
DELAY = 0.25  # seconds the sink takes over each message
LEASE = dt.timedelta(seconds=2)
ROUND_GAP = 0.1  # seconds a worker waits between rounds
GIVE_UP_AFTER = 30.0  # seconds: the test fails rather than hangs


class SlowInbox:
    """An SMTP sink that takes its time over every message, several at once."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        await asyncio.sleep(DELAY)
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def slow_inbox(app: Flask) -> Iterator[SlowInbox]:
    received = SlowInbox()
    port = free_port()
    server = Controller(received, hostname="127.0.0.1", port=port)
    server.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="tellus@council.example")
    yield received
    server.stop()


def waiting(app: Flask) -> int:
    with app.app_context():
        try:
            return (
                db.session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.sent_at.is_(None))
                )
                or 0
            )
        finally:
            db.session.remove()


# Together, the two race for the same row at each claim; a lease apart, the second's rounds
# begin after the first's leases, had they been counted from the start of its round, ran out.
SECOND_STARTS = {"together": 0.0, "a-lease-later": LEASE.total_seconds() + 0.5}


@pytest.mark.parametrize("second_starts", list(SECOND_STARTS))
@pytest.mark.commits  # two workers, each with its own connection
def test_two_workers_and_a_slow_server_send_each_email_exactly_once(
    app: Flask, slow_inbox: SlowInbox, monkeypatch: pytest.MonkeyPatch, second_starts: str
) -> None:
    monkeypatch.setattr(outbox, "LEASE", LEASE)
    for n in range(EMAILS):
        outbox.queue(
            db.session(),
            key=f"test:{n}",
            recipient=f"person{n}@council.example",
            subject=f"Email {n}",
            body="A reference and a link.",
            now=now(),
        )
    db.session.commit()
    db.session.remove()

    errors: list[BaseException] = []
    stop_at = time.monotonic() + GIVE_UP_AFTER

    def worker(later: float) -> None:
        time.sleep(later)
        while time.monotonic() < stop_at and waiting(app):
            try:
                notify.run_once(app)
            except Exception as error:  # noted, and the worker goes on as the service would
                errors.append(error)
            time.sleep(ROUND_GAP)

    late = SECOND_STARTS[second_starts]
    workers = [threading.Thread(target=worker, args=(later,)) for later in (0.0, late)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()

    subjects = Counter(str(m["Subject"]) for m in slow_inbox.messages)
    twice = sum(count - 1 for count in subjects.values())
    missing = EMAILS - len(subjects)
    print(
        f"{db.engine.dialect.name}, second worker {second_starts}: "
        f"{EMAILS} emails, {twice} sent twice or more, {missing} lost"
    )
    assert (twice, missing, errors) == (0, 0, [])
    ids = sorted(str(m["Message-ID"]) for m in slow_inbox.messages)
    assert ids == sorted(f"<test.{n}@council.example>" for n in range(EMAILS))
