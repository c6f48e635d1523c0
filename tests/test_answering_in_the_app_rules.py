"""Answering a child in the app, at the rule level (no HTTP): "replied in the app" for a child
the app is the only way back to, counted as the first contact when the child opens it; and
"more information asked", whose question the child answers in the app."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import contacts
from app.contacts import Lateness, Refusal, Stage, lateness
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import A_PROMISE, COUNCIL, OFFICE, make_contact, record
from tests.staff_helpers import make_staff

MONDAY_10 = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)  # due Wednesday 10:00
TUESDAY_9 = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
TUESDAY_15 = dt.datetime(2026, 11, 24, 15, tzinfo=dt.UTC)
THURSDAY_9 = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)
STAFF = {"role": "customer_relations"}


def reply(contact: Contact, now: dt.datetime, text: str = "We are on it. Sam.") -> Any:
    return record(contact, "replied_in_app", now=now, text=text, **STAFF)


def opened(contact: Contact, now: dt.datetime) -> Any:
    return contacts.read_replies(db.session(), contact, now, OFFICE)


def test_a_reply_reaches_the_child_when_they_open_it_not_when_it_is_written(app: Flask) -> None:
    contact = make_contact()  # anonymous: the app is the only way back
    reply(contact, TUESDAY_9)
    now = contacts.status(contact)
    assert contact.first_contact_at is None and not now.reached
    assert contact.reply_unread_since == TUESDAY_9
    assert [(r.text, r.read_at) for r in now.replies] == [("We are on it. Sam.", None)]
    assert now.stage is Stage.SENT  # a reply nobody has opened is not a conversation

    event = opened(contact, TUESDAY_15)
    assert event.kind == "reply_read" and event.actor == "child"
    assert contact.first_contact_at == TUESDAY_15
    assert contact.reply_unread_since is None
    now = contacts.status(contact)
    assert now.stage is Stage.TALKED and now.reached_in_app and not now.spoken_to
    assert now.replies[0].read_at == TUESDAY_15
    window = lateness.Window.at(THURSDAY_9, COUNCIL.response.clock)
    assert lateness.of(contact, window) is Lateness.MET


def test_reading_is_recorded_once_per_reply(app: Flask) -> None:
    contact = make_contact()
    reply(contact, TUESDAY_9)
    opened(contact, TUESDAY_15)
    assert opened(contact, TUESDAY_15 + dt.timedelta(hours=1)) is None  # nothing new to read
    with pytest.raises(contacts.Refused) as refused:
        record(contact, "reply_read", now=THURSDAY_9)
    assert refused.value.code is Refusal.NOTHING_UNREAD
    reply(contact, THURSDAY_9, "Your visit is booked.")
    assert contact.reply_unread_since == THURSDAY_9
    opened(contact, THURSDAY_9 + dt.timedelta(minutes=5))
    kinds = [event.kind for event in contact.events]
    assert kinds.count("reply_read") == 2
    assert contact.first_contact_at == TUESDAY_15  # the first time stays the first contact


def test_a_reply_opened_after_the_deadline_is_met_late(app: Flask) -> None:
    contact = make_contact()
    reply(contact, TUESDAY_9)  # written in good time...
    opened(contact, THURSDAY_9)  # ...but opened after Wednesday 10:00
    window = lateness.Window.at(THURSDAY_9, COUNCIL.response.clock)
    assert lateness.of(contact, window) is Lateness.MET_LATE
    row = db.session.execute(
        select(lateness.sql(window)).where(Contact.id == contact.id)
    ).scalar_one()
    assert row == Lateness.MET_LATE.value  # the tracker's SQL agrees


def test_only_the_child_opens_a_reply(app: Flask) -> None:
    contact = make_contact()
    reply(contact, TUESDAY_9)
    for role in ("customer_relations", "head_of_service"):
        with pytest.raises(contacts.Refused) as refused:
            record(contact, "reply_read", now=TUESDAY_15, role=role)
        assert refused.value.code is Refusal.CHILD_ONLY
    assert contact.first_contact_at is None


@pytest.mark.parametrize(
    ("reach", "may_reply"),
    [
        (None, True),  # anonymous
        ({"how": "app_only"}, True),
        ({"how": "app_only", "phone": "07700 900123"}, True),  # "only in this app", as chosen
        ({"name": "Jo", "language": "Polish"}, True),  # a name, but no way back
        ({"how": "phone", "phone": "07700 900123"}, False),
        ({"how": "text", "phone": "07700 900123"}, False),
        ({"how": "email", "email": "jo@example.com"}, False),
        ({"how": "carer"}, False),
        ({"how": "social_worker"}, False),
        ({"how": "iro"}, False),
        ({"phone": "07700 900123"}, False),  # no way chosen, but a number given
        ({"email": "jo@example.com"}, False),
    ],
)
def test_a_reply_in_the_app_is_for_a_child_only_the_app_reaches(
    app: Flask, reach: dict[str, Any] | None, may_reply: bool
) -> None:
    contact = make_contact(reach=reach)
    if may_reply:
        assert contacts.reply_refused(contact) is None
        reply(contact, TUESDAY_9)
        assert contact.events[-1].kind == "replied_in_app"
    else:
        assert contacts.reply_refused(contact) is Refusal.CHILD_HAS_OTHER_WAY
        with pytest.raises(contacts.Refused) as refused:
            reply(contact, TUESDAY_9)
        assert refused.value.code is Refusal.CHILD_HAS_OTHER_WAY


def logged(app_words: bool) -> Contact:
    """A call logged by customer relations, the child giving no way back."""
    officer = make_staff("customer_relations")
    contact = contacts.submit(
        db.session(),
        contacts.Answers(kind="not_kept", promises=(A_PROMISE,), words="Hi", helper="nobody"),
        submission_key=uuid.uuid4().hex,
        access_secret=contacts.new_access_secret(),
        memorable_words="apple tiger river" if app_words else "",
        now=MONDAY_10,
        office=OFFICE,
        channel="phone",
        logged_by=officer,
    )
    db.session.commit()
    return contact


def test_a_logged_contact_is_answered_in_the_app_only_once_the_child_has_it(app: Flask) -> None:
    without = logged(app_words=False)
    with pytest.raises(contacts.Refused) as refused:
        reply(without, TUESDAY_9)
    assert refused.value.code is Refusal.NOT_IN_APP
    record(without, "app_words_given", now=TUESDAY_9, **STAFF)
    reply(without, TUESDAY_9)
    assert logged(app_words=True) and contacts.reply_refused(logged(app_words=True)) is None


def test_a_reply_needs_words_and_an_open_contact(app: Flask) -> None:
    contact = make_contact()
    for empty in ("", "   ", "\u200b"):
        with pytest.raises(contacts.Refused) as refused:
            reply(contact, TUESDAY_9, empty)
        assert refused.value.code is Refusal.WORDS_NEEDED
    record(contact, "contact_failed", now=TUESDAY_9, **STAFF)
    record(
        contact,
        "closed",
        now=TUESDAY_9,
        text="Done.",
        details={"reason": "could_not_reach"},
        **STAFF,
    )
    with pytest.raises(contacts.Refused) as refused:
        reply(contact, TUESDAY_15)
    assert refused.value.code is Refusal.FINISHED
    assert len(contacts.status(contact).replies) == 0


def test_a_reply_opened_lets_staff_share_and_close(app: Flask) -> None:
    """The first-contact rule: sharing waits until the child has been reached."""
    contact = make_contact()
    share = {"details": {"who": "School", "their_role": "teacher"}, "text": "to help"}
    reply(contact, TUESDAY_9)
    with pytest.raises(contacts.Refused) as refused:
        record(contact, "shared", now=TUESDAY_9, role="senior_manager", **share)
    assert refused.value.code is Refusal.SPEAK_TO_CHILD_FIRST
    with pytest.raises(contacts.Refused) as refused:
        record(contact, "closed", now=TUESDAY_9, text="Done.", **STAFF)
    assert refused.value.code is Refusal.NOT_SPOKEN_TO
    opened(contact, TUESDAY_15)
    assert contacts.may_share(contact)
    record(contact, "shared", now=TUESDAY_15, role="senior_manager", **share)
    record(contact, "closed", now=TUESDAY_15, text="Done.", **STAFF)
    assert contacts.status(contact).stage is Stage.FINISHED


def test_a_reply_opened_after_closing_is_still_recorded(app: Flask) -> None:
    contact = make_contact()
    reply(contact, TUESDAY_9)
    record(contact, "contact_failed", now=TUESDAY_9, **STAFF)
    record(
        contact, "closed", now=TUESDAY_9, text="c", details={"reason": "could_not_reach"}, **STAFF
    )
    opened(contact, THURSDAY_9)
    assert contacts.status(contact).stage is Stage.FINISHED
    assert contact.first_contact_at == THURSDAY_9
    record(contact, "reopened", now=THURSDAY_9, text="r", **STAFF)
    assert contacts.status(contact).stage is Stage.TALKED  # reopened where it now stands


def ask(contact: Contact, now: dt.datetime, question: str = "Which day suits you?") -> Any:
    return record(contact, "more_info_asked", now=now, text=question, **STAFF)


def test_the_question_is_what_the_child_sees_and_the_answer_is_tied_to_it(app: Flask) -> None:
    contact = make_contact()
    question = ask(contact, TUESDAY_9)
    now = contacts.status(contact)
    assert [(q.id, q.text, q.answered_at) for q in now.questions] == [
        (question.id, "Which day suits you?", None)
    ]
    assert contact.first_contact_at is None  # asked, not yet reached
    answer = contacts.add_to_message(
        db.session(), contact, "  Friday <after school> ", TUESDAY_15, OFFICE, question=question.id
    )
    assert answer.kind == "child_added" and answer.actor == "child"
    assert answer.details == {"question": question.id}
    assert answer.text == "Friday <after school>"  # kept as typed, ends trimmed
    now = contacts.status(contact)
    assert now.questions[0].answered_at == TUESDAY_15 and now.additions == 1
    # Answering is the child reached: DESIGN.md, "more information asked, if the child was
    # reached". The moment is the answer's, not the question's.
    assert contact.first_contact_at == TUESDAY_15 and now.stage is Stage.TALKED
    assert contacts.may_share(contact)


def test_a_question_is_answered_once_and_only_on_its_own_contact(app: Flask) -> None:
    contact, other = make_contact(), make_contact()
    question = ask(contact, TUESDAY_9)
    elsewhere = ask(other, TUESDAY_9)
    contacts.add_to_message(
        db.session(), contact, "Friday", TUESDAY_15, OFFICE, question=question.id
    )
    for question_id, code in (
        (question.id, Refusal.ALREADY_ANSWERED),
        (elsewhere.id, Refusal.UNKNOWN_QUESTION),
        (10_000_000, Refusal.UNKNOWN_QUESTION),
    ):
        with pytest.raises(contacts.Refused) as refused:
            contacts.add_to_message(
                db.session(), contact, "Sat", THURSDAY_9, OFFICE, question=question_id
            )
        assert refused.value.code is code
    with pytest.raises(contacts.Refused) as refused:
        contacts.add_to_message(
            db.session(), other, "  ", THURSDAY_9, OFFICE, question=elsewhere.id
        )
    assert refused.value.code is Refusal.NO_WORDS
    with pytest.raises(contacts.Refused) as refused:
        contacts.add_to_message(
            db.session(), other, "x" * 5001, THURSDAY_9, OFFICE, question=elsewhere.id
        )
    assert refused.value.code is Refusal.TOO_LONG
    assert other.first_contact_at is None


def test_a_question_asked_in_a_conversation_reaches_the_child_when_asked(app: Flask) -> None:
    contact = make_contact()
    record(
        contact,
        "more_info_asked",
        now=THURSDAY_9,
        at=TUESDAY_9,
        text="Who was there?",
        details={"reached": True},
        **STAFF,
    )
    assert contact.first_contact_at == TUESDAY_9
    assert contacts.status(contact).spoken_to  # a conversation, not the app


def test_the_answer_tells_the_person_it_is_with(app: Flask) -> None:
    contact = make_contact()
    question = ask(contact, TUESDAY_9)
    contacts.add_to_message(
        db.session(), contact, "Friday", TUESDAY_15, OFFICE, question=question.id
    )
    latest = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert latest is not None and latest.recipient == OFFICE.mailbox
    assert latest.subject == (
        f"The child answered the question on {OFFICE.service} message {contact.reference}"
    )
    assert "Friday" not in latest.body  # never the child's words in an email
