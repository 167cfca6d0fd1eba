"""Hours arithmetic (pure): whole minutes, hundredths half up, Decimal throughout, across midnight, refusals."""

import datetime as dt
from decimal import Decimal

import pytest

from civicloop.volunteers.hours import BadShift, shift_hours, total
from civicloop.workdays.calendar import SHANGHAI


def at(day, hour, minute=0, second=0):
    return dt.datetime(2026, 3, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("start", "end", "hours"), [
    (at(1, 9), at(1, 12), Decimal("3.00")),
    (at(1, 9), at(1, 10, 20), Decimal("1.33")),  # 80 min = 1.333… → 1.33
    (at(1, 9), at(1, 11, 10), Decimal("2.17")),  # 130 min = 2.1666… → 2.17
    (at(1, 9), at(1, 9, 1), Decimal("0.02")),  # 1 min = 0.01666… → 0.02
    (at(1, 9), at(1, 9, 30, 59), Decimal("0.50")),  # seconds dropped: 30 whole minutes
    (at(1, 22), at(2, 2), Decimal("4.00")),  # overnight patrol
    (at(1, 23, 45), at(2, 0, 15), Decimal("0.50")),
])
def test_shift_hours(start, end, hours):
    result = shift_hours(start, end)
    assert result == hours and isinstance(result, Decimal) and result.as_tuple().exponent == -2


def test_a_utc_check_out_counts_the_same_as_shanghai():
    assert shift_hours(at(1, 9), dt.datetime(2026, 3, 1, 3, 30, tzinfo=dt.UTC)) == Decimal("2.50")


@pytest.mark.parametrize(("start", "end"), [
    (at(1, 12), at(1, 9)),  # check-out before check-in
    (at(1, 9), at(1, 9)),  # no time at all
    (at(1, 9), at(1, 9, 0, 59)),  # not a whole minute
    (at(1, 6), at(1, 22, 1)),  # longer than 16 hours
])
def test_bad_shifts_are_refused(start, end):
    with pytest.raises(BadShift):
        shift_hours(start, end)


def test_naive_times_are_refused():
    with pytest.raises(BadShift):
        shift_hours(dt.datetime(2026, 3, 1, 9), dt.datetime(2026, 3, 1, 10))


def test_totals_add_exactly_where_floats_would_not():
    # 0.1 + 0.2 in floats is 0.30000000000000004; ten thousand shifts of 0.01 h are 100.00 exactly
    assert total([Decimal("0.10"), Decimal("0.20")]) == Decimal("0.30")
    assert total([Decimal("0.01")] * 10_000) == Decimal("100.00")
    assert total([None, Decimal("1.50"), Decimal("-0.50")]) == Decimal("1.00")
