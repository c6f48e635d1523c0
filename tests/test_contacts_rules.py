"""The rules of a contact, without HTTP: cleaning, status from events, lookups, feedback."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import contacts
from app.contacts import Stage
from app.extensions import db
from app.models import Contact, Throttle
from tests.helpers import OFFICE, close, make_contact, record
from tests.staff_helpers import make_staff

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        # Words that look like markup are words: kept exactly, escaped when shown.
        ("I hate <school> and my <foster mum>", "I hate <school> and my <foster mum>"),
        ("a<b and c>d", "a<b and c>d"),
        ("&lt;b&gt;", "&lt;b&gt;"),
        ("<please help me>", "<please help me>"),
        ("<script>alert('x')</script>hello", "<script>alert('x')</script>hello"),
        ("1 < 2 & 3 > 2", "1 < 2 & 3 > 2"),
        ("tab\there\r\nnew line", "tab\there\nnew line"),
        ("nul\x00byte", "nulbyte"),
        ("bell\x07 and \x9bmore", "bell and more"),
        ("\u202eevil\u202c \u2066x\u2069", "evil x"),
        ("مرحبا 👋", "مرحبا 👋"),
        ("  spaces around  ", "spaces around"),
    ],
)
def test_words_are_kept_as_typed(typed: str, kept: str) -> None:
    assert contacts.kept(typed) == kept


def test_words_longer_than_the_limit_are_refused() -> None:
    assert contacts.kept("x" * contacts.WORDS_LIMIT) == "x" * contacts.WORDS_LIMIT
    with pytest.raises(contacts.Refused, match="too_long"):
        contacts.kept("x" * (contacts.WORDS_LIMIT + 1))


def test_a_message_of_tag_like_words_is_sent_and_kept(app: Flask) -> None:
    contact = make_contact(words="<please help me>")
    db.session.expire_all()
    assert contact.message["words"] == "<please help me>"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kind": "complaint"}, "unknown_kind"),
        ({"promises": ("not_a_promise",)}, "unknown_promise"),
        ({"promises": ()}, "unknown_promise"),
        ({"helper": "robot"}, "unknown_helper"),
        ({"words": " \x00\u202e \n"}, "no_words"),
    ],
)
def test_submit_refuses_bad_answers(app: Flask, change: dict[str, object], code: str) -> None:
    with pytest.raises(contacts.Refused) as refused:
        make_contact(**change)
    assert refused.value.code == code


def test_praise_needs_a_name(app: Flask) -> None:
    with pytest.raises(contacts.Refused, match="no_praise_name"):
        make_contact("praise", praise_name=" ")


def test_a_new_contact_is_sent_and_due_in_48_working_hours(app: Flask) -> None:
    contact = make_contact()
    assert contacts.status(contact).stage is Stage.SENT
    assert contact.due_at == dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC)
    assert [event.kind for event in contact.events] == ["sent"]


def test_status_follows_the_events(app: Flask) -> None:
    contact = make_contact()
    sam = make_staff("senior_manager", "Sam")

    def after(kind: str, **kw: object) -> contacts.Status:
        record(contact, kind, now=NOW, role="head_of_service", **kw)  # type: ignore[arg-type]
        return contacts.status(contact)

    assert after("read").stage is Stage.READ
    status = after("allocated", details={"staff_id": sam.id})
    assert status.stage is Stage.WITH_PERSON and status.person_name == "Sam"
    assert status.person_role == "senior_manager"  # a code: the page says it in words
    assert contact.events[-1].details["role"] == "senior_manager"
    assert after("note", text="internal").stage is Stage.WITH_PERSON
    assert after("spoke_to_child").stage is Stage.TALKED
    status = after("update_for_child", text="We are finding you a new mentor.")
    assert status.stage is Stage.SORTING
    assert [update.text for update in status.updates] == ["We are finding you a new mentor."]
    status = after("closed", text="You have a new mentor from Monday.")
    assert status.stage is Stage.FINISHED and status.outcome == "You have a new mentor from Monday."
    assert status.feedback_open and not status.can_add
    assert after("reopened").stage is Stage.SORTING
    assert after("closed", text="Done again.").stage is Stage.FINISHED
    assert contact.stage == Stage.FINISHED  # the cached stage follows


def test_read_comes_only_before_anything_else(app: Flask) -> None:
    contact = make_contact()
    record(contact, "spoke_to_child", now=NOW, role="customer_relations")
    with pytest.raises(contacts.Refused, match="already_read"):
        record(contact, "read", now=NOW, role="customer_relations")
    assert contacts.status(contact).stage is Stage.TALKED


def test_unknown_events_are_refused(app: Flask) -> None:
    with pytest.raises(contacts.Refused, match="unknown_event"):
        record(make_contact(), "deleted", now=NOW)
    with pytest.raises(contacts.Refused, match="unknown_event"):
        record(make_contact(), "sent", now=NOW)  # only a message arriving is "sent"


def test_the_child_can_add_until_finished(app: Flask) -> None:
    contact = make_contact()
    contacts.add_to_message(db.session(), contact, "I forgot to say <thank you>.", NOW, OFFICE)
    assert contacts.status(contact).additions == 1
    assert contact.events[-1].text == "I forgot to say <thank you>."
    close(contact, NOW)
    with pytest.raises(contacts.Refused, match="finished"):
        contacts.add_to_message(db.session(), contact, "One more thing", NOW, OFFICE)


def test_feedback_only_when_finished_and_only_once(app: Flask) -> None:
    contact = make_contact()
    answers = {
        "listened": "yes",
        "heard": "not_sure",
        "happy": "no",
        "words": "ok",
        "now": NOW,
        "office": OFFICE,
    }
    with pytest.raises(contacts.Refused, match="not_finished"):
        contacts.give_feedback(db.session(), contact, **answers)  # type: ignore[arg-type]
    close(contact, NOW)
    contacts.give_feedback(db.session(), contact, **answers)  # type: ignore[arg-type]
    assert contacts.status(contact).feedback_given
    assert contact.events[-1].details == {"listened": "yes", "heard": "not_sure", "happy": "no"}
    with pytest.raises(contacts.Refused, match="feedback_already_given"):
        record(contact, "feedback_asked", now=NOW, role="customer_relations")
    with pytest.raises(contacts.Refused, match="feedback_already_given"):
        contacts.give_feedback(db.session(), contact, **answers)  # type: ignore[arg-type]


def test_memorable_words_open_a_contact_from_another_device(app: Flask) -> None:
    contact = make_contact()
    secret = contacts.new_access_secret()
    found = contacts.open_with_words(
        db.session(),
        contact.reference.lower(),
        "Apple, TIGER-river",
        new_secret=secret,
        address="192.0.2.1",
        now=NOW,
    )
    assert found is contact
    assert contacts.contacts_for(db.session(), [secret]) == [contact]


def guess(contact: Contact, words: str, address: str, at: dt.datetime = NOW) -> Contact | None:
    found = contacts.open_with_words(
        db.session(),
        contact.reference,
        words,
        new_secret=f"{address}-{at}",
        address=address,
        now=at,
    )
    db.session.commit()
    return found


def test_wrong_tries_from_one_address_wait_longer_and_longer(app: Flask) -> None:
    contact = make_contact()
    for _ in range(3):
        assert guess(contact, "wrong words here", "192.0.2.1") is None
    with pytest.raises(contacts.Locked) as locked:
        guess(contact, "apple tiger river", "192.0.2.1")  # not even the right words, yet
    assert locked.value.until == NOW + dt.timedelta(minutes=1)
    assert not locked.value.everywhere
    assert guess(contact, "wrong words here", "192.0.2.1", NOW + dt.timedelta(minutes=1)) is None
    with pytest.raises(contacts.Locked) as locked:
        guess(contact, "apple tiger river", "192.0.2.1", NOW + dt.timedelta(minutes=2))
    assert locked.value.until == NOW + dt.timedelta(minutes=3)  # then two minutes
    later = NOW + dt.timedelta(minutes=3)
    assert guess(contact, "apple tiger river", "192.0.2.1", later) is contact


def test_a_strangers_wrong_guesses_do_not_lock_the_child_out(app: Flask) -> None:
    contact = make_contact()
    for minutes in (0, 0, 0, 1, 3):  # five wrong guesses, as fast as the waits allow
        at = NOW + dt.timedelta(minutes=minutes)
        assert guess(contact, "wrong words here", "203.0.113.9", at) is None
    assert guess(contact, "apple tiger river", "192.0.2.1", NOW + dt.timedelta(minutes=4))


def test_one_address_cannot_close_a_reference_in_a_day(app: Flask) -> None:
    """The per-reference cap (20 a day) is above what one address can try in a day (13)."""
    contact = make_contact()
    at, tries = NOW, 0
    while at < NOW + dt.timedelta(days=1):
        try:
            assert guess(contact, "wrong words here", "203.0.113.9", at) is None
            tries += 1
        except contacts.Locked as locked:
            assert not locked.everywhere
            at = locked.until
    assert tries == 13
    assert guess(contact, "apple tiger river", "192.0.2.1", at) is contact


def test_twenty_wrong_tries_from_many_addresses_close_the_reference_for_a_day(
    app: Flask,
) -> None:
    contact = make_contact()
    for n in range(contacts.LOOKUP_PER_REFERENCE.free):
        assert guess(contact, "wrong words here", f"198.51.100.{n}") is None
    with pytest.raises(contacts.Locked) as locked:
        guess(contact, "apple tiger river", "192.0.2.1")
    assert locked.value.everywhere and locked.value.until == NOW + dt.timedelta(days=1)
    assert guess(contact, "apple tiger river", "192.0.2.1", NOW + dt.timedelta(days=1)) is contact


def test_the_right_words_forget_the_wrong_tries(app: Flask) -> None:
    contact = make_contact()
    for n in range(contacts.LOOKUP_PER_REFERENCE.free - 1):
        assert guess(contact, "wrong words here", f"198.51.100.{n}") is None
    assert guess(contact, "apple tiger river", "192.0.2.1") is contact
    for n in range(contacts.LOOKUP_PER_REFERENCE.free - 1):
        assert guess(contact, "wrong words here", f"198.51.100.{n}") is None
    assert guess(contact, "apple tiger river", "192.0.2.1") is contact


def test_a_reference_that_does_not_exist_counts_nothing(app: Flask) -> None:
    for _ in range(30):
        assert (
            contacts.open_with_words(
                db.session(), "ZZZZZZ", "a b c", new_secret="s", address="192.0.2.1", now=NOW
            )
            is None
        )
    assert db.session.scalar(select(func.count()).select_from(Throttle)) == 0


def test_a_secret_opens_only_its_own_contact(app: Flask) -> None:
    mine, theirs = make_contact(), make_contact()
    secret = contacts.new_access_secret()
    contacts.grant_access(db.session(), mine, secret, NOW)
    assert contacts.contact_for(db.session(), mine.reference, [secret]) is mine
    assert contacts.contact_for(db.session(), theirs.reference, [secret]) is None
    contacts.revoke_access(db.session(), [secret])
    assert contacts.contact_for(db.session(), mine.reference, [secret]) is None


def test_access_secrets_have_at_least_128_bits() -> None:
    secret = contacts.new_access_secret()
    assert len(secret) >= 22  # url-safe base64: 22 characters carry 128 bits
    assert len({contacts.new_access_secret() for _ in range(1000)}) == 1000


def test_references_never_use_letters_that_look_alike(app: Flask) -> None:
    references = {make_contact().reference for _ in range(30)}
    assert all(len(ref) == 6 and not set(ref) & set("0O1IL") for ref in references)


def test_first_contact_is_speaking_or_reaching_the_child_for_more(app: Flask) -> None:
    later = NOW + dt.timedelta(hours=3)
    asked = make_contact()
    staff = {"role": "customer_relations"}
    record(asked, "more_info_asked", now=NOW, details={"reached": False}, **staff)
    assert asked.first_contact_at is None  # a message left is not a conversation
    record(
        asked, "more_info_asked", now=later, role="customer_relations", details={"reached": True}
    )
    assert asked.first_contact_at == later
    spoken = make_contact()
    record(spoken, "contact_failed", now=NOW, role="customer_relations")
    record(spoken, "spoke_to_child", now=later, role="customer_relations")
    record(spoken, "spoke_to_child", now=later + dt.timedelta(days=1), role="customer_relations")
    assert spoken.first_contact_at == later


def test_first_contact_is_when_the_conversation_happened(app: Flask) -> None:
    contact = make_contact()  # Monday 10:00, due Wednesday 10:00
    recorded = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)  # written up on Thursday
    happened = dt.datetime(2026, 11, 24, 15, tzinfo=dt.UTC)  # the call was on Tuesday
    record(contact, "spoke_to_child", now=recorded, at=happened, role="customer_relations")
    assert contact.first_contact_at == happened
    assert contact.events[-1].at == happened
    earlier = dt.datetime(2026, 11, 23, 16, tzinfo=dt.UTC)  # an earlier call, written up later
    record(contact, "spoke_to_child", now=recorded, at=earlier, role="customer_relations")
    assert contact.first_contact_at == earlier


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (NOW + dt.timedelta(days=3, minutes=1), "in_the_future"),
        (NOW - dt.timedelta(minutes=1), "before_the_message"),
        (dt.datetime(1, 1, 1, tzinfo=dt.UTC), "before_the_message"),
    ],
)
def test_a_conversation_cannot_be_dated_in_the_future_or_before_the_message(
    app: Flask, at: dt.datetime, code: str
) -> None:
    contact = make_contact()
    with pytest.raises(contacts.Refused) as refused:
        record(
            contact, "spoke_to_child", now=NOW + dt.timedelta(days=3), at=at, role="senior_manager"
        )
    assert refused.value.code == code
    assert contact.first_contact_at is None


def test_old_drafts_are_cleared_when_a_new_one_starts(app: Flask) -> None:
    from sqlalchemy import func, select

    from app import drafts
    from app.models import Draft

    drafts.save(db.session(), "old", {"kind": "praise"}, NOW - dt.timedelta(days=8))
    drafts.save(db.session(), "recent", {"kind": "praise"}, NOW - dt.timedelta(days=6))
    db.session.commit()
    drafts.save(db.session(), "new", {"kind": "kept_well"}, NOW)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 2
    assert drafts.load(db.session(), "old") == {}
    assert drafts.load(db.session(), "recent") == {"kind": "praise"}


def test_a_contact_without_memorable_words_never_opens_by_words(app: Flask) -> None:
    answers = contacts.Answers(
        kind="praise",
        promises=("other",),
        words="Rang to say thanks",
        helper="nobody",
        praise_name="Sam",
    )
    logged = contacts.submit(
        db.session(),
        answers,
        submission_key="logged-by-phone",
        access_secret="staff-side",
        memorable_words="",
        now=NOW,
        office=OFFICE,
        channel="phone",
    )
    for n, typed in enumerate(("", "!!!", "123", " ")):
        assert (
            contacts.open_with_words(
                db.session(), logged.reference, typed, new_secret="x", address=str(n), now=NOW
            )
            is None
        )


def test_memorable_words_are_encrypted_at_rest(app: Flask) -> None:
    from sqlalchemy import text

    contact = make_contact()
    raw = db.session.execute(
        text("SELECT memorable_words FROM contact WHERE id = :id"), {"id": contact.id}
    ).scalar_one()
    assert b"apple" not in bytes(raw)
    assert contact.memorable_words == "apple tiger river"
