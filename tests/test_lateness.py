"""Lateness is decided once: `lateness.of` and its SQL form agree on every contact, and the
tracker, the reminders and the report all ask it."""

from __future__ import annotations

import datetime as dt
import random

from flask import Flask
from sqlalchemy import select

from app import notify
from app.contacts import Lateness, Stage, lateness
from app.extensions import db
from app.models import Contact, OutboxMessage
from tests.helpers import COUNCIL, make_contact, record, soup
from tests.staff_helpers import make_staff

CLOCK = COUNCIL.response.clock
MONDAY_10 = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)  # due Wednesday 10:00


def test_each_state_at_its_edges() -> None:
    contact = Contact(due_at=MONDAY_10 + dt.timedelta(days=2), stage=1, first_contact_at=None)
    due = contact.due_at

    def at(moment: dt.datetime) -> Lateness:
        return lateness.of(contact, lateness.Window.at(moment, CLOCK))

    assert at(MONDAY_10) is Lateness.ON_TIME
    assert at(due - dt.timedelta(hours=8, seconds=1)) is Lateness.ON_TIME
    assert at(due - dt.timedelta(hours=8)) is Lateness.DUE_SOON
    assert at(due - dt.timedelta(seconds=1)) is Lateness.DUE_SOON
    assert at(due) is Lateness.LATE  # due when 48 hours have passed: from then on, late
    contact.first_contact_at = due - dt.timedelta(seconds=1)
    assert at(due + dt.timedelta(days=9)) is Lateness.MET
    contact.first_contact_at = due  # at the deadline is not before it
    assert at(due + dt.timedelta(days=9)) is Lateness.MET_LATE
    contact.first_contact_at, contact.stage = None, Stage.FINISHED
    assert at(due + dt.timedelta(days=9)) is Lateness.STOPPED


def test_due_soon_counts_working_hours_across_a_weekend() -> None:
    # Due Monday 12:00: on Friday at 16:00 that is 20 working hours away, not 8.
    friday_4pm = dt.datetime(2026, 11, 27, 16, tzinfo=dt.UTC)
    contact = Contact(due_at=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC), stage=1)
    assert lateness.of(contact, lateness.Window.at(friday_4pm, CLOCK)) is Lateness.ON_TIME
    sunday = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)  # only Monday's 12 hours are left
    assert lateness.of(contact, lateness.Window.at(sunday, CLOCK)) is Lateness.ON_TIME
    monday_4am = dt.datetime(2026, 11, 30, 4, tzinfo=dt.UTC)
    assert lateness.of(contact, lateness.Window.at(monday_4am, CLOCK)) is Lateness.DUE_SOON


def test_the_sql_form_agrees_with_the_python_one(app: Flask) -> None:
    """Random contacts at random moments: the database and Python give the same answer."""
    rng = random.Random(7)
    made = []
    for _ in range(60):
        received = MONDAY_10 + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 10))
        contact = make_contact(received=received)
        roll = rng.random()
        if roll < 0.3:
            spoke = received + dt.timedelta(minutes=rng.randrange(1, 60 * 24 * 6))
            record(contact, "spoke_to_child", now=spoke, role="customer_relations")
        elif roll < 0.5:
            manager = make_staff("senior_manager")
            allocated = received + dt.timedelta(minutes=rng.randrange(1, 60 * 24 * 6))
            record(
                contact,
                "allocated",
                now=allocated,
                role="head_of_service",
                details={"staff_id": manager.id},
            )
        elif roll < 0.6:
            record(
                contact,
                "closed",
                now=received,
                role="customer_relations",
                text="x",
                details={"reason": "child_asked_to_stop"},
            )
        made.append(contact.id)
    db.session.commit()
    for _ in range(25):
        moment = MONDAY_10 + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
        window = lateness.Window.at(moment, CLOCK)
        in_sql = {
            key: state
            for key, state in db.session.execute(select(Contact.id, lateness.sql(window)))
        }
        window = lateness.Window.at(moment, CLOCK, quiet_days=2)
        filters = {
            "late": lateness.is_late(window),
            "due_today": lateness.is_due_today(window),
            "quiet": lateness.quiet(window),
        }
        found = {
            name: set(db.session.scalars(select(Contact.id).where(where)))
            for name, where in filters.items()
        }
        for contact in db.session.scalars(select(Contact)):
            assert Lateness(in_sql[contact.id]) is lateness.of(contact, window), (
                moment,
                contact.id,
            )
            # The tracker's filters are the same rule in the form its indexes serve.
            late = lateness.of(contact, window) is Lateness.LATE
            assert (contact.id in found["late"]) == late, (moment, contact.id)
            assert (contact.id in found["due_today"]) == lateness.due_today(contact, window)
            assert (contact.id in found["quiet"]) == lateness.is_quiet(contact, window)
            # The stored order is the one its events give.
            assert contact.tracker_rank == lateness.rank(contact)
    assert len(made) == 60


def test_a_first_round_after_the_deadline_sends_due_now_alone(app: Flask) -> None:
    head = make_staff("head_of_service")
    manager = make_staff("senior_manager")
    contact = make_contact(received=MONDAY_10)
    record(
        contact,
        "allocated",
        now=MONDAY_10,
        role="head_of_service",
        details={"staff_id": manager.id},
    )
    db.session.commit()
    app.config["FIXED_NOW"] = MONDAY_10 + dt.timedelta(days=2, hours=1)  # an hour late
    notify.run_once(app)
    app.config["FIXED_NOW"] += dt.timedelta(hours=1)
    notify.run_once(app)
    keys = db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("reminder%"))
    ).all()
    assert sorted(keys) == sorted(
        [f"reminder-due:{contact.id}:{head.id}", f"reminder-due:{contact.id}:{manager.id}"]
    )


def test_the_report_counts_on_time_as_before_the_deadline(app: Flask) -> None:
    from tests.staff_helpers import signed_in_client

    due = MONDAY_10 + dt.timedelta(days=2)
    before, at_deadline = make_contact(received=MONDAY_10), make_contact(received=MONDAY_10)
    record(before, "spoke_to_child", now=due - dt.timedelta(minutes=1), role="customer_relations")
    record(at_deadline, "spoke_to_child", now=due, role="customer_relations")
    for _ in range(5):  # enough on time to show a number, not "fewer than 5"
        early = make_contact(received=MONDAY_10)
        record(
            early,
            "spoke_to_child",
            now=MONDAY_10 + dt.timedelta(hours=1),
            role="customer_relations",
        )
    db.session.commit()
    client, _ = signed_in_client(app, "head_of_service")
    page = soup(client.get("/staff/reports"))
    # 5 early and 1 a minute before; the one at the deadline is not.
    assert page.select_one("#figure-in_time dd").get_text(strip=True) == "6 of 7 (86%)"
