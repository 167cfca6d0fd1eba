"""The statutory holidays of a year, computed from the national rules — the provisional calendar of a year whose
official arrangement (the State Council's 调休 notice) is not known yet.

The rules are 《全国年节及纪念日放假办法》 as amended with effect from 2025 (docs/decisions.md): the holidays
every citizen has (新年, 春节 from 除夕, 清明, 劳动节, 端午, 中秋, 国庆) and 补假 — a holiday that falls on a
Saturday or Sunday is made up on a working day. Lunar dates and the 清明 solar term come from `lunar_python`.

Not computed: the swapped working days (调休) the State Council adds each year to join holidays to weekends —
they are a decision, not a rule; an administrator loads them with the year's arrangement (`services`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from lunar_python import Lunar

D = dt.date

# the first year of the rules computed here (the 2024 amendment: 除夕 a holiday, 劳动节 two days)
RULES_SINCE = 2025


def _solar(lunar: Lunar) -> D:
    s = lunar.getSolar()
    return D(s.getYear(), s.getMonth(), s.getDay())


@cache
def statutory_holidays(year: int) -> dict[D, str]:
    """{date: holiday name} of `year` (names are data, in Chinese, like an administrator-entered day's): the statutory days, then one 补假 day per statutory day on a weekend, on
    the next weekday after that holiday's run that is not itself a holiday. Years before `RULES_SINCE` are
    computed with the same rules (the official calendar covers them)."""
    spring = _solar(Lunar.fromYmd(year, 1, 1))  # 正月初一
    qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    groups: list[tuple[str, list[D]]] = [
        ("元旦", [D(year, 1, 1)]),
        ("春节", [spring + dt.timedelta(days=k) for k in (-1, 0, 1, 2)]),  # 除夕, 初一 to 初三
        ("清明节", [D(qingming.getYear(), qingming.getMonth(), qingming.getDay())]),
        ("劳动节", [D(year, 5, 1), D(year, 5, 2)]),
        ("端午节", [_solar(Lunar.fromYmd(year, 5, 5))]),
        ("中秋节", [_solar(Lunar.fromYmd(year, 8, 15))]),
        ("国庆节", [D(year, 10, k) for k in (1, 2, 3)]),
    ]
    days: dict[D, str] = {}
    for name, dates in groups:
        for day in dates:
            days.setdefault(day, name)  # 中秋 on a 国庆 day is one day off, not two
    for name, dates in groups:
        for _k in range(sum(day.weekday() >= 5 and days.get(day) == name for day in dates)):
            day = max(dates) + dt.timedelta(days=1)
            while day.weekday() >= 5 or day in days:
                day += dt.timedelta(days=1)
            days[day] = f"{name}补假"
    return {day: name for day, name in sorted(days.items()) if day.year == year}
