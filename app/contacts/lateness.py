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

from sqlalchemy import ColumnElement, and_, case, func, literal

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
    # Today in the council's zone, midnight to midnight: "due today".
    today_starts: dt.datetime | None = None
    today_ends: dt.datetime | None = None
    # An allocated contact with no update since this moment has gone quiet (`quiet()`).
    quiet_since: dt.datetime | None = None

    @classmethod
    def at(cls, now: dt.datetime, clock: Clock, quiet_days: int = 0) -> Window:
        local = clock.local(now)
        midnight = dt.datetime.combine(local.date(), dt.time(), tzinfo=clock.zone)
        tomorrow = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time())
        return cls(
            now,
            clock.after(now, SOON),
            today_starts=midnight,
            today_ends=tomorrow.replace(tzinfo=clock.zone),
            quiet_since=clock.before(now, dt.timedelta(days=quiet_days)) if quiet_days else None,
        )


# Ranks (below) of the contacts still open, and of those open and waiting for a first contact:
# the filters say "open" and "waiting" in these terms, so the tracker's index serves them.
OPEN_RANKS = (0, 1, 2, 3)
WAITING_RANKS = (0, 2)


def rank(contact: Contact) -> int:
    """The tracker's order before the deadline, kept in `Contact.tracker_rank`: open before
    finished, urgent first, then those still waiting for a first contact (ordered by their
    deadline, that is late, then due soon, then on time), then the open ones reached."""
    urgent = 0 if contact.urgent else 2
    if contact.stage == Stage.FINISHED:
        return 4 + urgent
    return urgent + (0 if contact.first_contact_at is None else 1)


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


def is_open() -> ColumnElement[bool]:
    """Not finished, as the stored rank says it (`rank`): a range of the tracker's index."""
    return Contact.tracker_rank < len(OPEN_RANKS)


def _waiting() -> ColumnElement[bool]:
    """Open and nobody has reached the child yet (first_contact_at is None)."""
    return Contact.tracker_rank.in_(WAITING_RANKS)


def is_late(window: Window) -> ColumnElement[bool]:
    """The tracker's "late" filter: `sql(window) == "late"` in a form the deadline's index
    serves (open, unreached, past the deadline)."""
    return and_(_waiting(), Contact.due_at <= window.now)


def is_due_today(window: Window) -> ColumnElement[bool]:
    """Waiting for a first contact, with the deadline today in the council's zone (passed or
    not)."""
    assert window.today_starts is not None and window.today_ends is not None
    return and_(
        _waiting(), Contact.due_at >= window.today_starts, Contact.due_at < window.today_ends
    )


def due_today(contact: Contact, window: Window) -> bool:
    """`is_due_today` for a contact in hand."""
    assert window.today_starts is not None and window.today_ends is not None
    return (
        contact.first_contact_at is None
        and contact.stage != Stage.FINISHED
        and window.today_starts <= contact.due_at < window.today_ends
    )


def quiet(window: Window) -> ColumnElement[bool]:
    """Allocated, open, and nothing the child would see (nor a try to reach them) since the
    window's `quiet_since`: the head of service's "no update for N working days"."""
    assert window.quiet_since is not None
    return and_(
        is_open(),
        Contact.allocated_to_id.is_not(None),
        func.coalesce(Contact.last_update_at, Contact.received_at) < window.quiet_since,
    )


def is_quiet(contact: Contact, window: Window) -> bool:
    """`quiet` for a contact in hand."""
    assert window.quiet_since is not None
    last = contact.last_update_at or contact.received_at
    return (
        contact.allocated_to_id is not None
        and contact.stage != Stage.FINISHED
        and last < window.quiet_since
    )
