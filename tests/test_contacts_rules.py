"""The rules of a contact, without HTTP: cleaning, status from events, lookups, feedback."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from app import contacts
from app.contacts import Stage
from app.council import load
from app.extensions import db
from tests.helpers import make_contact

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
COUNCIL = load()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("<b>bold</b> words", "bold words"),
        ("<script>alert('x')</script>hello", "hello"),
        ("<img src=x onerror=alert(1)>hi", "hi"),
        ("1 < 2 & 3 > 2", "1 < 2 & 3 > 2"),
        ("tab\there\r\nnew line", "tab\there\nnew line"),
        ("nul\x00byte", "nulbyte"),
        ("\u202eevil\u202c", "evil"),
        ("مرحبا 👋", "مرحبا 👋"),
    ],
)
def test_clean_text(typed: str, kept: str) -> None:
    assert contacts.clean_text(typed) == kept


def test_clean_text_refuses_what_is_too_long() -> None:
    with pytest.raises(contacts.Refused, match="too_long"):
        contacts.clean_text("x" * (contacts.WORDS_LIMIT + 1))


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kind": "complaint"}, "unknown_kind"),
        ({"promises": ("not_a_promise",)}, "unknown_promise"),
        ({"promises": ()}, "unknown_promise"),
        ({"helper": "robot"}, "unknown_helper"),
        ({"words": "<p> </p>"}, "no_words"),
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
    session = db.session()

    def after(kind: str, **kw: object) -> contacts.Status:
        contacts.record(session, contact, kind, now=NOW, **kw)  # type: ignore[arg-type]
        return contacts.status(contact)

    assert after("read").stage is Stage.READ
    status = after("allocated", details={"name": "Sam", "role": "a senior manager"})
    assert status.stage is Stage.WITH_PERSON and status.person_name == "Sam"
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


def test_status_never_goes_backwards(app: Flask) -> None:
    contact = make_contact()
    for kind in ("spoke_to_child", "read"):
        contacts.record(db.session(), contact, kind, now=NOW)
    assert contacts.status(contact).stage is Stage.TALKED


def test_unknown_events_are_refused(app: Flask) -> None:
    with pytest.raises(contacts.Refused, match="unknown_event"):
        contacts.record(db.session(), make_contact(), "deleted", now=NOW)


def test_the_child_can_add_until_finished(app: Flask) -> None:
    contact = make_contact()
    contacts.add_to_message(db.session(), contact, "I forgot to say thank you.", NOW)
    assert contacts.status(contact).additions == 1
    assert contact.events[-1].text == "I forgot to say thank you."
    contacts.record(db.session(), contact, "closed", now=NOW, text="Sorted.")
    with pytest.raises(contacts.Refused, match="finished"):
        contacts.add_to_message(db.session(), contact, "One more thing", NOW)


def test_feedback_only_when_finished_and_only_once(app: Flask) -> None:
    contact = make_contact()
    answers = {"listened": "yes", "heard": "not_sure", "happy": "no", "words": "ok", "now": NOW}
    with pytest.raises(contacts.Refused, match="not_finished"):
        contacts.give_feedback(db.session(), contact, **answers)  # type: ignore[arg-type]
    contacts.record(db.session(), contact, "closed", now=NOW, text="Sorted.")
    contacts.give_feedback(db.session(), contact, **answers)  # type: ignore[arg-type]
    assert contacts.status(contact).feedback_given
    assert contact.events[-1].details == {"listened": "yes", "heard": "not_sure", "happy": "no"}
    with pytest.raises(contacts.Refused, match="feedback_already_given"):
        contacts.give_feedback(db.session(), contact, **answers)  # type: ignore[arg-type]


def test_memorable_words_open_a_contact_from_another_device(app: Flask) -> None:
    contact = make_contact()
    secret = contacts.new_access_secret()
    found = contacts.open_with_words(
        db.session(), contact.reference.lower(), "Apple, TIGER-river", new_secret=secret, now=NOW
    )
    assert found is contact
    assert contacts.contacts_for(db.session(), [secret]) == [contact]


def test_repeated_misses_lock_the_reference(app: Flask) -> None:
    contact = make_contact()
    for _ in range(contacts.LOOKUP_MISSES_ALLOWED):
        assert (
            contacts.open_with_words(
                db.session(), contact.reference, "wrong words here", new_secret="s", now=NOW
            )
            is None
        )
    with pytest.raises(contacts.Locked) as locked:
        contacts.open_with_words(
            db.session(), contact.reference, "apple tiger river", new_secret="s", now=NOW
        )
    assert locked.value.until == NOW + contacts.LOOKUP_LOCK
    later = NOW + contacts.LOOKUP_LOCK + dt.timedelta(seconds=1)
    assert (
        contacts.open_with_words(
            db.session(), contact.reference, "apple tiger river", new_secret="s2", now=later
        )
        is contact
    )


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
    contacts.record(db.session(), asked, "more_info_asked", now=NOW, details={"reached": False})
    assert asked.first_contact_at is None  # a message left is not a conversation
    contacts.record(db.session(), asked, "more_info_asked", now=later, details={"reached": True})
    assert asked.first_contact_at == later
    spoken = make_contact()
    contacts.record(db.session(), spoken, "contact_failed", now=NOW)
    contacts.record(db.session(), spoken, "spoke_to_child", now=later)
    contacts.record(db.session(), spoken, "spoke_to_child", now=later + dt.timedelta(days=1))
    assert spoken.first_contact_at == later


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
    council = load()
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
        clock=council.response.clock,
        known_promises=council.promises_by_key,
        channel="phone",
    )
    for typed in ("", "!!!", "123", " "):
        assert (
            contacts.open_with_words(db.session(), logged.reference, typed, new_secret="x", now=NOW)
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
