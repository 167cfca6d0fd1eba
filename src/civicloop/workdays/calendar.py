"""Working-day arithmetic on the official Chinese calendar.

Which day is a working day, in order of authority:
1. an administrator-entered `CalendarDay` for that date (holiday or swapped workday);
2. `chinesecalendar` for the years it knows (holidays and 调休 swaps as published by the State Council);
3. otherwise (years it does not know yet): the statutory holidays computed from the national rules
   (`holidays.statutory_holidays`) are off, and Monday–Friday are working days.

A year of the third kind is *provisional* until an administrator confirms it (`CalendarYear`): a deadline
counted over it is marked provisional (`WorkCalendar.provisional`).

Nothing here ever raises for a valid date. Overrides are read once per year per calendar (one query per year
touched), never once per day; the confirmations once per calendar, and only when a provisional year is asked.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants as _official

from .holidays import statutory_holidays

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)
DAY = dt.timedelta(days=1)

# the last year whose official arrangement `chinesecalendar` carries (it raises NotImplementedError after it)
LAST_OFFICIAL_YEAR = max(day.year for day in _official.holidays)


class WorkCalendar:
    """One batch of calendar questions; caches the administrator overrides per year it has seen."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[dt.date, bool]] = {}
        self._days: dict[dt.date, bool] = {}
        self._confirmed: set[int] | None = None
        self._yellow: dict[tuple, dt.datetime] = {}

    def _year(self, year: int) -> dict[dt.date, bool]:
        if year not in self._overrides:
            from .models import CalendarDay

            self._overrides[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
            )
        return self._overrides[year]

    def is_workday(self, day: dt.date) -> bool:
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self._decide(day)
        return known

    def _decide(self, day: dt.date) -> bool:
        override = self._year(day.year).get(day)
        if override is not None:
            return override
        if day.year <= LAST_OFFICIAL_YEAR:
            try:
                return bool(chinese_calendar.is_workday(day))
            except (NotImplementedError, ValueError, KeyError):  # before the years it knows
                return day.weekday() < 5
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def is_provisional_year(self, year: int) -> bool:
        """A year whose holidays are computed from the rules (no official arrangement) and not yet confirmed."""
        if year <= LAST_OFFICIAL_YEAR:
            return False
        if self._confirmed is None:
            from .models import CalendarYear

            self._confirmed = set(CalendarYear.objects.values_list("year", flat=True))
        return year not in self._confirmed

    def provisional(self, start: dt.datetime, deadline: dt.datetime) -> bool:
        """Whether the working days counted from `start` to `deadline` touch a provisional year."""
        if deadline.year < LAST_OFFICIAL_YEAR:  # whatever the time zone: the common case, without conversions
            return False
        first, last = _local_date(start), _local_date(deadline)
        return any(self.is_provisional_year(y) for y in range(first.year, last.year + 1))

    def working_share_point(self, start: dt.datetime, deadline: dt.datetime, share: float) -> dt.datetime:
        """The moment `share` of the working time from `start` to `deadline` is used.

        The working time is the whole working days after `start`'s local date up to the deadline's (the day of
        dispatch does not count, as for `deadline_for`). `share` of their number is k whole days and a part f:
        the moment is f of a day into the (k+1)-th working day, local time — always inside a working day. With
        no working day in between (a deadline on the day itself), the share of the calendar time."""
        first, last = _local_date(start), _local_date(deadline)
        key = (first, deadline, share)
        point = self._yellow.get(key)
        if point is None:
            n = self.working_days_between(first, last)
            if n <= 0:
                return start + (deadline - start) * share
            k, f = divmod(share * n, 1)
            day = self.add_working_days(first, int(k) + 1)
            point = dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI) + DAY * f
            point = self._yellow[key] = min(point, deadline)
        return point

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
