"""Logging a phone, email or in-person contact: everything the app's form asks, when it came
in, urgent or not (and why), and a reference and words for the app, shown once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Contact, OutboxMessage
from tests.helpers import A_PROMISE, csrf_token, post_form, soup
from tests.staff_helpers import signed_in_client

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
SAID = "Rang to say nobody explained the move <at all>."
EVERYTHING = {
    "channel": "in_person",
    "received_at": "2026-11-23T09:15",
    "kind": "praise",
    "promises": [A_PROMISE, "other"],
    "words": SAID,
    "praise_name": "Mo",
    "praise_role": "carer",
    "praise_may_pass_on": "y",
    "age_band": "5_to_9",
    "helper": "iro",
    "name": "Jo",
    "how": "phone",
    "phone": "0113 496 0000",
    "email": "jo@example.com",
    "best_time": "after school",
    "leave_message": "no",
    "language": "Polish",
    "interpreter": "yes",
    "helps": ["symbols", "more_time"],
    "helps_other": "a quiet room",
    "advocate": "not_sure",
}


def log(client: FlaskClient, **changes: Any) -> Any:
    page = client.get("/staff/contacts/new")
    key = soup(page).select_one("input[name=submission_key]")["value"]
    data = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "submission_key": key,
        **EVERYTHING,
        **changes,
    }
    return client.post("/staff/contacts/new", data={k: v for k, v in data.items() if v is not None})


def relations(app: Flask) -> FlaskClient:
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, _ = signed_in_client(app, "customer_relations")
    return client


def logged() -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.channel != "app")))


def test_everything_the_app_asks_is_logged(app: Flask) -> None:
    client = relations(app)
    response = log(client)
    assert response.status_code == 303
    [contact] = logged()
    assert response.headers["Location"] == f"/staff/contacts/{contact.id}"
    assert (contact.kind, contact.channel, contact.age_band, contact.helper) == (
        "praise",
        "in_person",
        "5_to_9",
        "iro",
    )
    assert contact.promise_keys == [A_PROMISE, "other"]
    assert contact.message == {"words": SAID, "praise_name": "Mo", "praise_role": "carer"}
    assert contact.praise_may_pass_on
    assert contact.reach == {
        key: EVERYTHING[key]
        for key in (
            *("name", "how", "phone", "email", "best_time", "leave_message", "language"),
            *("interpreter", "helps", "helps_other", "advocate"),
        )
    }
    # 09:15 in London on Monday 23 November is 09:15 UTC; the clock starts then.
    assert contact.received_at == dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC)
    assert not contact.urgent and contact.memorable_words == ""
    page = soup(client.get(f"/staff/contacts/{contact.id}")).main.get_text(" ")
    for shown in ("5 to 9", "Their IRO", "Praise for Mo", "Their carer", "Polish", "a quiet room"):
        assert shown in page, shown
    assert SAID in page


def test_an_optional_answer_left_out_is_not_kept(app: Flask) -> None:
    client = relations(app)
    left_out = {key: None for key in ("age_band", "how", "phone", "email", "helps", "advocate")}
    assert log(client, kind="not_kept", praise_name="", **left_out).status_code == 303
    [contact] = logged()
    assert contact.age_band is None
    assert set(contact.reach or {}) == {
        *("name", "best_time", "leave_message", "language", "interpreter", "helps_other"),
    }
    assert contact.message["praise_name"] == "" and not contact.praise_may_pass_on


def test_what_the_way_back_needs_is_asked_for_and_nothing_typed_is_lost(app: Flask) -> None:
    client = relations(app)
    for how, missing, message in (
        ("phone", "phone", "Write the phone number to use"),
        ("text", "phone", "Write the phone number to use"),
        ("email", "email", "Write the email address to use"),
    ):
        response = log(client, how=how, **{missing: ""})
        assert response.status_code == 200, how
        page = soup(response)
        assert page.title.get_text().startswith("Error: ")
        assert message in page.select_one(".error-summary").get_text()
        assert page.select_one("#words").get_text() == SAID  # what was typed stays
        assert page.select_one("#best_time")["value"] == "after school"
    assert logged() == []


def test_a_phone_number_or_email_address_that_cannot_be_one_is_refused_in_words(
    app: Flask,
) -> None:
    """The staff phone field had only a length check: "after 4pm" went in as a number."""
    client = relations(app)
    for field, typed, message in (
        ("phone", "after 4pm", "Write the phone number with numbers only"),
        ("phone", "0113", "Write the phone number with numbers only"),
        ("email", "jo at example dot com", "Write an email address"),
    ):
        response = log(client, **{field: typed})
        assert response.status_code == 200, typed
        summary = soup(response).select_one(".error-summary")
        assert message in summary.get_text(), typed
        assert summary.a["href"] == f"#{field}"
    assert logged() == []
    assert log(client, phone="+44 (0)113 496-0000").status_code == 303


def test_the_form_speaks_about_the_child_not_as_the_child(app: Flask) -> None:
    """Staff fill it in about the child: no answer in the child's voice ("My carer")."""
    page = soup(relations(app).get("/staff/contacts/new"))
    answers = [label.get_text(" ", strip=True) for label in page.select("form label")]
    assert "Their carer" in answers and "Through their social worker" in answers
    childs_voice = re.compile(r"\b(My|my|I'm|I want|me)\b")
    assert not [said for said in answers if childs_voice.search(said)], answers


