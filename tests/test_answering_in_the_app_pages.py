"""Answering a child in the app, through the pages: staff reply, the child opens it and that
is recorded as the first contact; staff ask a question, the child answers it in a form that
works without JavaScript, and staff read the answer under the question."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import contacts, easyread
from app.contacts import WORDS_LIMIT
from app.extensions import db
from app.models import AuditEvent, Contact
from tests.helpers import A_PROMISE, OFFICE, choose, csrf_token, soup
from tests.journey import send_message
from tests.staff_helpers import make_staff, signed_in_client

MONDAY_10 = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)  # due Wednesday 10:00
TUESDAY_9 = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 24, 9, 20, tzinfo=dt.UTC)  # staff sessions idle out at 30 min
WORDS = "My social worker does not call me back."
ANONYMOUS = {
    "name": {"name": ""},
    "how": {"how": ""},
    "language": {"language": ""},
    "advocate": {"advocate": ""},
}
TRICKY = 'Friday <after school> & I <3 "you", 5 > 3'


def at(app: Flask, moment: dt.datetime) -> None:
    app.config["FIXED_NOW"] = moment


def sent(app: Flask, child: FlaskClient, **changes: Any) -> Contact:
    at(app, MONDAY_10)
    reference = send_message(child, **(changes or ANONYMOUS))
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    return contact


def customer_relations(app: Flask) -> FlaskClient:
    """Signed in on Tuesday morning, the day after the message came in."""
    at(app, TUESDAY_9)
    staff, _ = signed_in_client(app, "customer_relations")
    return staff


def staff_does(staff: FlaskClient, contact: Contact, name: str, **fields: str) -> Any:
    token = csrf_token(staff.get("/staff/sign-in").get_data(as_text=True))
    data = {f"{name}-{key}": value for key, value in fields.items()}
    return staff.post(
        f"/staff/contacts/{contact.id}/{name}", data={f"{name}-csrf_token": token, **data}
    )


def main_text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(soup(response).select_one("main").get_text(" ", strip=True))


def tracker_row(staff: FlaskClient, contact: Contact) -> str:
    page = soup(staff.get("/staff/tracker"))
    link = page.find("a", string=contact.reference)
    assert link is not None
    return str(link.find_parent("tr").get_text(" ", strip=True))


def test_a_reply_in_the_app_is_read_and_that_is_the_first_contact(app: Flask) -> None:
    child = app.test_client()
    contact = sent(app, child)
    staff = customer_relations(app)
    page = main_text(staff, f"/staff/contacts/{contact.id}")
    assert "The app is the only way back to this child: reply in the app." in page
    response = staff_does(staff, contact, "reply", text="Hello, we are on it. Kim.")
    assert response.status_code == 303
    assert "Replied, not yet read" in tracker_row(staff, contact)
    page = main_text(staff, f"/staff/contacts/{contact.id}")
    assert "Replied, not yet read" in page and "First contact Not yet" in page
    assert "New reply" in main_text(child, "/messages")

    at(app, LATER)
    response = child.get(f"/messages/{contact.reference}")
    shown = soup(response)
    assert shown.select_one(".replies .words").get_text() == "Hello, we are on it. Kim."
    assert "We have replied to you." in shown.select_one(".flash[role=status]").get_text()
    assert "You have read our reply." in shown.select_one(".status-now").get_text()
    assert WORDS not in shown.get_text()  # never the child's own words: phones are shared
    db.session.refresh(contact)
    assert contact.first_contact_at == LATER and contact.reply_unread_since is None
    read = [e for e in contact.events if e.kind == "reply_read"]
    assert [(e.actor, e.at) for e in read] == [("child", LATER)]

    child.get(f"/messages/{contact.reference}")  # opened again: recorded once
    db.session.refresh(contact)
    assert [e.kind for e in contact.events].count("reply_read") == 1
    page = main_text(staff, f"/staff/contacts/{contact.id}")
    assert "Read by the child on Tuesday 24 November, 09:20" in page
    assert "First contact Tuesday 24 November, 09:20 (reached in the app)" in page
    assert "The child opened the reply in the app" in page  # the timeline
    assert "Replied, not yet read" not in tracker_row(staff, contact)


def test_a_child_with_another_way_back_is_rung_not_replied_to(app: Flask) -> None:
    child = app.test_client()
    contact = sent(app, child, how={"how": "text"}, contact={"phone": "07700 900 982"})
    staff = customer_relations(app)
    page = soup(staff.get(f"/staff/contacts/{contact.id}"))
    offered = {form["action"].rsplit("/", 1)[-1] for form in page.select(".action form")}
    assert "reply" not in offered and "spoke" in offered
    response = staff_does(staff, contact, "reply", text="Hello")  # forged: the rule refuses
    assert response.status_code == 409
    summary = soup(response).select_one(".error-summary").get_text(" ")
    assert "The child told us how to reach them" in summary
    assert "replied_in_app" not in [e.kind for e in contact.events]


def test_a_logged_contact_with_no_way_back_is_not_told_to_reply_in_the_app(app: Flask) -> None:
    """The page said "reply in the app" for any contact with no contact details, even a call
    logged for a child who has no app to open it: now it says what is true for each."""
    at(app, MONDAY_10)
    logged = contacts.submit(
        db.session(),
        contacts.Answers(kind="not_kept", promises=(A_PROMISE,), words="Hi", helper="nobody"),
        submission_key="logged-no-way-back",
        access_secret=contacts.new_access_secret(),
        memorable_words="",
        now=MONDAY_10,
        office=OFFICE,
        channel="phone",
        logged_by=make_staff("customer_relations"),
    )
    db.session.commit()
    staff = customer_relations(app)
    page = soup(staff.get(f"/staff/contacts/{logged.id}"))
    hint = page.select_one(".only-in-app").get_text(" ", strip=True)
    assert "reply in the app" not in hint and "We have no way back to this child" in hint
    assert "No way to reach the child was recorded" in page.select_one(".no-reach").get_text()
    assert page.select_one("form[action$='/reply']") is None
    anonymous = sent(app, app.test_client())
    page = soup(staff.get(f"/staff/contacts/{anonymous.id}"))
    hint = page.select_one(".only-in-app").get_text(" ", strip=True)
    assert hint.startswith("The app is the only way back to this child: reply in the app.")
    assert page.select_one(".no-reach").get_text() == "The child chose to stay anonymous."
    assert page.select_one("form[action$='/reply']") is not None


def ask(app: Flask, staff: FlaskClient, contact: Contact, question: str) -> None:
    response = staff_does(staff, contact, "more-info", text=question)
    assert response.status_code == 303


def answer_url(contact: Contact, question_id: int | None = None) -> str:
    return f"/messages/{contact.reference}/questions/{question_id or contact.events[-1].id}"


def post_answer(child: FlaskClient, contact: Contact, question_id: int, words: str) -> Any:
    """Send the answer box of one question with the page's own token, as a browser would."""
    token = csrf_token(child.get(f"/messages/{contact.reference}").get_data(as_text=True))
    prefix = f"answer-{question_id}"
    return child.post(
        answer_url(contact, question_id),
        data={f"{prefix}-csrf_token": token, f"{prefix}-words": words},
    )


