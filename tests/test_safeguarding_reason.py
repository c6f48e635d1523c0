"""A safeguarding concern lifts the first-contact rule only with a reason someone can read.

The rules refuse a reason with no visible words (contacts.has_visible_words); this is the
same refusal met through the staff page, as a forged or pasted post would meet it.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import ContactEvent
from tests.helpers import csrf_token, make_contact, soup
from tests.staff_helpers import signed_in_client


@pytest.mark.parametrize(
    ("reason", "status", "words"),
    [
        # A zero-width space alone: the form sees text, the rule sees nothing to read.
        ("\u200b", 409, "Write the reason in words."),
        (" \u200b\u200c\u200d\u2060\ufeff ", 409, "Write the reason in words."),
        ("\u200b\x00\u202e", 409, "Write the reason in words."),
        # Spaces of other widths are spaces: the form asks for the reason itself.
        ("\u3000\u00a0\u2003", 400, "Write the reason"),
    ],
)
def test_a_reason_without_visible_words_is_refused_in_words(
    app: Flask, reason: str, status: int, words: str
) -> None:
    contact = make_contact()
    client, _ = signed_in_client(app, "head_of_service")
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    response = client.post(
        f"/staff/contacts/{contact.id}/safeguarding",
        data={"safeguarding-csrf_token": token, "safeguarding-text": reason},
    )
    assert response.status_code == status
    summary = soup(response).select_one(".error-summary")
    assert summary is not None
    assert words in summary.get_text(" ", strip=True)
    kinds = db.session.scalars(
        select(ContactEvent.kind).where(ContactEvent.contact_id == contact.id)
    ).all()
    assert "safeguarding_concern" not in kinds
    # And nothing was lifted: sharing still waits for the child.
    share = client.post(
        f"/staff/contacts/{contact.id}/share",
        data={
            "share-csrf_token": token,
            "share-who": "School",
            "share-their_role": "teacher",
            "share-text": "To help",
        },
    )
    assert share.status_code == 409


def test_a_reason_in_words_is_recorded(app: Flask) -> None:
    contact = make_contact()
    client, _ = signed_in_client(app, "head_of_service")
    token = csrf_token(client.get("/staff/sign-in").get_data(as_text=True))
    response = client.post(
        f"/staff/contacts/{contact.id}/safeguarding",
        data={"safeguarding-csrf_token": token, "safeguarding-text": "\u200bThey said so\u200b"},
    )
    assert response.status_code == 303
    event = db.session.scalars(
        select(ContactEvent).where(ContactEvent.kind == "safeguarding_concern")
    ).one()
    assert event.text == "\u200bThey said so\u200b"  # kept as typed
