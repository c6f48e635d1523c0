"""The six-monthly voice and influence report: every figure for a date range, counted in SQL.

The rules take a session and a period; they never read a request. Faces (the staff report, its
CSV and print view, the young people's version) say the figures in words and decide, with
`shareable`, what may leave the staff view: counts under 5 become "fewer than 5", and a part
that could be worked out from a total and the other parts is hidden too.

What is counted where:
- contacts by kind, channel, age band, who helped, praise by the praised person's role, whether
  the child was reached before the deadline (app/contacts/lateness.py, the one rule), open and
  late: the contacts *received* in the period;
- the closing feedback, themes and praise passed on: what *happened* in the period (the events);
- promise awareness: the reviews held in the period, by month.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Integer, and_, cast, extract, func, or_, select
from sqlalchemy.orm import Session

from app.contacts import lateness
from app.contacts.lateness import Lateness
from app.contacts.status import Stage
from app.deadlines import Clock
from app.models import Contact, ContactEvent, ContactPromise, ContactTheme, PromiseAwareness

QUESTIONS = ("listened", "heard", "happy")
ANSWERS = ("yes", "not_sure", "no")
# Counts under this are "fewer than 5" wherever the report can leave the staff view.
THRESHOLD = 5
DEFAULT_MONTHS = 6
# The dates a report may be asked for: before 2000 there were no contacts, and the period
# before the earliest (recurring themes) and the midnight after the latest must still be dates
# (0001-01-01 or 9999-12-31 in the address was a 500).
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
PERCENTILES = (50, 90)

K = TypeVar("K")
# A part hidden only because it would give a hidden count away (secondary suppression): it may
# well be 5 or more, so it is "not shown", never "fewer than 5".
HIDDEN = -1


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included, in the council's time zone."""

    first: dt.date
    last: dt.date

    @classmethod
    def default(cls, today: dt.date) -> Period:
        """The last six months, ending today."""
        return cls(_months_before(today, DEFAULT_MONTHS) + dt.timedelta(days=1), today)

    def bounds(self, clock: Clock) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware moments: its first midnight, and the midnight after it."""
        start = dt.datetime.combine(self.first, dt.time(), tzinfo=clock.zone)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=clock.zone)
        return start, end

    def previous(self) -> Period:
        """The period of the same length just before this one (for recurring themes)."""
        days = (self.last - self.first).days + 1
        return Period(self.first - dt.timedelta(days=days), self.first - dt.timedelta(days=1))


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class Report:
    period: Period
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_age_band: dict[str | None, int] = field(default_factory=dict)
    by_helper: dict[str, int] = field(default_factory=dict)
    by_promise: dict[str, int] = field(default_factory=dict)
    praise_by_role: dict[str | None, int] = field(default_factory=dict)
    # By the one lateness rule, for the contacts received in the period.
    lateness: dict[str, int] = field(default_factory=dict)
    still_open: int = 0
    urgent: int = 0
    # Working hours from the message to the first contact (nearest rank), None when nobody
    # was reached.
    hours_to_first_contact: dict[int, float | None] = field(default_factory=dict)
    feedback: dict[str, dict[str, int]] = field(default_factory=dict)
    feedback_answered: int = 0
    themes: dict[str, int] = field(default_factory=dict)
    # (promise key, theme) raised at closing in this period and the one before it.
    recurring: list[tuple[str, str]] = field(default_factory=list)
    praise_passed_on: int = 0
    # (first day of the month, yes, reviews) for each month with a review.
    awareness: list[tuple[dt.date, int, int]] = field(default_factory=list)

    @property
    def met(self) -> int:
        return self.lateness.get(Lateness.MET.value, 0)

    @property
    def late(self) -> int:
        """Open, not reached, and past the deadline now."""
        return self.lateness.get(Lateness.LATE.value, 0)

    @property
    def deadline_passed_or_met(self) -> int:
        """The contacts whose answer to "spoken to in time?" is known: all but those still
        waiting with time left."""
        waiting = (Lateness.ON_TIME.value, Lateness.DUE_SOON.value)
        return self.total - sum(self.lateness.get(code, 0) for code in waiting)

    @property
    def reached(self) -> int:
        return self.met + self.lateness.get(Lateness.MET_LATE.value, 0)

    @property
    def awareness_total(self) -> tuple[int, int]:
        return sum(yes for _, yes, _ in self.awareness), sum(n for _, _, n in self.awareness)


def build(session: Session, period: Period, clock: Clock, now: dt.datetime) -> Report:
    """Every figure of the report for the period, judged against `now`."""
    report = Report(period)
    start, end = period.bounds(clock)
    window = lateness.Window(now=now, soon=clock.after(now, lateness.SOON))
    received = and_(Contact.received_at >= start, Contact.received_at < end)
    _contacts(session, report, received, window)
    report.hours_to_first_contact = {
        p: _percentile(session, received, p, report.reached) for p in PERCENTILES
    }
    report.by_promise = {
        key: count
        for key, count in session.execute(
            select(ContactPromise.promise_key, func.count())
            .join(Contact, Contact.id == ContactPromise.contact_id)
            .where(received)
            .group_by(ContactPromise.promise_key)
        ).all()
    }
    _feedback(session, report, start, end)
    report.themes = _themes(session, start, end)
    report.recurring = _recurring(session, period, clock)
    report.praise_passed_on = _events(session, "praise_passed_on", start, end)
    report.awareness = awareness_by_month(session, period)
    return report


def _contacts(
    session: Session, report: Report, received: ColumnElement[bool], window: lateness.Window
) -> None:
    """One pass over the period's contacts: a GROUP BY of every combination, added up here."""
    columns = {
        "by_kind": Contact.kind,
        "by_channel": Contact.channel,
        "by_age_band": Contact.age_band,
        "by_helper": Contact.helper,
        "praise_by_role": Contact.praise_role,
        "lateness": lateness.sql(window),
    }
    finished = Contact.stage == Stage.FINISHED.value
    # Urgent once is urgent in the report, even when a senior role took the mark off later.
    lifted = (
        select(ContactEvent.id)
        .where(ContactEvent.contact_id == Contact.id, ContactEvent.kind == "urgent_lifted")
        .exists()
    )
    flags = (finished, Contact.kind == "praise", or_(Contact.urgent, lifted))
    rows = session.execute(
        select(*columns.values(), *flags, func.count())
        .where(received)
        .group_by(*columns.values(), *flags)
    ).all()
    for *values, is_finished, is_praise, is_urgent, count in rows:
        for name, value in zip(columns, values, strict=True):
            if name == "praise_by_role" and not is_praise:
                continue
            found: dict[Any, int] = getattr(report, name)
            found[value] = found.get(value, 0) + count
        report.total += count
        report.still_open += 0 if is_finished else count
        report.urgent += count if is_urgent else 0


