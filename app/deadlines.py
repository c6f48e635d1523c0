"""The 48-hour clock: when the council must have spoken to the child.

Only time on the council's working days counts (Monday to Friday unless council.toml says
otherwise), and never on a bank holiday. The clock runs in the council's own time zone
(Europe/London). A counted day is counted as the day on the wall clock, midnight to midnight:
in England the clocks change on Sundays, which count only where a council works on Sundays.

Callable without an app: the council's rule is passed in, with the promise's defaults.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Container, Iterable
from dataclasses import dataclass, field, replace
from functools import cache

import holidays

DAY = dt.timedelta(days=1)


@cache
def _bank_holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    # The package computes each year's dates on first use, so one object serves every year.
    return holidays.country_holidays(country, subdiv=subdivision)


@cache
def _bank_holidays_of(country: str, subdivision: str | None, year: int) -> tuple[dt.date, ...]:
    """One year's bank holidays as dates (slicing the package's calendar tests every day)."""
    return tuple(sorted(holidays.country_holidays(country, subdiv=subdivision, years=year)))


@dataclass(frozen=True)
class Clock:
    """The council's working calendar."""

    hours: int = 48
    timezone: str = "Europe/London"
    holidays_country: str = "GB"
    holidays_subdivision: str | None = "ENG"
    office_opens: dt.time = dt.time(9, 0)
    office_closes: dt.time = dt.time(17, 0)
    working_days: Container[int] = frozenset(range(5))  # Monday is 0
    extra_closed_days: Container[dt.date] = field(default_factory=frozenset)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def is_working_day(self, day: dt.date) -> bool:
        return (
            day.weekday() in self.working_days
            and day not in _bank_holidays(self.holidays_country, self.holidays_subdivision)
            and day not in self.extra_closed_days
        )

    def local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("the clock needs an aware datetime (one that knows its time zone)")
        return moment.astimezone(self.zone)

    def response_due(self, submitted_at: dt.datetime) -> dt.datetime:
        """When `hours` of working time have passed since `submitted_at`."""
        return self.after(submitted_at, dt.timedelta(hours=self.hours))

    def after(self, start_at: dt.datetime, working_time: dt.timedelta) -> dt.datetime:
        """The first moment at which `working_time` has been counted since `start_at`."""
        start = self.local(start_at).replace(tzinfo=None)
        remaining = working_time
        day = start.date()
        moment = start
        while True:
            if self.is_working_day(day):
                end_of_day = dt.datetime.combine(day + DAY, dt.time())
                available = end_of_day - moment
                if remaining <= available:
                    return (moment + remaining).replace(tzinfo=self.zone)
                remaining -= available
            day += DAY
            moment = dt.datetime.combine(day, dt.time())

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Counted time from `start` to `end`; negative when `end` comes first.

        The whole days between are counted by weeks and the bank holidays in the range, not
        day by day: the tracker asks this of deadlines that may be two years old."""
        if end < start:
            return -self.working_time_between(end, start)
        first, last = self.local(start).replace(tzinfo=None), self.local(end).replace(tzinfo=None)
        if first.date() == last.date():
            return last - first if self.is_working_day(first.date()) else dt.timedelta()
        total = dt.timedelta()
        if self.is_working_day(first.date()):
            total += dt.datetime.combine(first.date() + DAY, dt.time()) - first
        if self.is_working_day(last.date()):
            total += last - dt.datetime.combine(last.date(), dt.time())
        return total + DAY * self.working_days_in(first.date() + DAY, last.date())

    def working_days_in(self, first: dt.date, end: dt.date) -> int:
        """How many working days there are from `first` up to, not including, `end`."""
        if end <= first:
            return 0
        weeks, rest = divmod((end - first).days, 7)
        count = weeks * sum(1 for weekday in range(7) if weekday in self.working_days)
        count += sum(
            1 for n in range(rest) if (first + (weeks * 7 + n) * DAY).weekday() in self.working_days
        )
        closed = {
            day
            for year in range(first.year, end.year + 1)
            for day in _bank_holidays_of(self.holidays_country, self.holidays_subdivision, year)
            if first <= day < end
        }
        if isinstance(self.extra_closed_days, Iterable):
            closed |= {day for day in self.extra_closed_days if first <= day < end}
        return count - sum(1 for day in closed if day.weekday() in self.working_days)

    def before(self, end_at: dt.datetime, working_time: dt.timedelta) -> dt.datetime:
        """The last moment from which `working_time` has been counted by `end_at` (the
        inverse of `after`): "no update for 5 working days" looks back from now."""
        end = self.local(end_at).replace(tzinfo=None)
        remaining = working_time
        day = end.date()
        moment = end
        while True:
            if self.is_working_day(day):
                available = moment - dt.datetime.combine(day, dt.time())
                if remaining <= available:
                    return (moment - remaining).replace(tzinfo=self.zone)
                remaining -= available
            day -= DAY
            moment = dt.datetime.combine(day + DAY, dt.time())

    def in_office_hours(self, moment: dt.datetime) -> bool:
        local = self.local(moment)
        return self.is_working_day(local.date()) and (
            self.office_opens <= local.time() < self.office_closes
        )

    def next_office_opening(self, moment: dt.datetime) -> dt.datetime:
        """When someone is next in the office to read a message sent at `moment`."""
        local = self.local(moment)
        day = local.date()
        if local.time() >= self.office_opens:
            day += DAY
        while not self.is_working_day(day):
            day += DAY
        return dt.datetime.combine(day, self.office_opens, tzinfo=self.zone)


def response_due(
    submitted_at: dt.datetime, hours: int | None = None, clock: Clock | None = None
) -> dt.datetime:
    """When the council must have spoken to the child: `hours` (48 unless the council says
    otherwise) counted on working days, bank holidays excluded, in the council's time zone.
    Takes and returns aware datetimes."""
    rule = clock or Clock()
    if hours is not None:
        rule = replace(rule, hours=hours)
    return rule.response_due(submitted_at)
