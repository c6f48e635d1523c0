"""Emails through the durable outbox, to a real SMTP server (aiosmtpd) on this machine."""

from __future__ import annotations

import datetime as dt
import logging
import re
import socket
import uuid
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select, update

from app import contacts, notify, outbox
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import A_PROMISE, COUNCIL, OFFICE, record
from tests.journey import send_message
from tests.staff_helpers import make_staff

MONDAY_10 = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
WORDS = "My social worker does not call me back."


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def body(email: Message) -> str:
    payload = email.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    received = Inbox()
    port = free_port()
    server = Controller(received, hostname="127.0.0.1", port=port)
    server.start()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        MAIL_FROM="tellus@council.example",
        BASE_URL="https://promise.council.example",
    )
    yield received
    server.stop()


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_a_new_message_emails_the_tell_us_mailbox_once(app: Flask, inbox: Inbox) -> None:
    app.config["FIXED_NOW"] = MONDAY_10
    reference = send_message(app.test_client())
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert outbox_count() == 1  # written with the contact, in its transaction
    assert notify.run_once(app) == (1, 0)
    assert notify.run_once(app) == (0, 0)
    [email] = inbox.to(COUNCIL.staff.mailbox)
    text = body(email)
    assert email["Subject"] == f"New {COUNCIL.staff.short_name} message {reference}"
    assert f"https://promise.council.example/staff/contacts/{contact.id}" in text
    assert WORDS not in text and "07700" not in text and "Jo" not in text.split()
    assert email["Message-ID"] == f"<new.{contact.id}@council.example>"  # from the key alone


def test_allocation_emails_the_manager(app: Flask, inbox: Inbox) -> None:
    from tests.helpers import csrf_token
    from tests.staff_helpers import signed_in_client

    reference = send_message(app.test_client())
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    manager = make_staff("senior_manager", "Sam Patel", "sam@council.example")
    head, _ = signed_in_client(app, "head_of_service")
    token = csrf_token(head.get("/staff/sign-in").get_data(as_text=True))
    response = head.post(
        f"/staff/contacts/{contact.id}/allocate",
        data={"allocate-csrf_token": token, "allocate-staff_id": str(manager.id)},
    )
    assert response.status_code == 303
    notify.run_once(app)
    [email] = inbox.to("sam@council.example")
    assert reference in email["Subject"]
    assert "speak to the child first" in body(email)
    assert WORDS not in body(email)


def test_deadline_reminders_go_to_every_head_of_service_once_each(app: Flask, inbox: Inbox) -> None:
    heads = [make_staff("head_of_service", email=f"head{n}@council.example") for n in (1, 2)]
    answers = contacts.Answers(kind="not_kept", promises=(A_PROMISE,), words=WORDS, helper="nobody")
    contact = contacts.submit(
        db.session(),
        answers,
        submission_key=uuid.uuid4().hex,
        access_secret="s",
        memorable_words="a b c",
        now=MONDAY_10,
        office=OFFICE,
    )
    db.session.commit()  # due Wednesday 10:00
    for moment, expected in [
        (dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC), 0),  # 24 working hours left
        (dt.datetime(2026, 11, 25, 2, 1, tzinfo=dt.UTC), 1),  # under 8 left
        (dt.datetime(2026, 11, 25, 3, tzinfo=dt.UTC), 1),  # still under 8: no repeat
        (dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), 2),  # due now
        (dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC), 2),  # late: no repeat
    ]:
        app.config["FIXED_NOW"] = moment
        notify.run_once(app)
        for head in heads:
            mine = [m for m in inbox.to(head.email) if contact.reference in m["Subject"]]
            assert len(mine) == expected, (moment, head.email, [m["Subject"] for m in mine])
    assert "is due now" in inbox.to(heads[0].email)[-1]["Subject"]


def test_no_reminder_once_the_child_has_been_spoken_to(app: Flask, inbox: Inbox) -> None:
    make_staff("head_of_service")
    answers = contacts.Answers(kind="kept_well", promises=(A_PROMISE,), words="x", helper="nobody")
    contact = contacts.submit(
        db.session(),
        answers,
        submission_key=uuid.uuid4().hex,
        access_secret="s2",
        memorable_words="a b c",
        now=MONDAY_10,
        office=OFFICE,
    )
    record(contact, "spoke_to_child", now=MONDAY_10, role="customer_relations")
    db.session.commit()
    app.config["FIXED_NOW"] = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)
    notify.run_once(app)
    subjects = [m["Subject"] for m in inbox.messages if contact.reference in m["Subject"]]
    assert subjects == [
        f"New {COUNCIL.staff.short_name} message {contact.reference}"
    ]  # and no reminder


def test_a_failed_send_is_retried_with_backoff_and_sent_once(app: Flask, inbox: Inbox) -> None:
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nobody listening: the send fails
    app.config["FIXED_NOW"] = MONDAY_10
    send_message(app.test_client())
    assert notify.run_once(app) == (0, 1)
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.attempts == 1 and message.sent_at is None
    assert message.next_attempt_at == MONDAY_10 + dt.timedelta(minutes=2)
    assert "ConnectionRefusedError" in (message.last_error or "")
    app.config["SMTP_PORT"] = port
    assert notify.run_once(app) == (0, 0)  # not yet: the backoff has not passed
    app.config["FIXED_NOW"] = MONDAY_10 + dt.timedelta(minutes=3)
    assert notify.run_once(app) == (1, 0)
    assert notify.run_once(app) == (0, 0)
    assert len(inbox.messages) == 1


def test_the_worker_command(app: Flask, inbox: Inbox) -> None:
    send_message(app.test_client())
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert len(inbox.messages) == 1


