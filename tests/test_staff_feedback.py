"""Closing feedback for every channel: staff record the child's three answers, and any words,
from a phone call (who asked, how and when), as the same event the app records, so the
report counts both together."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import contacts
from app.extensions import db
from app.models import Contact, ContactEvent
from tests.helpers import A_PROMISE, OFFICE, close, csrf_token, make_contact, post_form, soup
from tests.staff_helpers import make_staff, signed_in_client

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=5)
SAID = "They listened <but> it took ages."


def finished() -> Contact:
    contact = make_contact(received=NOW)
    close(contact, NOW + dt.timedelta(hours=1))
    db.session.commit()
    return contact


def post_feedback(client: FlaskClient, contact: Contact, **fields: str) -> Any:
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    data = {f"feedback-{key}": value for key, value in fields.items()}
    return client.post(
        f"/staff/contacts/{contact.id}/feedback", data={"feedback-csrf_token": token, **data}
    )


ANSWERS = {"listened": "yes", "heard": "not_sure", "happy": "no", "how": "phone"}


def feedback_events(contact: Contact) -> list[ContactEvent]:
    return list(
        db.session.scalars(
            select(ContactEvent).where(
                ContactEvent.contact_id == contact.id, ContactEvent.kind == "feedback_given"
            )
        )
    )


def test_staff_record_the_childs_answers_from_a_phone_call(app: Flask) -> None:
    app.config["FIXED_NOW"] = LATER
    contact = finished()
    client, user = signed_in_client(app, "customer_relations", "Casey Relations")
    page = soup(client.get(f"/staff/contacts/{contact.id}"))
    assert page.select_one("form[action$='/feedback']") is not None
    response = post_feedback(client, contact, **ANSWERS, text=SAID, happened_at="2026-11-23T14:30")
    assert response.status_code == 303
    [event] = feedback_events(contact)
    assert event.actor == user.email
    assert {k: event.details[k] for k in (*ANSWERS, "asked_by")} == {
        **ANSWERS,
        "asked_by": "Casey Relations",  # nobody named: whoever recorded it asked
    }
    assert event.text == SAID
    assert event.at == dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.UTC)
    assert contacts.status(contact).feedback_given
    after = soup(client.get(f"/staff/contacts/{contact.id}"))
    assert after.select_one("form[action$='/feedback']") is None  # once
    timeline = after.select_one(".timeline").get_text(" ")
    for words in ("Feedback given", "Felt listened to: Yes", "Felt heard: Not sure", SAID):
        assert words in timeline, words
    row = soup(client.get("/staff/tracker")).select_one("#tracker tbody tr")
    assert "Feedback answered" in row.get_text()
    again = post_feedback(client, contact, **ANSWERS)
    assert again.status_code == 409
    assert "already told us how we did" in soup(again).select_one(".error-summary").get_text()
    assert len(feedback_events(contact)) == 1


def test_who_asked_can_be_someone_else(app: Flask) -> None:
    app.config["FIXED_NOW"] = LATER
    contact = finished()
    client, _ = signed_in_client(app, "head_of_service")
    assert post_feedback(client, contact, **ANSWERS, asked_by="Pat, the IRO").status_code == 303
    assert feedback_events(contact)[0].details["asked_by"] == "Pat, the IRO"


def test_every_answer_is_asked_for_and_nothing_typed_is_lost(app: Flask) -> None:
    app.config["FIXED_NOW"] = LATER
    contact = finished()
    client, _ = signed_in_client(app, "customer_relations")
    response = post_feedback(client, contact, listened="yes", text=SAID)
    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    links = [a["href"] for a in page.select(".error-summary a")]
    assert links == ["#feedback-heard-0", "#feedback-happy-0", "#feedback-how-0"]
    assert page.select_one("#feedback-text").get_text() == SAID
    assert page.select_one("#feedback-listened-0").has_attr("checked")
    assert feedback_events(contact) == []


def test_only_once_the_contact_is_finished(app: Flask) -> None:
    app.config["FIXED_NOW"] = LATER
    contact = make_contact(received=NOW)
    client, _ = signed_in_client(app, "customer_relations")
    assert (
        soup(client.get(f"/staff/contacts/{contact.id}")).select_one("form[action$='/feedback']")
        is None
    )
    response = post_feedback(client, contact, **ANSWERS)
    assert response.status_code == 409
    assert "not closed yet" in soup(response).select_one(".error-summary").get_text()


def test_the_report_counts_the_apps_answers_and_staffs_together(app: Flask) -> None:
    app.config["FIXED_NOW"] = LATER
    for _ in range(5):  # in the app
        contact = finished()
        contacts.give_feedback(
            db.session(),
            contact,
            listened="yes",
            heard="yes",
            happy="not_sure",
            words="",
            now=LATER,
            office=OFFICE,
        )
    db.session.commit()
    client, _ = signed_in_client(app, "head_of_service")
    assert post_feedback(client, finished(), **{**ANSWERS, "heard": "yes"}).status_code == 303
    report = soup(client.get("/staff/reports"))  # exact counts, for Head of Service
    assert report.select_one("#figure-feedback dd").get_text(strip=True) == "6"

    def answers(question: str) -> list[str]:
        cells = report.select(f"#table-feedback_{question} tbody td")
        return [cell.get_text(strip=True) for cell in cells]

    #                                 yes  not sure  no
    assert answers("listened") == ["6", "0", "0"]
    assert answers("heard") == ["6", "0", "0"]
    assert answers("happy") == ["0", "5", "1"]


def test_a_child_who_phoned_answers_in_the_app_themselves(app: Flask) -> None:
    """A call logged with a reference and words: once it is finished the child, on their own
    phone, opens it with them and answers "How did we do?" there; staff are then not offered
    the form, and the report counts it once."""
    app.config["FIXED_NOW"] = NOW
    officer = make_staff("customer_relations")
    contact = contacts.submit(
        db.session(),
        contacts.Answers(kind="not_kept", promises=(A_PROMISE,), words="Hi", helper="nobody"),
        submission_key="phoned-then-app",
        access_secret=contacts.new_access_secret(),
        memorable_words="apple tiger river",
        now=NOW,
        office=OFFICE,
        channel="phone",
        logged_by=officer,
    )
    close(contact, NOW + dt.timedelta(hours=1))
    db.session.commit()
    app.config["FIXED_NOW"] = LATER
    phone = app.test_client()
    found = post_form(
        phone, "/messages/find", reference=contact.reference, words="apple tiger river"
    )
    assert found.headers["Location"] == f"/messages/{contact.reference}"
    sent = post_form(
        phone,
        f"/messages/{contact.reference}",
        action=f"/messages/{contact.reference}/feedback",
        listened="yes",
        heard="no",
        happy="yes",
        words="Thanks",
    )
    assert sent.status_code == 303
    [given] = feedback_events(contact)
    assert given.actor == "child" and given.details["heard"] == "no"
    relations, _ = signed_in_client(app, "customer_relations")
    page = soup(relations.get(f"/staff/contacts/{contact.id}"))
    assert page.select_one("form[action$='/feedback']") is None
    assert post_feedback(relations, contact, **ANSWERS).status_code == 409  # not twice
    assert len(feedback_events(contact)) == 1
