""" "I don't feel safe right now" tells the truth: before anything is sent it says so and
offers one tap to send an urgent message; after, the rules mark the message urgent and email
the people who must look at it, in the same transaction."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contact, Draft, OutboxMessage
from tests.helpers import COUNCIL, csrf_token, record, soup
from tests.journey import answer, fill_in, send_message
from tests.staff_helpers import make_staff

MARKED = "We have marked your message as urgent"
NOT_YET = "We have not got a message from you yet"
WORDS = "My social worker does not call me back."


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def urgent_form(client: FlaskClient) -> dict[str, str]:
    page = soup(client.get("/tell-us/not-safe"))
    form = page.select_one("form[action='/tell-us/not-safe']")
    assert form is not None
    return {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}


def test_before_sending_it_says_nothing_has_been_sent(client: FlaskClient) -> None:
    answer(client, "what", kind="not_kept")
    step = soup(client.get("/tell-us/promises"))
    link = step.select_one(".not-safe a")
    assert link is not None and link["href"].startswith("/tell-us/not-safe")  # a link: no post
    page = client.get(link["href"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = soup(page).get_text(" ")
    assert NOT_YET in text and MARKED not in text and "urgent" not in text.split(NOT_YET)[0]
    numbers = [a["href"] for a in soup(page).select(".help-now a")]
    assert numbers == [
        "tel:999",
        f"tel:{COUNCIL.council.emergency_duty_team_phone.replace(' ', '')}",
        "tel:08001111",
    ]
    assert count(Contact) == 0 and count(OutboxMessage) == 0


def test_one_tap_sends_an_urgent_message_with_nothing_unless_the_child_chooses(
    client: FlaskClient,
) -> None:
    fill_in(client)
    client.post("/tell-us/not-safe", data=urgent_form(client))
    contact = db.session.scalar(select(Contact))
    assert contact is not None and contact.urgent
    assert contact.message["words"] == "" and contact.reach is None  # nothing was chosen
    assert [e.kind for e in contact.events] == ["sent", "child_not_safe"]
    [mail] = db.session.scalars(select(OutboxMessage)).all()
    assert mail.recipient == COUNCIL.staff.mailbox and mail.subject.startswith("URGENT")
    page = soup(client.get("/tell-us/not-safe"))
    assert MARKED in page.get_text(" ") and contact.reference in page.get_text(" ")
    # What the child wrote is still there to finish, and sends as a second message.
    assert WORDS in client.get("/tell-us/check").get_data(as_text=True)
    reference = send_message(client)
    assert reference != contact.reference and count(Contact) == 2


def test_with_what_they_have_written_if_they_choose(client: FlaskClient) -> None:
    fill_in(client)
    data = urgent_form(client)
    response = client.post("/tell-us/not-safe", data={**data, "include": "y"})
    assert response.status_code == 303
    contact = db.session.scalar(select(Contact))
    assert contact is not None and contact.urgent and contact.message["words"] == WORDS
    assert contact.reach is not None and contact.reach["name"] == "Jo"
    assert count(Draft) == 0  # sent: nothing half-written left behind
    again = client.post("/tell-us/not-safe", data={**data, "include": "y"})  # a double tap
    assert again.status_code in (303, 400) and count(Contact) == 1


def test_a_post_without_its_token_makes_nothing_and_still_shows_who_to_call(
    app: Flask,
) -> None:
    stranger = app.test_client()
    response = stranger.post("/tell-us/not-safe", data={"submission_key": "x"})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".error-summary") is not None
    assert page.select(".help-now a")
    assert count(Contact) == 0 and count(OutboxMessage) == 0


def test_after_sending_the_rules_mark_it_urgent_and_tell_people_at_once(
    app: Flask, client: FlaskClient
) -> None:
    reference = send_message(client)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    manager = make_staff("senior_manager", email="sam@council.example")
    record(
        contact,
        "allocated",
        now=contact.received_at,
        role="head_of_service",
        details={"staff_id": manager.id},
    )
    db.session.commit()
    page = client.get(f"/messages/{reference}").get_data(as_text=True)
    forged = client.post(f"/messages/{reference}/not-safe", data={})
    assert forged.status_code == 400
    db.session.refresh(contact)
    assert not contact.urgent
    response = client.post(f"/messages/{reference}/not-safe", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    db.session.refresh(contact)
    assert contact.urgent and contact.events[-1].kind == "child_not_safe"
    urgent = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.subject.like("URGENT%"))
    ).all()
    assert {m.recipient for m in urgent} == {COUNCIL.staff.mailbox, "sam@council.example"}
    text = soup(client.get(response.headers["Location"])).get_text(" ")
    assert MARKED in text and reference in text
