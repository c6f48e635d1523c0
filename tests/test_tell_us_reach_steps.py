"""How to get back to the child and what helps them talk: one question a page, the phone or
email box only after that way was chosen (a following step, so no JavaScript is needed), in
words each age understands."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Contact
from tests.helpers import choose, soup
from tests.journey import STEPS, answer, reference_on, send

BEFORE_HOW = ("what", "promises", "words", "name")


def up_to_how(client: FlaskClient) -> None:
    for step in BEFORE_HOW:
        assert answer(client, step, **STEPS[step]).status_code == 303


def fields_on(client: FlaskClient, step: str) -> list[str]:
    page = soup(client.get(f"/tell-us/{step}"))
    return [
        f["name"]
        for f in page.select("main form input, main form textarea")
        if f.get("type") != "hidden"
    ]


@pytest.mark.parametrize(
    ("how", "box", "then"),
    [
        ("phone", "phone", "leave_message"),
        ("text", "phone", "best_time"),
        ("email", "email", "language"),
    ],
)
def test_the_box_follows_the_way_chosen(client: FlaskClient, how: str, box: str, then: str) -> None:
    up_to_how(client)
    assert set(fields_on(client, "how")) == {"how"}  # one question, no boxes on the page
    response = answer(client, "how", how=how)
    assert response.headers["Location"] == "/tell-us/contact"
    assert fields_on(client, "contact") == [box]
    heading = soup(client.get("/tell-us/contact")).h1.get_text(strip=True)
    assert heading == (
        "What email address should we use?"
        if box == "email"
        else "What phone number should we use?"
    )
    empty = answer(client, "contact", **{box: ""})
    assert empty.status_code == 200  # the box is needed once that way was chosen
    value = "jo@example.org" if box == "email" else "07700 900 982"
    assert answer(client, "contact", **{box: value}).headers["Location"] == f"/tell-us/{then}"


def test_no_box_for_the_app_alone_and_a_number_given_before_is_dropped(client: FlaskClient) -> None:
    up_to_how(client)
    answer(client, "how", how="phone")
    answer(client, "contact", phone="07700 900 982")
    response = answer(client, "how", how="app_only")
    assert response.headers["Location"] == "/tell-us/language"
    assert client.get("/tell-us/contact").headers["Location"] == "/tell-us/language"
    for step in ("language", "helps", "advocate", "helper"):
        answer(client, step, **STEPS[step])
    reference = reference_on(client.get(send(client).headers["Location"]))
    contact = db.session.scalar(select(Contact).where(Contact.reference == reference))
    assert contact.reach == {
        "name": "Jo",
        "how": "app_only",
        "language": "English",
        "advocate": "not_sure",
    }


def test_changing_the_way_from_the_check_page_asks_for_the_new_box(client: FlaskClient) -> None:
    for step, data in STEPS.items():
        answer(client, step, **data)
    response = answer(client, "how?change=1", how="email")
    assert response.headers["Location"] == "/tell-us/contact?change=1"
    response = answer(client, "contact?change=1", email="jo@example.org")
    assert response.headers["Location"] == "/tell-us/check"
    check = client.get("/tell-us/check").get_data(as_text=True)
    assert "jo@example.org" in check and "07700 900 982" not in check


def test_the_check_page_cannot_be_reached_without_the_box_the_way_needs(
    client: FlaskClient,
) -> None:
    up_to_how(client)
    answer(client, "how", how="text")
    assert client.get("/tell-us/helper").headers["Location"] == "/tell-us/contact"
    assert client.get("/tell-us/check").headers["Location"] == "/tell-us/contact"


def test_an_advocate_explained_in_a_childs_words(client: FlaskClient) -> None:
    up_to_how(client)
    words = {}
    for band in ("under_5", "5_to_9", "10_plus"):
        choose(client, band)
        page = soup(client.get("/tell-us/advocate"))
        words[band] = (
            page.h1.get_text(" ", strip=True)
            + " "
            + page.select_one(".hint").get_text(" ", strip=True)
        )
    assert "someone on your side" in words["5_to_9"] and "advocate" in words["5_to_9"]
    assert "on your side" in words["under_5"] and "advocate" in words["under_5"]
    assert words["under_5"] != words["5_to_9"]
    assert words["10_plus"].startswith("Would you like an advocate?")
    assert "someone on your side who helps you say what you want" in words["10_plus"]


def test_the_interpreter_is_asked_only_after_a_language(client: FlaskClient) -> None:
    up_to_how(client)
    answer(client, "how", how="social_worker")
    assert answer(client, "language", language="").headers["Location"] == "/tell-us/helps"
    assert (
        answer(client, "language", language="Polish").headers["Location"] == "/tell-us/interpreter"
    )


def test_each_way_back_and_each_help_is_a_page_of_its_own(client: FlaskClient) -> None:
    """Once five questions and 13 controls on one page: now one question a page, its <h1>."""
    up_to_how(client)
    answer(client, "how", how="phone")
    answer(client, "contact", phone="07700 900 982")
    answer(client, "language", language="Polish")
    asked = {}
    for step in ("how", "contact", "leave_message", "best_time", "language", "interpreter",
                 "helps", "advocate"):  # fmt: skip
        page = soup(client.get(f"/tell-us/{step}"))
        names = fields_on(client, step)
        questions = page.select("main form fieldset legend, main form label.label")
        asked[step] = (len(set(names)), len(questions), page.h1.get_text(" ", strip=True))
    for step, (names, questions, heading) in asked.items():
        # "helps" has one more box, for help the choices do not name; it is part of the answer.
        assert names <= (2 if step == "helps" else 1), (step, names)
        assert questions <= (2 if step == "helps" else 1), (step, questions)
        assert heading, step