def test_a_resend_after_a_lost_commit_carries_the_same_message_id(app: Flask, inbox: Inbox) -> None:
    app.config["FIXED_NOW"] = MONDAY_10
    send_message(app.test_client())
    assert notify.run_once(app) == (1, 0)
    # The worker died after the server took the email and before "sent" was committed: once
    # the lease ran out the email goes again, and says it is the same one.
    db.session.execute(update(OutboxMessage).values(sent_at=None))
    db.session.commit()
    app.config["FIXED_NOW"] = MONDAY_10 + outbox.LEASE
    assert notify.run_once(app) == (1, 0)
    first, second = inbox.messages
    contact_id = db.session.scalar(select(Contact.id))
    assert first["Message-ID"] == second["Message-ID"] == f"<new.{contact_id}@council.example>"


DOT_ATOM_ID = re.compile(r"<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("new:12", "<new.12@council.example>"),
        ("allocated:12:40", "<allocated.12.40@council.example>"),
        (
            "not-safe:12:41:sam.patel+tellus@council.example",
            "<not-safe.12.41.sam=2Epatel=2Btellus=40council=2Eexample@council.example>",
        ),
        ("a.b", "<a=2Eb@council.example>"),  # not the same as a:b
        ("a:b", "<a.b@council.example>"),
        ("a::b:", "<a._.b._@council.example>"),
        ("über", "<=C3=BCber@council.example>"),
    ],
)
def test_the_message_id_is_the_key_written_safely(key: str, expected: str) -> None:
    assert outbox.message_id(key, "council.example") == expected
    assert DOT_ATOM_ID.match(expected)


@pytest.mark.commits  # another worker's connection reads the lease
def test_the_lease_runs_from_the_claim_not_from_the_start_of_the_round(app: Flask) -> None:
    for n in range(3):
        outbox.queue(
            db.session(),
            key=f"slow:{n}",
            recipient="a@council.example",
            subject="s",
            body="b",
            now=MONDAY_10,
        )
    db.session.commit()
    clock = [MONDAY_10]
    leases_left: list[dt.timedelta] = []

    def slow_send(mail: outbox.Mail) -> None:
        clock[0] += dt.timedelta(minutes=4)  # a slow server: each email takes four minutes
        with db.engine.connect() as other_worker:
            lease = other_worker.scalar(
                select(OutboxMessage.next_attempt_at).where(OutboxMessage.dedupe_key == mail.key)
            )
        assert lease is not None
        leases_left.append(lease.replace(tzinfo=dt.UTC) - clock[0])

    assert outbox.deliver_due(db.session(), slow_send, lambda: clock[0]) == (3, 0)
    # Counted from the round's start, the second email's lease would have run out two
    # minutes into its send, and another worker could have sent it too.
    assert leases_left == [outbox.LEASE - dt.timedelta(minutes=4)] * 3


def fail_every_send(app: Flask) -> None:
    app.config["SMTP_PORT"] = free_port()  # nobody listening


def test_an_email_that_fails_every_try_gives_up_and_is_not_tried_again(
    app: Flask, inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    port = app.config["SMTP_PORT"]
    fail_every_send(app)
    moment = MONDAY_10
    app.config["FIXED_NOW"] = moment
    send_message(app.test_client())
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert notify.run_once(app) == (0, 1), attempt
        moment += dt.timedelta(hours=2)  # past any backoff
        app.config["FIXED_NOW"] = moment
    message = db.session.scalar(select(OutboxMessage))
    assert message is not None
    db.session.refresh(message)
    assert message.attempts == 8 and message.sent_at is None
    assert message.gave_up_at is not None and "ConnectionRefusedError" in (message.last_error or "")
    assert [r.levelno for r in caplog.records if "gave up" in r.getMessage()] == [logging.ERROR]
    app.config["SMTP_PORT"] = port
    app.config["FIXED_NOW"] = moment + dt.timedelta(days=1)
    assert notify.run_once(app) == (0, 0)
    assert inbox.messages == []


def test_a_last_try_that_was_never_answered_gives_up_without_a_ninth(
    app: Flask, inbox: Inbox
) -> None:
    app.config["FIXED_NOW"] = MONDAY_10
    send_message(app.test_client())
    # The eighth try was claimed and its worker stopped: the lease has run out, no answer.
    db.session.execute(
        update(OutboxMessage).values(attempts=outbox.MAX_ATTEMPTS, next_attempt_at=MONDAY_10)
    )
    db.session.commit()
    assert notify.run_once(app) == (0, 0)
    message = db.session.scalar(select(OutboxMessage))
    assert message is not None
    db.session.refresh(message)
    assert message.attempts == 8 and message.gave_up_at == MONDAY_10
    assert "stopped" in (message.last_error or "")
    assert inbox.messages == []


@pytest.mark.parametrize("smtp_host", ["", "127.0.0.1"])
def test_mail_written_to_the_log_is_a_warning_without_the_body(
    app: Flask, inbox: Inbox, caplog: pytest.LogCaptureFixture, smtp_host: str
) -> None:
    # No SMTP server outside production, or MAIL_TRANSPORT=log chosen although one is set.
    app.config.update(SMTP_HOST=smtp_host, MAIL_TRANSPORT="log" if smtp_host else "")
    reference = send_message(app.test_client())
    assert notify.run_once(app) == (1, 0)
    assert inbox.messages == []
    [record] = [r for r in caplog.records if r.name == "app.notify"]
    assert record.levelno == logging.WARNING
    text = record.getMessage()
    assert (
        COUNCIL.staff.mailbox in text
        and f"New {COUNCIL.staff.short_name} message {reference}" in text
    )
    assert "https://" not in text and WORDS not in text  # the body stays out of the log
