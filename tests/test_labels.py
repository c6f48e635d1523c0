"""Every coded value the app keeps has words, and no page shows the raw code."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from app import contacts, labels
from app.contacts import Lateness, Stage
from app.preferences import AgeBand
from app.roles import Role
from tests.helpers import make_contact, record, soup
from tests.staff_helpers import make_staff, signed_in_client

NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def test_every_code_has_words() -> None:
    assert set(labels.KINDS) == set(contacts.KINDS)
    assert all(set(words) == set(contacts.KINDS) for words in labels.CHILD_KINDS.values())
    assert set(labels.CHILD_KINDS) == {band.value for band in AgeBand}
    assert set(labels.HELPERS) == set(labels.CHILD_HELPERS) == set(contacts.HELPERS)
    assert set(labels.CHANNELS) == set(contacts.CHANNELS)
    assert set(labels.AGE_BANDS) == {band.value for band in AgeBand}
    assert set(labels.STAGES) == set(Stage)
    assert set(labels.ROLES) == set(Role)
    assert set(labels.EVENTS) == set(contacts.EVENT_KINDS)
    assert set(labels.LATENESS) == set(Lateness)
    assert set(labels.CLOSE_REASONS) == set(contacts.CLOSE_REASONS)
    assert set(labels.FEEDBACK) == set(contacts.FEEDBACK_ANSWERS)


RAW = [
    "10_plus",
    "5_to_9",
    "under_5",
    "in_person",
    "contact_failed",
    "spoke_to_child",
    "not_kept",
    "kept_well",
    "social_worker",
    "senior_manager",
    "head_of_service",
    "more_info_asked",
    "leave_message",
    "best_time",
    "child_asked_to_stop",
]


def test_no_staff_page_shows_a_raw_code(app: Flask) -> None:
    contact = make_contact(
        "not_kept",
        age_band="10_plus",
        helper="social_worker",
        reach={
            "name": "Jo",
            "how": "phone",
            "phone": "0113 000",
            "leave_message": "no",
            "best_time": "after school",
            "helps": ["bsl", "more_time"],
        },
    )
    manager = make_staff("senior_manager", "Sam Patel")
    record(
        contact,
        "more_info_asked",
        now=NOW,
        role="customer_relations",
        details={"reached": False},
        text="When is good?",
    )
    record(
        contact, "contact_failed", now=NOW, role="customer_relations", details={"how": "in_person"}
    )
    record(contact, "allocated", now=NOW, role="head_of_service", details={"staff_id": manager.id})
    record(contact, "close_proposed", now=NOW, role="senior_manager", text="Sorted?")
    record(
        contact,
        "closed",
        now=NOW,
        role="customer_relations",
        text="Closed.",
        details={"reason": "child_asked_to_stop"},
    )
    from app.extensions import db

    db.session.commit()
    client, _ = signed_in_client(app, "head_of_service")
    for url in (f"/staff/contacts/{contact.id}", "/staff/tracker", "/staff/reports"):
        text = soup(client.get(url)).select_one("main").get_text(" ")
        shown = [code for code in RAW if code in text]
        assert not shown, (url, shown)


def test_the_childs_status_names_the_role_in_words(app: Flask) -> None:
    from tests.test_my_messages import sent, status_text

    child = app.test_client()
    contact = sent(child)
    manager = make_staff("head_of_service", "Ali Khan")
    record(contact, "allocated", now=NOW, role="head_of_service", details={"staff_id": manager.id})
    from app.extensions import db

    db.session.commit()
    assert "Ali Khan, a Head of Service, will talk to you by" in status_text(child, contact)
