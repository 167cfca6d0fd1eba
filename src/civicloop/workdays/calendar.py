"""Working-day arithmetic on the official Chinese calendar.

Which day is a working day, in order of authority:
1. an administrator-entered `CalendarDay` for that date (holiday or swapped workday);
2. `chinesecalendar` for the years it knows (holidays and 调休 swaps as published by the State Council);
3. otherwise (years it does not know yet — it raises NotImplementedError): Monday–Friday.

Nothing here ever raises for a valid date. Overrides are read once per year per call (one query per year
touched), never once per day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


class WorkCalendar:
    """One batch of calendar questions; caches the administrator overrides per year it has seen."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, bool]] = {}

    def _year(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            from .models import CalendarDay

            self._overrides[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
            )
        return self._overrides[year]

    def is_workday(self, day: dt.date) -> bool:
        override = self._year(day.year).get(day)
        if override is not None:
            return override
        try:
            return bool(chinese_calendar.is_workday(day))
        except (NotImplementedError, ValueError, KeyError):
            return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (start itself not counted); n=0 → start; n<0 counts backwards."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days d with a < d <= b (negative when b < a): the inverse of add_working_days."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


def _local_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(SHANGHAI).date()


def is_workday(day: dt.date) -> bool:
    return WorkCalendar().is_workday(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return WorkCalendar().add_working_days(start, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    return WorkCalendar().working_days_between(a, b)


def deadline_for(start: dt.datetime, working_days: int, *, calendar: WorkCalendar | None = None) -> dt.datetime:
    """The end (23:59:59 Asia/Shanghai) of the `working_days`-th working day after `start`'s local date.

    12345 practice: the day a case is dispatched does not count, whatever the hour; the time limit runs to the
    end of the last working day. See docs/decisions.md.
    """
    cal = calendar or WorkCalendar()
    last = cal.add_working_days(_local_date(start), working_days)
    return dt.datetime.combine(last, END_OF_DAY, tzinfo=SHANGHAI)
