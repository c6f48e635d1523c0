"""Bad input on every step: a clear message in the error summary, and nothing lost."""

from __future__ import annotations

import pytest
from babel import support
from flask import Flask
from flask.testing import FlaskClient
from wtforms.i18n import messages_path

from app.contacts import WORDS_LIMIT
from tests.helpers import COUNCIL, csrf_token, soup
from tests.journey import STEPS, answer, fill_in
from tests.test_kept_parts import child


def errors_on(response: object) -> tuple[list[str], list[str]]:
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one(".error-summary")
    assert summary is not None and summary.h2.get_text() == "There is a problem"
    return (
        [a.get_text(strip=True) for a in summary.select("a")],
        [a["href"] for a in summary.select("a")],
    )


@pytest.mark.parametrize(
    ("step", "data", "message", "target"),
    [
        ("what", {}, "Choose what you want to tell us", "#kind-0"),
        ("what", {"kind": "everything"}, "Not a valid choice.", "#kind-0"),
        ("promises", {}, "Choose a promise, or choose “Something else”", "#promises-0"),
        ("words", {"words": "   "}, "Tell us what happened", "#words"),
        ("contact", {"phone": ""}, "Write the phone number we should use", "#phone"),
        ("contact", {"phone": "call me"}, "Write the phone number with numbers only", "#phone"),
        ("helper", {}, "Choose who helped you, or “Nobody”", "#helper-0"),
    ],
)
def test_each_step_explains_what_is_missing(
    client: FlaskClient, step: str, data: dict[str, str], message: str, target: str
) -> None:
    for earlier in list(STEPS)[: list(STEPS).index(step)]:
        answer(client, earlier, **STEPS[earlier])
    response = answer(client, step, **data)
    assert response.status_code == 200
    messages, targets = errors_on(response)
    assert messages[0].startswith(message)
    assert targets[0] == target


def test_praise_needs_who_and_what(client: FlaskClient) -> None:
    answer(client, "what", kind="praise")
    answer(client, "promises", promises=[COUNCIL.promises[-1].key])
    messages, _ = errors_on(answer(client, "words", words="", praise_name=""))
    assert messages == [
        "Tell us who you want to praise",
        "Choose what they do",
        "Tell us what they did",
    ]


def test_too_many_words_are_kept_and_explained_kindly(client: FlaskClient) -> None:
    fill_in(client)
    long = "I want to say " + "a lot " * (WORDS_LIMIT // 6 + 10)
    response = answer(client, "words", words=long)
    messages, _ = errors_on(response)
    assert "longer than 5,000 letters" in messages[0]
    assert "Nothing you wrote has been lost" in messages[0]
    assert soup(response).select_one("#words").get_text() == long.strip()
    # The earlier answers are still there.
    assert "Jo" in client.get("/tell-us/check").get_data(as_text=True)


def test_a_stale_page_is_explained_and_the_answers_kept(client: FlaskClient) -> None:
    fill_in(client)
    for token in (None, "not-the-right-token"):
        data = {"words": "Something new I typed"}
        if token:
            data["csrf_token"] = token
        response = client.post("/tell-us/words", data=data)
        assert response.status_code == 200
        messages, targets = errors_on(response)
        assert messages == [
            "This page was open for a long time. Check your answers, then press the button again."
        ]
        assert targets == ["#words"]
        assert soup(response).select_one("#words").get_text() == "Something new I typed"
    # Pressing the button again works, and nothing else was lost.
    page = client.get("/tell-us/words")
    response = client.post(
        "/tell-us/words",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "words": "Something new I typed",
        },
    )
    assert response.status_code == 303
    assert "07700 900 982" in client.get("/tell-us/check").get_data(as_text=True)


def test_sending_with_a_stale_page_is_explained(client: FlaskClient) -> None:
    fill_in(client)
    response = client.post("/tell-us/send", data={"submission_key": "abc"})
    assert response.status_code == 200
    messages, _ = errors_on(response)
    assert messages[0].startswith("This page was open for a long time")


def test_wtforms_own_message_is_in_the_childs_language(app: Flask) -> None:
    """WTForms' own words ("Not a valid choice.") come from its catalogue in the page's
    language, found only when a message is said (app/forms.py)."""
    polish = support.Translations.load(messages_path(), ["pl"], domain="wtforms")
    expected = polish.gettext("Not a valid choice.")
    assert expected != "Not a valid choice."
    client = child(app, "10_plus", False, "pl")
    page = client.get("/tell-us/what").get_data(as_text=True)
    refused = client.post("/tell-us/what", data={"csrf_token": csrf_token(page), "kind": "all"})
    assert refused.status_code == 200
    assert expected in refused.get_data(as_text=True)
