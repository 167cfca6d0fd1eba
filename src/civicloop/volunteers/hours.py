"""Hours arithmetic (pure): a shift's hours from its check-in and check-out, exact in Decimal.

A shift counts whole minutes (seconds dropped), then hours to the hundredth, half up: 1 h 20 min → 1.33, 2 h 10
min → 2.17. Datetimes are aware, so a shift across midnight (a night patrol 22:00–02:00) is simply 4.00, and a
daylight-saving change (none in Shanghai) would be counted as lived."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .constants import HOURS_PLACES, MAX_SHIFT_HOURS


class BadShift(ValueError):
    """The check-out is not after the check-in, or the shift is longer than MAX_SHIFT_HOURS."""


def shift_hours(check_in: dt.datetime, check_out: dt.datetime) -> Decimal:
    if check_in.tzinfo is None or check_out.tzinfo is None:
        raise BadShift("naive datetime")
    minutes = (check_out - check_in) // dt.timedelta(minutes=1)
    if minutes <= 0:
        raise BadShift("check-out not after check-in")
    if minutes > MAX_SHIFT_HOURS * 60:
        raise BadShift("shift too long")
    return (Decimal(minutes) / Decimal(60)).quantize(HOURS_PLACES, rounding=ROUND_HALF_UP)


def total(values) -> Decimal:
    """The sum of ledger values (Decimal, or None for no rows) to the hundredth."""
    return sum((Decimal(v) for v in values if v is not None), Decimal("0")).quantize(HOURS_PLACES)