def _percentile(
    session: Session, received: ColumnElement[bool], percent: int, count: int
) -> float | None:
    """The nearest-rank percentile of working hours to the first contact, read by SQL's
    ORDER BY ... OFFSET (the same on SQLite and PostgreSQL)."""
    if count == 0:
        return None
    rank = max(math.ceil(percent / 100 * count), 1)
    minutes = session.scalar(
        select(Contact.first_contact_minutes)
        .where(received, Contact.first_contact_minutes.is_not(None))
        .order_by(Contact.first_contact_minutes)
        .offset(rank - 1)
        .limit(1)
    )
    return None if minutes is None else round(minutes / 60, 1)


def _in(start: dt.datetime, end: dt.datetime, kind: str) -> ColumnElement[bool]:
    return and_(ContactEvent.kind == kind, ContactEvent.at >= start, ContactEvent.at < end)


def _events(session: Session, kind: str, start: dt.datetime, end: dt.datetime) -> int:
    return session.scalar(select(func.count()).where(_in(start, end, kind))) or 0


def _feedback(session: Session, report: Report, start: dt.datetime, end: dt.datetime) -> None:
    """ "How did we do?", answered in the app or to staff (one event, the same fields)."""
    answers = [ContactEvent.details[question].as_string() for question in QUESTIONS]
    rows = session.execute(
        select(*answers, func.count()).where(_in(start, end, "feedback_given")).group_by(*answers)
    ).all()
    report.feedback = {question: dict.fromkeys(ANSWERS, 0) for question in QUESTIONS}
    for *given, count in rows:
        report.feedback_answered += count
        for question, answer in zip(QUESTIONS, given, strict=True):
            found = report.feedback[question]
            found[str(answer)] = found.get(str(answer), 0) + count