def test_urgent_at_logging_needs_its_reason(app: Flask) -> None:
    client = relations(app)
    response = log(client, urgent="y", urgent_reason=" ")
    assert response.status_code == 200
    summary = soup(response).select_one(".error-summary")
    assert "Write why it is urgent" in summary.get_text()
    assert summary.a["href"] == "#urgent_reason"
    assert logged() == []


def test_urgent_at_logging_is_first_and_the_mailbox_knows_at_once(app: Flask) -> None:
    from tests.helpers import make_contact

    waiting = make_contact(received=MONDAY_NOON - dt.timedelta(days=7))  # late, not urgent
    client = relations(app)
    reason = "Scared at home tonight."
    assert log(client, urgent="y", urgent_reason=reason).status_code == 303
    [contact] = logged()
    assert contact.urgent
    marked = [event for event in contact.events if event.kind == "marked_urgent"]
    assert len(marked) == 1 and marked[0].text == reason
    assert marked[0].actor.startswith("customer_relations")
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == f"new:{contact.id}")
    ).one()
    assert mail.subject.startswith("URGENT: ")
    assert SAID not in mail.body and reason not in mail.body and "Jo" not in mail.body
    tracker = soup(client.get("/staff/tracker"))
    order = [a.get_text(strip=True) for a in tracker.select("#tracker tbody th a")]
    assert order == [contact.reference, waiting.reference]
    page = soup(client.get(f"/staff/contacts/{contact.id}")).main.get_text(" ")
    assert "Marked urgent" in page and reason in page


def test_a_child_who_wants_the_app_gets_words_shown_once(app: Flask) -> None:
    client = relations(app)
    response = log(client, app_words="y")
    [contact] = logged()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/contacts/{contact.id}/app-words"
    page = soup(client.get(response.headers["Location"]))
    words = page.select_one(".memorable-words").get_text(strip=True)
    assert len(words.split()) == 3 and contact.memorable_words == words
    assert page.select_one(".reference").get_text(strip=True) == contact.reference
    assert "/messages/find" in page.main.get_text()
    # Shown once: not again to the same person, and never to anyone else.
    again = soup(client.get(response.headers["Location"]))
    assert again.select_one(".memorable-words") is None
    assert words not in again.get_text()
    head, _ = signed_in_client(app, "head_of_service")
    assert words not in head.get(response.headers["Location"]).get_data(as_text=True)
    assert words not in head.get(f"/staff/contacts/{contact.id}").get_data(as_text=True)
    shown = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.contact_id == contact.id, AuditEvent.action.like("%app_words")
        )
    ).all()
    assert shown == ["shown_app_words", "viewed_app_words", "viewed_app_words"]
    assert not any(words in str(mail.body) for mail in db.session.scalars(select(OutboxMessage)))
    # The child follows it in the app with them.
    child = app.test_client()
    found = post_form(child, "/messages/find", reference=contact.reference, words=words)
    assert found.headers["Location"] == f"/messages/{contact.reference}"
    assert SAID not in child.get(found.headers["Location"]).get_data(as_text=True)


def test_new_words_from_the_contact_page_replace_the_old(app: Flask) -> None:
    client = relations(app)
    log(client)
    [contact] = logged()
    nothing = soup(client.get(f"/staff/contacts/{contact.id}/app-words"))
    assert "No words for the app have been given" in nothing.main.get_text()
    given = []
    for _ in range(2):
        token = csrf_token(client.get(f"/staff/contacts/{contact.id}").get_data(as_text=True))
        response = client.post(
            f"/staff/contacts/{contact.id}/app-words", data={"app-words-csrf_token": token}
        )
        assert response.headers["Location"] == f"/staff/contacts/{contact.id}/app-words"
        page = soup(client.get(response.headers["Location"]))
        words = page.select_one(".memorable-words").get_text(strip=True)
        db.session.refresh(contact)
        assert contact.memorable_words == words
        given.append(words)
    assert given[0] != given[1]
    assert [e.kind for e in contact.events].count("app_words_given") == 2
    child = app.test_client()
    old = post_form(child, "/messages/find", reference=contact.reference, words=given[0])
    assert old.status_code == 200 and "are not right" in old.get_data(as_text=True)
    new = post_form(child, "/messages/find", reference=contact.reference, words=given[1])
    assert new.headers["Location"] == f"/messages/{contact.reference}"
