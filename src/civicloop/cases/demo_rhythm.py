"""The demo's rhythms: when cases come in, what they are about in each season, and where they run late — small
named tables a reader can change, so that the dashboard has a story to tell.

- Intake by day: `WEEKDAY_INTAKE` (Monday peak, weekend low), `MONTH_INTAKE` (a busy summer), a dip over the
  Spring Festival (`SPRING_FESTIVAL_DIP`, 除夕 to 初六, dates from `lunar_python`) and on the other statutory
  holidays (`HOLIDAY_DIP`), and the platform's growth over the two years (`GROWTH`).
- Intake by hour: `HOUR_INTAKE`.
- Categories by month: `CATEGORY_SEASON` multiplies a leaf's weight in a month (summer: leaks, noise, air
  conditioners, mosquitoes; typhoon season: flooded roads, fallen trees; winter: frozen pipes, gas).
- Lateness: `LATE_BASE` is the share of cases handled past their deadline; `LATE_STREETS` and `LATE_CATEGORIES`
  add to it (a street short of staff, categories that need several departments), and `LATE_OVERRUN` is how far
  past the deadline such a case is finished; `OFFICE_HOURS` and `ACCEPT_LATE` when units sign for their cases.
"""

from __future__ import annotations

import datetime as dt
import itertools
from functools import cache

from lunar_python import Lunar

from civicloop.workdays.holidays import statutory_holidays

WEEKDAY_INTAKE = (1.25, 1.10, 1.05, 1.00, 0.95, 0.70, 0.62)  # Monday … Sunday
MONTH_INTAKE = (0.95, 0.85, 0.95, 1.00, 1.00, 1.10, 1.25, 1.25, 1.10, 0.95, 0.95, 1.00)  # January … December
SPRING_FESTIVAL_DIP = 0.45  # 除夕 to 初六
HOLIDAY_DIP = 0.65  # the other statutory holidays
GROWTH = (0.4, 1.0)  # relative intake on the first and the last day of the two years (the platform grows)
HOUR_INTAKE = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 12, 9, 12, 14, 14, 13, 11, 9, 8, 7, 5, 3, 2)

_SUMMER = (0.7, 0.7, 0.8, 0.9, 1.1, 1.4, 1.7, 1.7, 1.3, 1.0, 0.8, 0.7)
_TYPHOON = (0.6, 0.6, 0.7, 0.8, 0.9, 1.3, 1.8, 2.0, 1.8, 1.1, 0.7, 0.6)
_WINTER = (1.6, 1.4, 1.1, 0.9, 0.8, 0.7, 0.7, 0.7, 0.8, 0.9, 1.1, 1.5)
# leaf code → intake multiplier per month (January … December); a leaf not listed: 1 all year
CATEGORY_SEASON = {
    "0202": (1.1, 1.0, 0.8, 0.8, 0.9, 1.7, 1.8, 1.6, 1.4, 0.8, 0.7, 1.0),  # leaks: 梅雨, typhoons; frozen pipes
    "0301": _TYPHOON,  # flooded roads, loose manhole covers
    "0106": _TYPHOON,  # fallen trees
    "0401": _SUMMER,  # noise: open windows, air conditioners, night building work
    "0402": _SUMMER,  # cooking fumes
    "0404": _SUMMER,  # smelly creeks
    "0104": (0.8, 1.2, 0.9, 0.9, 1.0, 1.2, 1.4, 1.4, 1.1, 1.0, 0.9, 0.9),  # rubbish: summer smell, festival peak
    "0805": (0.4, 0.4, 0.6, 0.9, 1.3, 1.7, 2.0, 2.0, 1.5, 1.0, 0.6, 0.4),  # mosquitoes, cockroaches
    "0201": (1.0, 1.0, 0.9, 0.9, 1.0, 1.2, 1.4, 1.4, 1.1, 0.9, 0.9, 1.0),  # water pressure, air-conditioner drip
    "0704": _WINTER,  # gas
    "0403": _WINTER,  # winter smog, burning
    "0803": (0.8, 0.8, 1.1, 1.6, 1.6, 1.3, 1.2, 1.3, 1.0, 0.6, 0.6, 0.6),  # school enrolment
    "0802": (1.2, 1.0, 0.9, 0.8, 0.8, 0.8, 0.9, 0.9, 1.1, 1.4, 1.3, 1.2),  # flu jabs
    "0603": (1.6, 1.5, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.5),  # unpaid wages before the festival
}

LATE_BASE = 0.08
LATE_STREETS = {"华泾镇": 0.14, "长桥街道": 0.08, "凌云路街道": 0.05}  # street name → added late share
LATE_CATEGORIES = {  # leaf code → added late share
    "0101": 0.18,  # illegal structures: notices, hearings, demolition
    "0204": 0.15,  # old-housing renewal
    "0203": 0.12,  # lifts for old buildings
    "0705": 0.10,  # group renting
    "0302": 0.08,  # parking
}
LATE_OVERRUN = (1.02, 1.6)  # a late case is finished at this multiple of its time limit
OFFICE_HOURS = (8, 18)  # units take up dispatched cases on working days between these hours (local)
ACCEPT_LATE = 0.015  # share of dispatches signed for days late (及时签收率 below 100 %)


@cache
def spring_festival(year: int) -> dt.date:
    """正月初一 of `year` (the lunar new year that falls in it)."""
    s = Lunar.fromYmd(year, 1, 1).getSolar()
    return dt.date(s.getYear(), s.getMonth(), s.getDay())


def day_weight(day: dt.date) -> float:
    """Relative intake of a day, before growth."""
    w = WEEKDAY_INTAKE[day.weekday()] * MONTH_INTAKE[day.month - 1]
    if -1 <= (day - spring_festival(day.year)).days <= 6:
        return w * SPRING_FESTIVAL_DIP
    if day in statutory_holidays(day.year):
        return w * HOLIDAY_DIP
    return w


def day_cum_weights(first: dt.date, days: int) -> list[float]:
    """Cumulative intake weights of `days` days from `first` (for `rng.choices(range(days), cum_weights=…)`)."""
    lo, hi = GROWTH
    return list(itertools.accumulate(
        day_weight(first + dt.timedelta(days=i)) * (lo + (hi - lo) * i / max(1, days - 1)) for i in range(days)))


HOUR_CUM = list(itertools.accumulate(HOUR_INTAKE))


def category_cum_weights(categories, weights) -> list[list[float]]:
    """Per month (index 0 = January): cumulative weights of `categories` (their base `weights` times the
    season)."""
    return [list(itertools.accumulate(w * CATEGORY_SEASON.get(c.code, (1.0,) * 12)[m]
                                      for c, w in zip(categories, weights, strict=True))) for m in range(12)]


def late_share(street_name: str, category_code: str) -> float:
    return LATE_BASE + LATE_STREETS.get(street_name, 0.0) + LATE_CATEGORIES.get(category_code, 0.0)
