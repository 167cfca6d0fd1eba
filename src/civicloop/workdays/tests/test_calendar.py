import datetime as dt

import pytest

from civicloop.workdays.calendar import (
    SHANGHAI,
    WorkCalendar,
    add_working_days,
    deadline_for,
    is_workday,
    working_days_between,
)
from civicloop.workdays.models import CalendarDay

D = dt.date


@pytest.mark.django_db
class TestSpringFestival2026:
    # Official: 15–23 Feb 2026 off; Saturday 14 Feb and Saturday 28 Feb are swapped workdays.
    def test_holidays_and_swaps(self):
        assert all(not is_workday(D(2026, 2, d)) for d in range(15, 24))
        assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))
        assert is_workday(D(2026, 2, 13)) and is_workday(D(2026, 2, 24))

    def test_add_across_the_festival(self):
        # Fri 13 Feb + 1 → Sat 14 Feb (swapped workday); + 2 → Tue 24 Feb (after nine days off).
        assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
        assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
        # 24,25,26,27,28(Sat, swapped) → the 5th working day after 23 Feb is Sat 28 Feb.
        assert add_working_days(D(2026, 2, 23), 5) == D(2026, 2, 28)
        assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2

    def test_deadline_is_end_of_day_shanghai(self):
        start = dt.datetime(2026, 2, 12, 16, 30, tzinfo=SHANGHAI)
        deadline = deadline_for(start, 5)
        # 13, 14(swap), 24, 25, 26
        assert deadline == dt.datetime(2026, 2, 26, 23, 59, 59, tzinfo=SHANGHAI)

    def test_deadline_uses_local_date_of_utc_input(self):
        # 17:00 UTC on 12 Feb is 01:00 on 13 Feb in Shanghai: the local date is what counts.
        start = dt.datetime(2026, 2, 12, 17, 0, tzinfo=dt.UTC)
        assert deadline_for(start, 1).date() == D(2026, 2, 14)


@pytest.mark.django_db
class TestNationalDay2026:
    def test_holidays_and_swap(self):
        assert all(not is_workday(D(2026, 10, d)) for d in range(1, 8))
        assert is_workday(D(2026, 10, 8))
        assert is_workday(D(2026, 10, 10))  # Saturday, swapped workday
        assert not is_workday(D(2026, 10, 11))

    def test_fifteen_days_from_end_of_september(self):
        # after 30 Sep: 8, 9, 10(Sat swap), 12..16, 19..23, 26, 27 → 15th is Tue 27 Oct
        assert add_working_days(D(2026, 9, 30), 15) == D(2026, 10, 27)
        assert working_days_between(D(2026, 9, 30), D(2026, 10, 27)) == 15


@pytest.mark.django_db
class TestBeyondTheKnownCalendar:
    def test_2027_falls_back_to_weekends(self):
        assert is_workday(D(2027, 3, 1))  # Monday
        assert not is_workday(D(2027, 3, 6))  # Saturday
        assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 8)

    def test_admin_holiday_in_2027_is_honoured(self):
        CalendarDay.objects.create(date=D(2027, 10, 1), is_workday=False, name="国庆节")
        CalendarDay.objects.create(date=D(2027, 10, 9), is_workday=True, name="国庆节调休")
        assert not is_workday(D(2027, 10, 1))  # a Friday
        assert is_workday(D(2027, 10, 9))  # a Saturday
        # Thu 30 Sep + 1 → skips Fri 1 Oct (holiday), the weekend and the 补假 days the national rules give for
        # 2 and 3 Oct (Mon 4, Tue 5 Oct: issue 11, 2027 no longer falls back to bare weekends) → Wed 6 Oct
        assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 6)

    def test_override_beats_the_official_calendar(self):
        CalendarDay.objects.create(date=D(2026, 3, 2), is_workday=False, name="台风停工")
        assert not is_workday(D(2026, 3, 2))

    def test_never_crashes_far_out(self):
        assert isinstance(is_workday(D(1999, 1, 1)), bool)
        assert add_working_days(D(2035, 6, 1), 250) > D(2036, 1, 1)


@pytest.mark.django_db
def test_overrides_are_queried_once_per_year(django_assert_num_queries):
    cal = WorkCalendar()
    with django_assert_num_queries(2):
        cal.add_working_days(D(2026, 12, 1), 40)  # crosses into 2027: two years, two queries
        cal.add_working_days(D(2026, 12, 1), 40)


@pytest.mark.django_db
def test_inverse_and_negative():
    start = D(2026, 1, 1)
    for n in (0, 1, 5, 15, 37):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert add_working_days(D(2026, 2, 24), -2) == D(2026, 2, 13)
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 13)) == -2
