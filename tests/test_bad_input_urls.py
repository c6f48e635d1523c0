"""A value no page of ours puts in a URL gets 404 or 400 with a kind page, never a 500:
ids past any integer column, digits that are not ASCII, NUL, bytes that are not UTF-8."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from tests.helpers import make_contact, soup
from tests.journey import send_message
from tests.staff_helpers import signed_in_client

HUGE = "9" * 24


@pytest.mark.parametrize(
    "path",
    [
        f"/staff/contacts/{HUGE}",
        "/staff/contacts/9223372036854775808",
        "/staff/contacts/2147483648",
        "/staff/contacts/0",
        "/staff/contacts/٣",  # Python's int() reads an Arabic-Indic three as 3
        "/staff/contacts/²",
    ],
)
def test_an_id_no_row_can_have_is_not_found(app: Flask, path: str) -> None:
    make_contact()
    client, _ = signed_in_client(app, "head_of_service")
    response = client.get(path)
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Page not found"


def test_a_forged_action_on_a_huge_id_is_not_found(app: Flask) -> None:
    client, _ = signed_in_client(app, "head_of_service")
    assert client.post(f"/staff/contacts/{HUGE}/note", data={}).status_code == 404
    admin, _ = signed_in_client(app, "admin")
    assert admin.post(f"/staff/accounts/{HUGE}/disable", data={}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "stage=²",
        "stage=9",
        "kind=%00",
        "kind=nothing",
        "urgent=%FF",
        "mine=%C0%AF",
        "after=4000000000000000000",
        "after=0.1",
        "before=-1.2.3",
        "after=².1.1",
        "after=%00",
        "last=2",
        "late=1&due_today=%FF",
        "q=%00",
    ],
)
def test_a_tracker_filter_no_page_offers_is_a_bad_request(app: Flask, query: str) -> None:
    client, _ = signed_in_client(app, "head_of_service")
    response = client.get(f"/staff/tracker?{query}")
    assert response.status_code == 400
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Sorry, we could not understand that"
    assert "Go back, and try again" in page.get_text()
    # Nothing was recorded as a view of the tracker with that filter.
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "viewed_tracker")
    ).all()


def test_the_tracker_still_takes_its_own_filters_and_pages(app: Flask) -> None:
    make_contact()
    client, _ = signed_in_client(app, "head_of_service")
    for query in (
        "",
        "stage=",
        "kind=&stage=&q=",
        "stage=1&kind=not_kept&urgent=1",
        "after=2.1795000000000000.9",
        "last=1",
    ):
        assert client.get(f"/staff/tracker?{query}").status_code == 200, query


@pytest.mark.parametrize(
    "query",
    [
        "before=4000000000000000000",
        "after=%00",
        f"before={HUGE}",
        "person=0",
        "reference=" + "x" * 41,
    ],
)
def test_the_audit_trail_bounds_its_cursor_and_filters(app: Flask, query: str) -> None:
    client, _ = signed_in_client(app, "admin")
    assert client.get(f"/staff/audit?{query}").status_code == 400
    assert client.get("/staff/audit?before=99999").status_code == 200  # past the end: none


@pytest.mark.parametrize("raw", ["\x00", "\xff", "\xc0\xaf", "\xed\xa0\x80"])
def test_a_reference_that_cannot_be_one_is_not_found(app: Flask, raw: str) -> None:
    """NUL cannot be sent to PostgreSQL at all; the bytes that are not UTF-8 arrive as U+FFFD.
    The child holds a message, so a lookup by reference would really reach the database."""
    client = app.test_client()
    send_message(client)
    for path in ("/messages/RAW", "/promises/story/RAW", "/tell-us/RAW"):
        response = client.get(path, environ_overrides={"PATH_INFO": path.replace("RAW", raw)})
        assert response.status_code == 404, path
    response = client.post(
        "/messages/x/not-safe", environ_overrides={"PATH_INFO": f"/messages/{raw}/not-safe"}
    )
    assert response.status_code == 404
