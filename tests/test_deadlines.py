"""The 48-hour clock as DESIGN.md states it, through Christmas, Easter and clock changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from app.deadlines import Clock, response_due

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # DESIGN.md's three examples.
        (london(2026, 11, 23, 10), london(2026, 11, 25, 10)),  # Monday 10:00 -> Wednesday 10:00
        (london(2026, 11, 26, 10), london(2026, 11, 30, 10)),  # Thursday 10:00 -> Monday 10:00
        (london(2026, 11, 28, 14), london(2026, 12, 2, 0)),  # Saturday 14:00 -> end of Tuesday
        # Christmas 2026: Friday 25th, and Boxing Day observed on Monday 28th.
        (london(2026, 12, 24, 10), london(2026, 12, 30, 10)),
        (london(2026, 12, 23, 15), london(2026, 12, 29, 15)),
        (london(2026, 12, 25, 9), london(2026, 12, 31, 0)),
        # Christmas 2027: both days at the weekend, so Monday 27th and Tuesday 28th are off.
        (london(2027, 12, 24, 12), london(2027, 12, 30, 12)),
        # Easter 2026 (Good Friday 3 April, Easter Monday 6 April).
        (london(2026, 4, 1, 12), london(2026, 4, 7, 12)),
        (london(2026, 4, 2, 16, 30), london(2026, 4, 8, 16, 30)),
        # Easter 2027 (Good Friday 26 March, Easter Monday 29 March).
        (london(2027, 3, 25, 10), london(2027, 3, 31, 10)),
        # The clocks go forward on Sunday 29 March 2026: still 10:00 on the wall.
        (london(2026, 3, 27, 10), london(2026, 3, 31, 10)),
        # A minute before midnight on a Friday.
        (london(2026, 11, 27, 23, 59), london(2026, 12, 1, 23, 59)),
    ],
)
def test_response_due(sent: dt.datetime, due: dt.datetime) -> None:
    assert response_due(sent) == due


def test_takes_any_time_zone_and_answers_in_the_councils() -> None:
    due = response_due(dt.datetime(2026, 7, 6, 9, 0, tzinfo=UTC))  # Monday 10:00 BST
    assert due == london(2026, 7, 8, 10)
    assert due.tzinfo == LONDON
    assert due.utcoffset() == dt.timedelta(hours=1)


def test_the_hours_come_from_the_council() -> None:
    assert response_due(london(2026, 11, 23, 10), hours=24) == london(2026, 11, 24, 10)
    assert response_due(london(2026, 11, 23, 10), clock=Clock(hours=72)) == london(2026, 11, 26, 10)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        response_due(dt.datetime(2026, 11, 23, 10))


def test_working_time_between_counts_only_working_days() -> None:
    clock = Clock()
    friday_noon, monday_noon = london(2026, 11, 27, 12), london(2026, 11, 30, 12)
    assert clock.working_time_between(friday_noon, monday_noon) == dt.timedelta(hours=24)
    assert clock.working_time_between(monday_noon, friday_noon) == -dt.timedelta(hours=24)
    sent = london(2026, 12, 24, 10)
    assert clock.working_time_between(sent, clock.response_due(sent)) == dt.timedelta(hours=48)


@pytest.mark.parametrize(
    ("moment", "open_now", "opens"),
    [
        (london(2026, 11, 23, 10), True, london(2026, 11, 24, 9)),  # Monday morning
        (london(2026, 11, 23, 18), False, london(2026, 11, 24, 9)),  # Monday evening
        (london(2026, 11, 23, 7), False, london(2026, 11, 23, 9)),  # Monday, before opening
        (london(2026, 11, 27, 17), False, london(2026, 11, 30, 9)),  # Friday at closing time
        (london(2026, 11, 28, 11), False, london(2026, 11, 30, 9)),  # Saturday
        (london(2026, 12, 24, 20), False, london(2026, 12, 29, 9)),  # Christmas Eve, evening
    ],
)
def test_office_hours(moment: dt.datetime, open_now: bool, opens: dt.datetime) -> None:
    clock = Clock()
    assert clock.in_office_hours(moment) is open_now
    assert clock.next_office_opening(moment) == opens


def _counted_day_by_day(clock: Clock, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """An independent count, one day at a time, to check the week-by-week one against."""
    if end < start:
        return -_counted_day_by_day(clock, end, start)
    first, last = clock.local(start).replace(tzinfo=None), clock.local(end).replace(tzinfo=None)
    total = dt.timedelta()
    day = first.date()
    while day <= last.date():
        if clock.is_working_day(day):
            day_start = max(first, dt.datetime.combine(day, dt.time()))
            day_end = min(last, dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
            total += max(day_end - day_start, dt.timedelta())
        day += dt.timedelta(days=1)
    return total


def test_working_time_between_agrees_with_a_day_by_day_count_over_years() -> None:
    import random

    rng = random.Random(10)
    clocks = [Clock(), Clock(working_days=frozenset({0, 1, 2, 3, 4, 5}))]
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for _ in range(400):
        clock = rng.choice(clocks)
        start = base + dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        end = start + dt.timedelta(minutes=rng.randrange(-800 * 24 * 60, 800 * 24 * 60))
        assert clock.working_time_between(start, end) == _counted_day_by_day(clock, start, end)


def test_before_is_the_inverse_of_after() -> None:
    clock = Clock()
    monday_noon = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    # Five working days back from Monday noon is the Monday before, at noon.
    assert clock.before(monday_noon, dt.timedelta(days=5)) == dt.datetime(
        2026, 11, 16, 12, tzinfo=clock.zone
    )
    for hours in (1, 13, 48, 120, 400):
        back = clock.before(monday_noon, dt.timedelta(hours=hours))
        assert clock.working_time_between(back, monday_noon) == dt.timedelta(hours=hours)
