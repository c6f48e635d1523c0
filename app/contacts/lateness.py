"""Whether a contact is late, due soon, on time or met in time: decided here, once.

One rule in two forms that must agree: `of()` for a contact in hand and `sql()` for the
tracker's order and filters, the reminders and the report, which ask it of 200,000 rows.
Both compare the deadline with two moments fixed for the request (`Window`), so neither
needs working-hours arithmetic per row.

The promise is kept when "spoke to the child" (or "more information asked", having reached
the child) happened *before* the deadline; from the deadline on, an open contact is late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, case, literal

from app.contacts.status import Stage
from app.deadlines import Clock
from app.models import Contact

# Reminders go, and the tracker says "due soon", this much working time before the deadline.
SOON = dt.timedelta(hours=8)


class Lateness(StrEnum):
    MET = "met"  # the child was reached before the deadline
    MET_LATE = "met_late"  # reached, but not before the deadline
    LATE = "late"  # open, nobody has reached the child, and the deadline has passed
    DUE_SOON = "due_soon"  # open, unreached, and within SOON working time of the deadline
    ON_TIME = "on_time"  # open, unreached, with more time than that
    STOPPED = "stopped"  # finished without reaching the child (a reason was recorded)


OPEN_AND_WAITING = (Lateness.LATE, Lateness.DUE_SOON, Lateness.ON_TIME)


@dataclass(frozen=True)
class Window:
    """The moments a request judges every deadline against."""

    now: dt.datetime
    soon: dt.datetime  # deadlines before this are due within SOON working time

    @classmethod
    def at(cls, now: dt.datetime, clock: Clock) -> Window:
        return cls(now, clock.after(now, SOON))


def of(contact: Contact, window: Window) -> Lateness:
    """The lateness of one contact (the same answer as `sql()` gives for its row)."""
    if contact.first_contact_at is not None:
        return Lateness.MET if contact.first_contact_at < contact.due_at else Lateness.MET_LATE
    if contact.stage == Stage.FINISHED:
        return Lateness.STOPPED
    if contact.due_at <= window.now:
        return Lateness.LATE
    if contact.due_at <= window.soon:
        return Lateness.DUE_SOON
    return Lateness.ON_TIME


def sql(window: Window) -> ColumnElement[str]:
    """`of()` as a SQL expression over the contact table."""
    return case(
        (
            Contact.first_contact_at.is_not(None),
            case(
                (Contact.first_contact_at < Contact.due_at, literal(Lateness.MET.value)),
                else_=literal(Lateness.MET_LATE.value),
            ),
        ),
        (Contact.stage == Stage.FINISHED.value, literal(Lateness.STOPPED.value)),
        (Contact.due_at <= window.now, literal(Lateness.LATE.value)),
        (Contact.due_at <= window.soon, literal(Lateness.DUE_SOON.value)),
        else_=literal(Lateness.ON_TIME.value),
    )


def is_late(window: Window) -> ColumnElement[bool]:
    """The tracker's "late" filter and order: open, unreached, past the deadline."""
    return sql(window) == Lateness.LATE.value