def test_the_child_answers_the_question_and_staff_read_it_under_it(app: Flask) -> None:
    child = app.test_client()
    contact = sent(app, child)
    staff = customer_relations(app)
    ask(app, staff, contact, "Which day <suits> you?")
    question = contact.events[-1]
    status = soup(child.get(f"/messages/{contact.reference}"))
    section = status.select_one(".question")
    assert section.select_one(".words").get_text() == "Which day <suits> you?"
    form = section.select_one("form")
    assert form["action"] == answer_url(contact) and form.has_attr("novalidate")
    assert form.select_one(f"input[name=answer-{question.id}-csrf_token]") is not None
    assert section.select_one("label").get_text() == "Your answer"

    at(app, LATER)
    response = post_answer(child, contact, question.id, TRICKY)
    assert response.status_code == 303
    page = soup(child.get(response.headers["Location"]))
    assert "Thank you. We have your answer." in page.select_one(".flash").get_text()
    assert "You answered on Tuesday 24 November." in page.select_one(".question").get_text()
    assert page.select_one(".question form") is None
    assert "after school" not in page.get_text()  # the answer is never shown back
    db.session.refresh(contact)
    answer = contact.events[-1]
    assert (answer.kind, answer.text, answer.details) == (
        "child_added",
        TRICKY,
        {"question": question.id},
    )
    assert contact.first_contact_at == LATER  # answering reached the child

    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    response = staff.get(f"/staff/contacts/{contact.id}")
    staff_page = soup(response)
    asked = staff_page.select_one(f"#event-{question.id}")
    assert asked.select_one(".child-answer").get_text() == TRICKY  # escaped, not a character lost
    assert asked.select_one(".child-answer *") is None
    assert "The child answered a question" in staff_page.select_one(".timeline").get_text()
    viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.id > (before or 0))).all()
    assert [(a.action, a.contact_id) for a in viewed] == [("viewed_contact", contact.id)]


