"""My messages: the status a child sees after each kind of event, and who may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import contacts
from app.extensions import db
from app.models import Contact
from tests.helpers import COUNCIL, post_form, record, soup
from tests.journey import send_message
from tests.staff_helpers import make_staff

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
WORDS = "My social worker does not call me back."


def sent(client: FlaskClient) -> Contact:
    client.application.config["FIXED_NOW"] = NOW  # Monday 10:00, so due Wednesday 10:00
    reference = send_message(client)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    return contact


def status_text(client: FlaskClient, contact: Contact) -> str:
    response = client.get(f"/messages/{contact.reference}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = soup(response).select_one("main").get_text(" ", strip=True)
    assert WORDS not in text  # never the child's own words: phones are shared
    return text


def happen(contact: Contact, kind: str, **kw: object) -> None:
    """Staff record an event (or the child, for theirs), committed as a request would."""
    role = None if kind.startswith(("child_", "feedback_given")) else "customer_relations"
    record(contact, kind, now=NOW, role=role, **kw)
    db.session.commit()


def test_the_status_after_each_kind_of_event(client: FlaskClient) -> None:
    contact = sent(client)
    text = status_text(client, contact)
    assert "We have your message." in text and "by Wednesday 25 November at 10am" in text
    happen(contact, "read")
    read = f"The {COUNCIL.council.team_name} has read your message."
    assert read in status_text(client, contact)
    sam = make_staff("senior_manager", "Sam Patel")
    happen(contact, "allocated", details={"staff_id": sam.id})
    assert (
        "Sam Patel, a senior manager, will talk to you by Wednesday 25 November at 10am."
        in status_text(client, contact)
    )
    happen(contact, "spoke_to_child")
    assert "Someone has talked with you about your message." in status_text(client, contact)
    happen(contact, "update_for_child", text="We have asked for a new social worker visit.")
    text = status_text(client, contact)
    assert "We are sorting it out." in text
    assert "We have asked for a new social worker visit." in text
    happen(contact, "note", text="Private note for staff only")
    assert "Private note" not in status_text(client, contact)
    happen(contact, "closed", text="Your social worker now calls every Friday.")
    text = status_text(client, contact)
    assert "Your message is finished." in text
    assert "Your social worker now calls every Friday." in text
    assert "How did we do?" in text
    assert "Forgot to say something?" not in text


def test_the_current_stage_is_marked_for_screen_readers(client: FlaskClient) -> None:
    contact = sent(client)
    happen(contact, "read")
    page = soup(client.get(f"/messages/{contact.reference}"))
    current = page.select_one(".tracker [aria-current=step]")
    assert current.select_one(".tracker-name").get_text(strip=True) == "Read"
    assert "(where your message is now)" in current.get_text()
    done = page.select(".tracker li.done")
    assert [li.select_one(".tracker-name").get_text(strip=True) for li in done] == ["Sent"]
    assert all(li.select_one("svg") for li in done)  # a tick for each stage done
    assert len(page.select(".tracker li.to-come")) == 4


def test_the_status_names_who_talked_only_when_it_was_them(client: FlaskClient) -> None:
    contact = sent(client)
    sam = make_staff("senior_manager", "Sam Patel")
    happen(contact, "allocated", details={"staff_id": sam.id})
    assert "Sam Patel, a senior manager, will talk to you by" in status_text(client, contact)
    happen(contact, "spoke_to_child")  # someone else spoke to the child
    assert "Someone has talked with you about your message." in status_text(client, contact)
    record(contact, "spoke_to_child", staff=sam, now=NOW)
    db.session.commit()
    assert "Sam Patel has talked with you about your message." in status_text(client, contact)


def test_how_did_we_do_is_answered_once(client: FlaskClient) -> None:
    contact = sent(client)
    happen(contact, "spoke_to_child")
    happen(contact, "closed", text="Sorted.")
    page = soup(client.get(f"/messages/{contact.reference}"))
    assert len(page.select(".feedback .radio img[alt='']")) == 9  # three faces, three questions
    token = page.select_one("input[name=csrf_token]")["value"]
    response = post_form(
        client,
        f"/messages/{contact.reference}",
        action=f"/messages/{contact.reference}/feedback",
        listened="yes",
        heard="yes",
        happy="not_sure",
        words="Thanks",
    )
    assert response.status_code == 303
    text = status_text(client, contact)
    assert "Thank you for telling us how we did." in text and "How did we do?" not in text
    for action, data, said in (
        (
            "feedback",
            {"listened": "no", "heard": "no", "happy": "no"},
            "You have already told us how we did. Thank you.",
        ),
        (
            "add",
            {"words": "One more thing"},
            "This message is finished, so we cannot add to it. You can send us a new message.",
        ),
    ):
        again = client.post(
            f"/messages/{contact.reference}/{action}", data={"csrf_token": token, **data}
        )
        assert again.status_code == 200  # refused, and said so: never silently
        summary = soup(again).select_one(".error-summary")
        assert summary is not None and said in summary.get_text()
    kinds = [event.kind for event in contact.events]
    assert kinds.count("feedback_given") == 1 and "child_added" not in kinds


def test_feedback_without_answers_is_explained(client: FlaskClient) -> None:
    contact = sent(client)
    happen(contact, "spoke_to_child")
    happen(contact, "closed", text="Sorted.")
    response = post_form(
        client,
        f"/messages/{contact.reference}",
        action=f"/messages/{contact.reference}/feedback",
        listened="yes",
    )
    assert response.status_code == 200
    summary = soup(response).select_one(".error-summary")
    assert [a["href"] for a in summary.select("a")] == ["#heard-0", "#happy-0"]
    # Each error names its question: three "Choose an answer" would not say which.
    assert [a.get_text(strip=True) for a in summary.select("a")] == [
        "Choose an answer to “Did you feel heard?”",
        "Choose an answer to “Are you happy with what happened?”",
    ]


def test_the_child_adds_to_their_message(client: FlaskClient) -> None:
    contact = sent(client)
    response = post_form(
        client,
        f"/messages/{contact.reference}",
        action=f"/messages/{contact.reference}/add",
        words="Also, thank you.",
    )
    assert response.status_code == 303
    assert "We have added this to your message." in status_text(client, contact)
    assert contact.events[-1].kind == "child_added"
    assert contact.events[-1].text == "Also, thank you."


def test_not_safe_from_the_status_page_marks_it_urgent(client: FlaskClient) -> None:
    contact = sent(client)
    assert not contact.urgent
    response = post_form(
        client, f"/messages/{contact.reference}", action=f"/messages/{contact.reference}/not-safe"
    )
    assert response.status_code == 303
    assert "Call 999" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.refresh(contact)
    assert contact.urgent and contact.events[-1].kind == "child_not_safe"


def test_nobody_else_can_see_a_message(app: Flask, client: FlaskClient) -> None:
    contact = sent(client)
    stranger = app.test_client()
    assert stranger.get(f"/messages/{contact.reference}").status_code == 404
    assert stranger.post(f"/messages/{contact.reference}/not-safe").status_code == 404
    assert contact.reference not in stranger.get("/messages").get_data(as_text=True)
    assert client.get("/messages/ZZZZZZ").status_code == 404


def test_my_messages_lists_this_phones_messages(client: FlaskClient) -> None:
    first, second = sent(client), sent(client)
    page = soup(client.get("/messages"))
    links = sorted(a["href"] for a in page.select(".message-list a"))
    assert links == sorted([f"/messages/{first.reference}", f"/messages/{second.reference}"])


def test_forget_my_messages_on_this_phone(client: FlaskClient) -> None:
    contact = sent(client)
    response = post_form(client, "/messages", action="/messages/forget")
    assert response.status_code == 303
    assert client.get(f"/messages/{contact.reference}").status_code == 404
    assert "There are no messages on this phone." in client.get("/messages").get_data(as_text=True)


def test_reference_and_words_open_it_on_another_phone(app: Flask, client: FlaskClient) -> None:
    send_message(client)
    page = soup(client.get("/tell-us/sent"))
    reference = page.select_one(".reference").get_text(strip=True)
    words = page.select_one(".memorable-words").get_text(strip=True)
    other = app.test_client()
    response = post_form(other, "/messages/find", reference=reference.lower(), words=words.upper())
    assert response.headers["Location"] == f"/messages/{reference}"
    assert other.get(f"/messages/{reference}").status_code == 200


def phone_at(app: Flask, address: str) -> FlaskClient:
    """Another phone, somewhere else on the internet."""
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = address
    return phone


def find(phone: FlaskClient, reference: str, words: str) -> Any:
    return post_form(phone, "/messages/find", reference=reference, words=words)


def error_summary(response: Any) -> str:
    page = soup(response)
    assert page.title.get_text().startswith("Error:")
    summary = page.select_one(".error-summary")
    assert summary is not None
    return str(summary.get_text(" ", strip=True))


def test_wrong_words_are_explained_then_the_phone_waits(app: Flask, client: FlaskClient) -> None:
    contact = sent(client)
    other = phone_at(app, "192.0.2.1")
    for _ in range(contacts.LOOKUP_PER_ADDRESS.free):
        response = find(other, contact.reference, "not the words")
        assert "The reference or the words are not right." in error_summary(response)
    said = error_summary(find(other, contact.reference, "apple tiger river"))
    assert "Too many wrong tries from here. Wait 1 minute, then try again." in said
    assert COUNCIL.council.phone in said  # and who to call
    app.config["FIXED_NOW"] = NOW + dt.timedelta(minutes=1)
    response = find(other, contact.reference, "not the words either")
    assert "The reference or the words are not right." in error_summary(response)
    said = error_summary(find(other, contact.reference, "not the words"))
    assert "Wait 2 minutes, then try again." in said


def test_a_strangers_five_wrong_guesses_do_not_lock_the_child_out(
    app: Flask, client: FlaskClient
) -> None:
    send_message(client)
    page = soup(client.get("/tell-us/sent"))
    reference = page.select_one(".reference").get_text(strip=True)
    words = page.select_one(".memorable-words").get_text(strip=True)
    stranger = phone_at(app, "203.0.113.9")
    start = dt.datetime.now(dt.UTC)
    for minutes in (0, 0, 0, 1, 3):  # five wrong guesses, as fast as the waits allow
        app.config["FIXED_NOW"] = start + dt.timedelta(minutes=minutes)
        assert find(stranger, reference, "apple tiger river").status_code == 200
    child = phone_at(app, "192.0.2.1")
    response = find(child, reference, words)
    assert response.headers["Location"] == f"/messages/{reference}"


def test_when_a_reference_is_closed_the_phone_that_sent_it_still_gets_in(
    app: Flask, client: FlaskClient
) -> None:
    contact = sent(client)
    for n in range(contacts.LOOKUP_PER_REFERENCE.free):  # many addresses: the cap is reached
        contacts.open_with_words(
            db.session(), contact.reference, "wrong", new_secret="x", address=str(n), now=NOW
        )
        db.session.commit()
    said = error_summary(find(phone_at(app, "192.0.2.1"), contact.reference, "apple tiger river"))
    assert "too many wrong tries today" in said and "for 1 day" in said
    assert "The phone you sent it from can still see it." in said
    # The phone that sent it holds its secret: it needs no words, and no try counts.
    response = find(client, contact.reference.lower(), "anything at all")
    assert response.headers["Location"] == f"/messages/{contact.reference}"


@pytest.mark.parametrize("url", ["/messages", "/messages/find"])
def test_message_pages_are_never_cached(page_client: FlaskClient, url: str) -> None:
    assert page_client.get(url).headers["Cache-Control"] == "no-store"


def test_lookups_are_rate_limited(app: Flask) -> None:
    other = app.test_client()
    responses = [
        post_form(other, "/messages/find", reference="ABCDEF", words="a b c") for _ in range(11)
    ]
    assert [response.status_code for response in responses[:10]] == [200] * 10
    assert responses[10].status_code == 429
    assert "Too many tries" in responses[10].get_data(as_text=True)


def test_feedback_before_the_end_is_refused_in_words(client: FlaskClient) -> None:
    contact = sent(client)
    response = post_form(
        client,
        f"/messages/{contact.reference}",
        action=f"/messages/{contact.reference}/feedback",
        listened="yes",
        heard="yes",
        happy="yes",
    )
    assert response.status_code == 200
    summary = soup(response).select_one(".error-summary")
    assert summary is not None
    assert "You can tell us how we did when your message is finished." in summary.get_text()
    assert "feedback_given" not in [event.kind for event in contact.events]