def _themes(session: Session, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """The themes chosen at the closings in the period (one row each in contact_theme)."""
    rows = session.execute(
        select(ContactTheme.theme, func.count())
        .where(ContactTheme.closed_at >= start, ContactTheme.closed_at < end)
        .group_by(ContactTheme.theme)
    ).all()
    return {str(theme): count for theme, count in rows}


def _recurring(session: Session, period: Period, clock: Clock) -> list[tuple[str, str]]:
    """Themes raised for the same promise at closing in this period and the one before."""
    before, start = period.previous().bounds(clock)
    _, end = period.bounds(clock)
    now = cast(ContactTheme.closed_at >= start, Integer)
    rows = session.execute(
        select(ContactPromise.promise_key, ContactTheme.theme)
        .join(ContactPromise, ContactPromise.contact_id == ContactTheme.contact_id)
        .where(ContactTheme.closed_at >= before, ContactTheme.closed_at < end)
        .group_by(ContactPromise.promise_key, ContactTheme.theme)
        .having(func.min(now) == 0, func.max(now) == 1)
        .order_by(ContactPromise.promise_key, ContactTheme.theme)
    ).all()
    return [(str(key), str(theme)) for key, theme in rows]


def awareness_by_month(session: Session, period: Period) -> list[tuple[dt.date, int, int]]:
    """Promise awareness: per month of reviews, how many said yes, and how many reviews."""
    year = extract("year", PromiseAwareness.reviewed_on)
    month = extract("month", PromiseAwareness.reviewed_on)
    rows = session.execute(
        select(year, month, func.sum(cast(PromiseAwareness.shared, Integer)), func.count())
        .where(
            PromiseAwareness.reviewed_on >= period.first,
            PromiseAwareness.reviewed_on <= period.last,
        )
        .group_by(year, month)
        .order_by(year, month)
    ).all()
    return [(dt.date(int(y), int(m), 1), int(yes or 0), int(n)) for y, m, yes, n in rows]


# Safe to share --------------------------------------------------------------------------------


def shareable(parts: Mapping[K, int], total: int | None = None) -> dict[K, int | None]:
    """The parts as they may leave the staff view: None for "fewer than 5", HIDDEN for a part
    hidden so that a hidden one cannot be worked out.

    A count under 5 is hidden (primary suppression). When the parts add up to a total shown
    beside them, one hidden part could be worked out by subtraction, and so could several
    whose sum is under 5: the smallest shown parts are hidden too until neither is possible
    (secondary suppression)."""
    shown: dict[K, int | None] = {
        key: (count if count >= THRESHOLD else None) for key, count in parts.items()
    }
    if total is None or sum(parts.values()) != total or total < THRESHOLD:
        return shown
    while True:
        hidden = [key for key, value in shown.items() if value is None or value == HIDDEN]
        if not hidden:
            return shown
        if len(hidden) > 1 and sum(parts[key] for key in hidden) >= THRESHOLD:
            return shown
        visible = sorted((key for key in shown if key not in hidden), key=lambda k: parts[k])
        if not visible:
            return shown
        shown[visible[0]] = HIDDEN


def one(count: int) -> int | None:
    """A single count as it may leave the staff view."""
    return count if count >= THRESHOLD else None


def rate(part: int, whole: int, exact: bool) -> int | None:
    """A percentage, rounded; when shared, only if neither count is under 5 (a rate beside a
    shown total would give the hidden count away)."""
    if whole == 0:
        return None
    if not exact and (part < THRESHOLD or whole < THRESHOLD or whole - part < THRESHOLD):
        return None
    return round(100 * part / whole)


def shareable_months(
    months: list[tuple[dt.date, int, int]], yes_shown: bool, reviews_shown: bool
) -> list[tuple[dt.date, int | None, int | None]]:
    """Promise awareness by month as it may leave the staff view: (month, yes, reviews).

    Each month is a row (yes + no = reviews) and each column adds up to a total the report
    shows beside it (`yes_shown`, `reviews_shown`): no hidden count may be worked out from
    either. A month's yes shows only when its yes and its no are both 5 or more (the rate
    gives both away); a month whose reviews are hidden hides its yes too; then, against a
    shown total, one hidden month alone, or hidden months whose yes, no or reviews add up to
    under 5, hide the next smallest month as well."""
    yes: dict[dt.date, int | None] = {}
    reviews: dict[dt.date, int | None] = {}
    for month, said_yes, held in months:
        yes[month] = shareable({0: said_yes, 1: held - said_yes}, held)[0]
        reviews[month] = one(held)
    counts = {month: (said_yes, held - said_yes, held) for month, said_yes, held in months}

    def exposed(column: dict[dt.date, int | None], sums: tuple[int, ...]) -> list[dt.date]:
        """The months to hide next in a column: the smallest shown, if the hidden ones could be
        worked out or add up to under 5."""
        hidden = [m for m, value in column.items() if value is None or value == HIDDEN]
        if not hidden:
            return []
        small = any(sum(counts[m][n] for m in hidden) < THRESHOLD for n in sums)
        if len(hidden) > 1 and not small:
            return []
        shown = sorted((m for m in column if m not in hidden), key=lambda m: counts[m][2])
        return shown[:1]

    while True:
        changed = False
        for month, value in reviews.items():
            if value in (None, HIDDEN) and yes[month] not in (None, HIDDEN):
                yes[month] = HIDDEN
                changed = True
        if yes_shown:
            for month in exposed(yes, (0, 1)):
                yes[month] = HIDDEN
                changed = True
        if reviews_shown:
            for month in exposed(reviews, (2,)):
                reviews[month] = HIDDEN
                changed = True
        if not changed:
            return [(month, yes[month], reviews[month]) for month, _, _ in months]