def answering(app: Flask) -> tuple[FlaskClient, Contact, int]:
    child = app.test_client()
    contact = sent(app, child)
    staff = customer_relations(app)
    ask(app, staff, contact, "Who was there?")
    return child, contact, contact.events[-1].id


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("", "Write your answer in the box, then send it"),
        ("   ", "Write your answer in the box, then send it"),
        ("x" * (WORDS_LIMIT + 1), f"Your answer is longer than {WORDS_LIMIT:,} letters."),
    ],
    ids=["empty", "spaces", "too-long"],
)
def test_an_answer_that_cannot_be_sent_is_explained_and_kept(
    app: Flask, typed: str, said: str
) -> None:
    child, contact, question_id = answering(app)
    field = f"answer-{question_id}-words"
    response = post_answer(child, contact, question_id, typed)
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".error-summary")
    assert said in summary.get_text()
    assert summary.select_one("a")["href"] == f"#{field}"
    if typed.strip():
        assert page.select_one(f"textarea#{field}").get_text() == typed  # nothing lost
    assert [e.kind for e in contact.events].count("child_added") == 0


def test_a_question_answered_twice_or_on_a_finished_message_is_refused_in_words(
    app: Flask,
) -> None:
    child, contact, question_id = answering(app)
    assert post_answer(child, contact, question_id, "Me").status_code == 303
    again = post_answer(child, contact, question_id, "Me again")  # from a page left open
    assert again.status_code == 200
    said = soup(again).select_one(".error-summary").get_text()
    assert "You have already answered this question." in said
    refused = post_answer(child, contact, 999999, "Hi")
    said = soup(refused).select_one(".error-summary").get_text()
    assert "We could not find that question." in said
    staff = customer_relations(app)
    ask(app, staff, contact, "And who else?")
    second = contact.events[-1].id
    assert staff_does(staff, contact, "close", text="Sorted.").status_code == 303
    late = post_answer(child, contact, second, "Nobody")
    said = soup(late).select_one(".error-summary").get_text()
    assert "This message is finished, so we cannot add to it." in said
    assert [e.kind for e in contact.events].count("child_added") == 1


@pytest.mark.parametrize("symbols", [False, True], ids=["words", "symbols"])
@pytest.mark.parametrize("band", ["under_5", "5_to_9", "10_plus"])
def test_replies_and_questions_in_every_band_and_in_symbols(
    app: Flask, band: str, symbols: bool
) -> None:
    child = app.test_client()
    choose(child, band, symbols)
    contact = sent(app, child)
    staff = customer_relations(app)
    staff_does(staff, contact, "reply", text="We are on it.")
    ask(app, staff, contact, "Which day suits you?")
    page = soup(child.get(f"/messages/{contact.reference}"))
    easy = [li.get_text(strip=True) for li in page.select(".easy-read li")]
    with app.test_request_context():
        wanted = [str(line.text) for line in easyread.lines("message_reply")] + [
            str(line.text) for line in easyread.lines("message_question")
        ]
    if symbols:
        assert set(wanted) <= set(easy)
    else:
        assert not set(wanted) & set(easy)
        assert "we can see that you have read our reply" in page.select_one(".replies").get_text()
    assert page.select_one(".question form textarea") is not None
