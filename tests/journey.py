"""Walking the Tell Us journey through the test client, as a child would."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.helpers import A_PROMISE, csrf_token, post_form, soup


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


# Every question of the journey, in order, with the answers a child gives (each step that
# applies to them: "contact", "leave_message" and "best_time" follow a phone call).
STEPS: dict[str, dict[str, Any]] = {
    "what": {"kind": "not_kept"},
    "promises": {"promises": [A_PROMISE]},
    "words": {"words": "My social worker does not call me back."},
    "name": {"name": "Jo"},
    "how": {"how": "phone"},
    "contact": {"phone": "07700 900 982"},  # asked only after "phone call"
    "leave_message": {"leave_message": "no"},
    "best_time": {},
    "language": {"language": "English"},
    "interpreter": {},  # asked only after a language
    "helps": {},
    "advocate": {"advocate": "not_sure"},
    "helper": {"helper": "nobody"},
}


def answer(client: FlaskClient, step: str, **data: Any) -> Any:
    return post_form(client, f"/tell-us/{step}", **data)


def fill_in(client: FlaskClient, **changes: dict[str, Any]) -> None:
    for step, data in STEPS.items():
        if client.get(f"/tell-us/{step}").status_code == 303:
            continue  # a question these answers do not ask (no number without a phone call)
        response = answer(client, step, **{**data, **changes.get(step, {})})
        assert response.status_code == 303, (step, soup(response).select_one(".error-summary"))


def send_form(client: FlaskClient) -> dict[str, str]:
    """What the check page's send button posts: its CSRF token and the one-time key."""
    page = client.get("/tell-us/check").get_data(as_text=True)
    return {"csrf_token": csrf_token(page), "submission_key": submission_key_in(page)}


def submission_key_in(html: str) -> str:
    field = soup_of(html).select_one("input[name=submission_key]")
    assert field is not None, "the check page has no submission key"
    return str(field["value"])


def send(client: FlaskClient, form: dict[str, str] | None = None) -> Any:
    return client.post("/tell-us/send", data=form or send_form(client))


def send_message(client: FlaskClient, **changes: dict[str, Any]) -> str:
    """The whole journey; the reference the confirmation shows."""
    fill_in(client, **changes)
    response = send(client)
    assert response.status_code == 303 and response.headers["Location"] == "/tell-us/sent"
    return reference_on(client.get("/tell-us/sent"))


def reference_on(confirmation: Any) -> str:
    reference = soup(confirmation).select_one(".reference")
    assert reference is not None
    return reference.get_text(strip=True)
