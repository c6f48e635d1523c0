"""Walking the Tell Us journey through the test client, as a child would."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.helpers import post_form, soup

STEPS: dict[str, dict[str, Any]] = {
    "what": {"kind": "not_kept"},
    "promises": {"promises": ["listen"]},
    "words": {"words": "My social worker does not call me back."},
    "reach": {"name": "Jo", "how": "text", "phone": "07700 900 982", "leave_message": "no"},
    "support": {"language": "English", "advocate": "not_sure"},
    "helper": {"helper": "nobody"},
}


def answer(client: FlaskClient, step: str, **data: Any) -> Any:
    return post_form(client, f"/tell-us/{step}", **data)


def submission_key(client: FlaskClient) -> str:
    field = soup(client.get("/tell-us/check")).select_one("input[name=submission_key]")
    assert field is not None, "the check page has no submission key"
    return str(field["value"])


def fill_in(client: FlaskClient, **changes: dict[str, Any]) -> None:
    for step, data in STEPS.items():
        response = answer(client, step, **{**data, **changes.get(step, {})})
        assert response.status_code == 303, (step, soup(response).select_one(".error-summary"))


def send(client: FlaskClient, key: str | None = None) -> Any:
    key = key or submission_key(client)
    return post_form(client, "/tell-us/check", action="/tell-us/send", submission_key=key)


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
