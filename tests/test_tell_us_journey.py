"""Tell Us, We Care!: the whole journey, one question a page, in every band and in symbols."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from app.contacts import REFERENCE_ALPHABET
from app.extensions import db
from app.models import Contact, Draft
from tests.helpers import A_PROMISE, COUNCIL, choose, soup
from tests.journey import STEPS, answer, fill_in, reference_on, send, send_message


@pytest.mark.parametrize("symbols", [False, True], ids=["words", "symbols"])
@pytest.mark.parametrize("band", ["under_5", "5_to_9", "10_plus"])
def test_the_whole_journey_in_every_band(client: FlaskClient, band: str, symbols: bool) -> None:
    choose(client, band, symbols)
    for number, step in enumerate(STEPS, start=1):
        page = soup(client.get(f"/tell-us/{step}"))
        # The count grows as answers ask more (a phone call asks for the number): by the last
        # question it counts every one this child was asked, and the check page.
        count = page.select_one(".step-count").get_text(strip=True)
        assert count.startswith(f"Question {number} of "), (step, count)
        if step == "helper":
            assert count == f"Question {number} of {len(STEPS) + 1}"
        assert page.select_one(".not-safe .button").get_text() == "I don't feel safe right now"
        assert page.select_one("a.back-link")
        if symbols:
            assert page.select("h1 img[alt='']"), step  # the question's own symbol
        answer(client, step, **STEPS[step])
    response = send(client)
    assert response.headers["Location"] == "/tell-us/sent"
    reference = reference_on(client.get("/tell-us/sent"))
    assert re.fullmatch(f"[{REFERENCE_ALPHABET}]{{6}}", reference)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact is not None
    assert contact.age_band == band and contact.kind == "not_kept"
    assert contact.promise_keys == [A_PROMISE]
    assert contact.message["words"] == "My social worker does not call me back."
    assert contact.reach == {
        "name": "Jo",
        "how": "phone",
        "phone": "07700 900 982",
        "leave_message": "no",
        "language": "English",
        "advocate": "not_sure",
    }


def test_each_band_reads_its_own_words(page_client: FlaskClient) -> None:
    labels = {}
    for band in ("under_5", "5_to_9", "10_plus"):
        choose(page_client, band)
        page = soup(page_client.get("/tell-us/what"))
        labels[band] = [label.get_text(strip=True) for label in page.select(".radio label")]
    assert labels["10_plus"][0] == "A promise was kept really well"
    assert labels["5_to_9"][0] == "Someone kept a promise really well"
    assert labels["under_5"][0] == "Something good happened"


def test_symbol_mode_puts_a_picture_beside_each_choice(client: FlaskClient) -> None:
    choose(client, "10_plus", symbols=True)
    what = soup(client.get("/tell-us/what"))
    assert len(what.select(".radio label img[alt='']")) == 3
    answer(client, "what", kind="praise")
    promises = soup(client.get("/tell-us/promises"))
    pictures = promises.select(".radio label img[alt='']")
    assert len(pictures) == len(COUNCIL.promises) + 1  # each promise and "other"


def test_praise_asks_who_what_they_do_and_what_they_did(client: FlaskClient) -> None:
    reference = send_message(
        client,
        what={"kind": "praise"},
        words={
            "words": "She came to my football final.",
            "praise_name": "Ms Khan",
            "praise_role": "social_worker",
        },
    )
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact.kind == "praise"
    assert contact.message["praise_name"] == "Ms Khan"
    assert contact.praise_may_pass_on is False  # off until the child turns it on


def test_passing_praise_on_is_the_childs_choice(client: FlaskClient) -> None:
    answer(client, "what", kind="praise")
    answer(client, "promises", promises=["other"])
    page = soup(client.get("/tell-us/words"))
    assert not page.select_one("#praise_may_pass_on").has_attr("checked")
    reference = send_message(
        client,
        what={"kind": "praise"},
        words={
            "words": "Thank you",
            "praise_name": "Sam",
            "praise_role": "carer",
            "praise_may_pass_on": "y",
        },
    )
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact.praise_may_pass_on is True


def test_a_child_can_stay_anonymous(client: FlaskClient) -> None:
    reference = send_message(
        client,
        name={"name": ""},
        how={"how": ""},
        language={"language": ""},
        advocate={"advocate": ""},
    )
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact.reach is None


def test_check_answers_shows_everything_with_change_links(client: FlaskClient) -> None:
    fill_in(client)
    page = soup(client.get("/tell-us/check"))
    text = page.get_text(" ", strip=True)
    assert "A promise was not kept, or I am unhappy with my support" in text
    assert COUNCIL.promises_by_key[A_PROMISE].words("card") in text
    assert "My social worker does not call me back." in text
    assert "07700 900 982" in text and "Phone call" in text
    changes = [a["href"] for a in page.select(".summary-action a")]
    assert "/tell-us/what?change=1" in changes and "/tell-us/helper?change=1" in changes
    hidden = page.select_one(".summary-action a .visually-hidden").get_text(strip=True)
    assert hidden == "what you want to tell us"
    assert f"Your message goes to the {COUNCIL.council.team_name} at {COUNCIL.council.name}" in text
    assert "we must share it with people who can help keep you safe" in text
    assert page.select_one("button[data-prevent-double-click]").get_text() == "Send your message"


def test_change_returns_to_check_answers(client: FlaskClient) -> None:
    fill_in(client)
    page = soup(client.get("/tell-us/words?change=1"))
    assert page.select_one("a.back-link")["href"] == "/tell-us/check"
    response = answer(client, "words?change=1", words="Actually it was about school.")
    assert response.headers["Location"] == "/tell-us/check"
    assert "Actually it was about school." in client.get("/tell-us/check").get_data(as_text=True)


def test_skipping_ahead_goes_back_to_the_first_unanswered_question(client: FlaskClient) -> None:
    assert client.get("/tell-us/check").headers["Location"] == "/tell-us/what"
    answer(client, "what", kind="kept_well")
    assert client.get("/tell-us/words").headers["Location"] == "/tell-us/promises"


def test_the_confirmation(app: Flask, client: FlaskClient) -> None:
    # Monday 23 November 2026, 10:00 in London: in office hours.
    app.config["FIXED_NOW"] = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    reference = send_message(client)
    page = soup(client.get("/tell-us/sent"))
    text = page.get_text(" ", strip=True)
    assert reference in text
    assert "Someone will talk to you by Wednesday 25 November at 10am." in text
    assert (
        "We will speak to you first, before anyone else, unless we are worried about your "
        "safety." in text
    )
    assert "Nobody is in the office" not in text
    assert "What happens next" in text and "Childline" in text
    assert "does not call me back" not in text  # never the message itself
    words = page.select_one(".memorable-words").get_text(strip=True).split()
    assert len(words) == 3
    assert page.select_one(f"a.button[href='/messages/{reference}']")


def test_the_confirmation_opens_only_with_the_messages_own_secret(
    app: Flask, client: FlaskClient
) -> None:
    """The confirmation shows a message's reference only to a phone holding its secret: a
    session that names the reference without the secret is sent to its own messages."""
    reference = send_message(client)
    with client.session_transaction() as session:
        held = dict(session)
    other = app.test_client()
    with other.session_transaction() as session:
        session.update({**held, "messages": ["not-the-secret"]})
    assert other.get("/tell-us/sent").headers["Location"] == "/messages"
    with other.session_transaction() as session:
        session["messages"] = held["messages"]
    assert reference_on(other.get("/tell-us/sent")) == reference


@pytest.mark.parametrize(
    ("sent_at", "line"),
    [
        (dt.datetime(2026, 11, 28, 14, 0, tzinfo=dt.UTC), "We will read your message on Monday"),
        (dt.datetime(2026, 11, 23, 19, 0, tzinfo=dt.UTC), "read your message tomorrow morning"),
        (dt.datetime(2026, 11, 24, 7, 0, tzinfo=dt.UTC), "read your message this morning"),
    ],
)
def test_outside_office_hours_the_confirmation_says_so(
    app: Flask, client: FlaskClient, sent_at: dt.datetime, line: str
) -> None:
    app.config["FIXED_NOW"] = sent_at
    send_message(client)
    assert line in client.get("/tell-us/sent").get_data(as_text=True)


def test_the_draft_is_gone_once_sent(client: FlaskClient) -> None:
    send_message(client)
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 0
    assert client.get("/tell-us/check").headers["Location"] == "/tell-us/what"


def test_the_quick_exit_forgets_the_draft(client: FlaskClient) -> None:
    answer(client, "what", kind="kept_well")
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 1
    client.get("/exit")
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_words_are_encrypted_at_rest(client: FlaskClient) -> None:
    send_message(client)
    raw = db.session.execute(text("SELECT message, reach FROM contact")).one()
    assert b"call me back" not in bytes(raw[0])
    assert b"07700" not in bytes(raw[1])


def test_i_dont_feel_safe_shows_who_to_call_and_changes_nothing_unasked(
    client: FlaskClient,
) -> None:
    answer(client, "what", kind="not_kept")
    page = soup(client.get("/tell-us/promises"))
    link = page.select_one(".not-safe a")
    help_page = soup(client.get(link["href"]))
    numbers = {a["href"] for a in help_page.select("a[href^='tel:']")}
    assert {"tel:999", "tel:08001111"} <= numbers
    assert help_page.select_one("a.button.secondary")["href"] == "/tell-us/promises"
    reference = send_message(client)
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact.urgent is False  # looking at who to call marks nothing: the child chooses
    assert "child_not_safe" not in [event.kind for event in contact.events]


def test_i_dont_feel_safe_is_on_every_step(client: FlaskClient) -> None:
    fill_in(client)
    for url in ["/tell-us", *[f"/tell-us/{step}" for step in STEPS], "/tell-us/check"]:
        assert soup(client.get(url)).select_one(".not-safe a[href^='/tell-us/not-safe']"), url
