"""The writers of the calendar: an administrator confirms a year, or loads the State Council's arrangement for it.

The arrangement file (one line per holiday run or swapped working day; blank lines and `#` comments ignored):

    # 国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01..2027-01-03 休 元旦
    2027-02-05..2027-02-12 休 春节
    2027-02-14 班 春节调休

a date or a `first..last` run, `休` (holiday) or `班` (swapped working day), and a name. Loading it replaces the
year's administrator-entered days with these and confirms the year; the computed statutory holidays stay under
them (an arrangement always gives them off), so a day the file does not name is a weekday or weekend as usual.

After the commit of either, the year is announced through the task queue (`tasks.calendar_year_changed`) to every
app's `calendar_listeners` (core.registry) — the cases app recounts the open deadlines counted over the year.
This app imports none of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.core.constants import AuditAction
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import audit_write

from .calendar import LAST_OFFICIAL_YEAR
from .models import CalendarDay, CalendarYear

log = logging.getLogger(__name__)

_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?\s+(休|班)\s*(.*)$")


def arrangement_parse(text: str, *, year: int) -> list[tuple[dt.date, bool, str]]:
    """The days an arrangement file names, as (date, is_workday, name); INVALID naming the line when a line is
    not of the form above, names a day outside `year`, or names a day twice."""
    days: dict[dt.date, tuple[dt.date, bool, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LINE.match(line)
        try:
            first = dt.date.fromisoformat(match[1]) if match else None
            last = dt.date.fromisoformat(match[2]) if match and match[2] else first
        except ValueError:
            first = last = None
        if first is None or last < first:
            raise CivicError(ErrorCode.INVALID, _("第%(n)s行格式不对：应为“日期[..日期] 休|班 名称”。") % {"n": number})
        if first.year != year or last.year != year:
            raise CivicError(ErrorCode.INVALID, _("第%(n)s行的日期不在%(year)s年。") % {"n": number, "year": year})
        name = match[4].strip()[:40]
        day = first
        while day <= last:
            if day in days:
                raise CivicError(ErrorCode.INVALID, _("第%(n)s行：%(day)s 重复。") % {"n": number, "day": day})
            days[day] = (day, match[3] == "班", name)
            day += dt.timedelta(days=1)
    if not days:
        raise CivicError(ErrorCode.INVALID, _("安排中没有日期。"))
    return sorted(days.values())


def _check_year(year: int) -> None:
    if year <= LAST_OFFICIAL_YEAR:
        raise CivicError(ErrorCode.INVALID, _("%(year)s年的节假日已有官方安排，无需确认。") % {"year": year})


@transaction.atomic
def calendar_year_confirm(*, actor, year: int, source: str = "") -> CalendarYear:
    """Confirm `year` as it stands (computed statutory holidays and the year's entered days): its deadlines are no
    longer provisional — after the commit, the apps listening recount the open ones (docs/decisions.md)."""
    row = _confirm(actor=actor, year=year, source=source)
    announce_after_commit(row)
    return row


def _confirm(*, actor, year: int, source: str) -> CalendarYear:
    _check_year(year)
    user = actor if getattr(actor, "pk", None) else None  # automatic work confirms as nobody
    row, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source[:200], "confirmed_by": user, "confirmed_at": timezone.now()})
    audit_write(action=AuditAction.CALENDAR_YEAR_CONFIRM, user=user,
                object_type="workdays.calendaryear", object_id=year, details={"source": row.source})
    return row


@transaction.atomic
def calendar_year_load(*, actor, year: int, text: str, source: str = "") -> CalendarYear:
    """Load the State Council's arrangement for `year` (the file format above): the year's entered days become
    the file's, and the year is confirmed (announced after the commit, as `calendar_year_confirm`)."""
    _check_year(year)
    days = arrangement_parse(text, year=year)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create([CalendarDay(date=d, is_workday=w, name=name) for d, w, name in days])
    row = _confirm(actor=actor, year=year, source=source)
    audit_write(action=AuditAction.CALENDAR_YEAR_LOAD, user=row.confirmed_by,
                object_type="workdays.calendaryear", object_id=year,
                details={"holidays": sum(not w for _d, w, _n in days), "workdays": sum(w for _d, w, _n in days)})
    announce_after_commit(row)
    return row


def announce_after_commit(row: CalendarYear) -> None:
    """After the commit, hand the year to the task queue (`tasks.calendar_year_changed`, which calls every app's
    `calendar_listeners`). The confirmation has committed by then: a failure to enqueue is logged, not raised;
    confirming the year again announces it again (the listeners are idempotent)."""
    transaction.on_commit(partial(_enqueue, row.year, row.source))


def _enqueue(year: int, source: str) -> None:
    try:
        from .tasks import calendar_year_changed  # imported when first needed, as the cases notifications do

        result = calendar_year_changed.enqueue(year=year, source=source)
    except Exception:
        log.exception("calendar year %s not announced", year)
        return
    if result.errors:  # a backend that runs the task at once (tests, development) records the failure here
        log.error("calendar year %s: a listener failed: %s", year, result.errors[-1].traceback)
