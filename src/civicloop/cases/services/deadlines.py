"""Deadlines counted again when a year's calendar becomes official (issue 11; docs/decisions.md).

A deadline counted over a year whose holidays were computed from the national rules is provisional
(`workdays.calendar.WorkCalendar.provisional`). When an administrator confirms that year or loads the State
Council's arrangement for it (which may swap working days), workdays announces it after commit through the task
queue to every app's `calendar_listeners` (core.registry) — here `tasks.recount_for_year`, which splits the open
cases whose counting span touches the year (`recount_candidates`) into batches of `tasks.RECOUNT_BATCH` ids, one
task each (`cases_recount`). Each case is recounted in its own short transaction (`case_recount_deadline`): the
`recount` step of the table, by the system, with its event — or nothing at all when the recount changes nothing
(so running it twice changes nothing the second time).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import QuerySet, Sum

from civicloop.core.errors import CivicError
from civicloop.workdays.calendar import SHANGHAI, WorkCalendar

from ..changes import recount_changes, recount_deadline, recount_note
from ..constants import OPEN_STATES, Action, ExtensionState
from ..events import json_value
from ..models import Case, CaseEvent, Decision
from ..permissions import SYSTEM
from ._core import apply, load_for_update

log = logging.getLogger(__name__)


def recount_candidates(year: int) -> QuerySet:
    """The open cases with a deadline whose counting span — the dispatch day to the deadline's day, Shanghai
    time, as `WorkCalendar.provisional` reads it — touches `year`. A case outside it counted no day of the year."""
    start = dt.datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = dt.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    return Case.objects.filter(state__in=OPEN_STATES, dispatched_at__lt=end, deadline__gte=start)


def _clock_parts(case: Case) -> tuple[int, dt.datetime | None]:
    """What the case's current deadline was built from besides the dispatch: the working days of the extensions
    granted since the clock started, and the date a consultation decision set when one started it."""
    extended = (case.extension_requests.filter(state=ExtensionState.APPROVED, decided_at__gte=case.dispatched_at)
                .aggregate(days=Sum("days"))["days"] or 0)
    decided = (Decision.objects.filter(item__case_id=case.pk, decided_at=case.dispatched_at)
               .values_list("deadline", flat=True).first())
    return extended, decided


@transaction.atomic
def case_recount_deadline(*, case_id: int, year: int, source: str = "",
                          calendar: WorkCalendar | None = None) -> CaseEvent | None:
    """Count the deadline of one open case again on the calendar as it stands now (the `recount` step, by the
    system): the event when the deadline, its yellow point or its provisional mark changed, else None — and
    nothing written. `year` and `source` name what made the calendar official (the event's note)."""
    case = load_for_update(SYSTEM, case_id)
    if case.state not in OPEN_STATES or case.deadline is None or case.dispatched_at is None:
        return None
    calendar = calendar or WorkCalendar()
    extended, decided = _clock_parts(case)
    deadline = recount_deadline(dispatched_at=case.dispatched_at, time_limit_days=case.time_limit_days or 0,
                                extension_days=extended, decided_deadline=decided, calendar=calendar)
    changes = recount_changes(dispatched_at=case.dispatched_at, deadline=deadline, calendar=calendar)
    if all(json_value(value) == case._before[name] for name, value in changes.items()):
        return None
    return apply(SYSTEM, case, Action.RECOUNT, changes=changes, note=recount_note(year, source))


def cases_recount(*, year: int, source: str = "", first_id: int, last_id: int) -> int:
    """Recount the candidates of `year` with ids in first_id..last_id (one batch), each in its own transaction;
    how many changed. A case another step changed meanwhile is recounted on its new truth (under its lock);
    one that refuses (it closed meanwhile) is skipped — running the batch again is always safe."""
    calendar = WorkCalendar()  # one per batch: after the year's days changed, and caching them for the batch
    ids = recount_candidates(year).filter(pk__gte=first_id, pk__lte=last_id).order_by("pk").values_list("pk", flat=True)
    changed = 0
    for case_id in list(ids):
        try:
            changed += case_recount_deadline(case_id=case_id, year=year, source=source, calendar=calendar) is not None
        except CivicError as exc:
            log.warning("deadline of case %s not recounted for %s: %s", case_id, year, exc)
    return changed
