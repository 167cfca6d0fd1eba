"""The only writers of the dashboard's tables: the refresh that folds new case events into the facts and rollups.

`rollups_refresh` reads the case event log past its watermark (`RollupWatermark`), refolds every case an event
touched from *all* of that case's events (`facts.fact_of`), and moves the rollups by the difference between the
case's old and new contributions (`measures.contributions`) — facts, returns, rollups and watermark in one
transaction per batch. A case refolded twice gives the same fact and a zero difference, so reading an event again
(a re-run, a crash before commit, the holes below) changes nothing: the refresh is at-least-once safe.

Ids are handed out at insert, not at commit (PostgreSQL): an event with a smaller id may become visible after a
larger one was read. Each run notes the ids it skipped over (`holes`) and reads them again on later runs until they
are found or `SAFETY_LAG` has passed since they were first missed (a rolled-back transaction leaves its id unused
for ever). decision: /work/wt/dashboard-decision.md (docs/decisions.md once merged).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from civicloop.cases.models import Case, CaseEvent
from civicloop.workdays.calendar import WorkCalendar

from .constants import BATCH_EVENTS, SAFETY_LAG
from .facts import STATIC, fact_of, red_spans_of
from .measures import DIMENSIONS, MEASURES, contributions
from .models import ROLLUPS, CaseFact, CaseRedSpan, CaseReturn, DailyRollup, RollupWatermark, new_version

log = logging.getLogger(__name__)

REBUILD_BATCH_EVENTS = 20_000  # the rebuild reads the log in bigger bites: it only folds facts on the way
MAX_HOLES = 10_000  # more ids than this skipped at once: the oldest are given up (logged)
_COLUMNS = [m.name for m in MEASURES]
_KEY = ("district_id", "day", *DIMENSIONS)
_EVENT_FIELDS = ("case_id", "seq", "action", "at", "after")


def rollups_refresh(*, now: dt.datetime | None = None, batch: int = BATCH_EVENTS, rollups: bool = True) -> int:
    """Fold every case event not yet read into the facts and rollups, a batch per transaction. Returns the number
    of events read (holes read again included). Idempotent; safe to run concurrently (the watermark row is locked).
    `rollups=False` (the rebuild's, which sums the rollups from the facts at the end): the facts alone."""
    now = now or timezone.now()
    calendar = WorkCalendar()
    total = 0
    while True:
        read, more = _refresh_batch(now=now, calendar=calendar, batch=batch, rollups=rollups)
        total += read
        if not more:
            return total


@transaction.atomic
def _refresh_batch(*, now: dt.datetime, calendar: WorkCalendar, batch: int, rollups: bool) -> tuple[int, bool]:
    RollupWatermark.objects.get_or_create(pk=1)
    mark = RollupWatermark.objects.select_for_update().get(pk=1)
    holes = {int(k): v for k, v in mark.holes.items()}
    found = list(CaseEvent.objects.filter(pk__in=mark.hole_ids()).values_list("pk", "case_id")) if holes else []
    new = list(CaseEvent.objects.filter(pk__gt=mark.last_event_id).order_by("pk").values_list("pk", "case_id")[:batch])
    case_ids = sorted({case_id for _pk, case_id in found + new})
    if case_ids:
        refresh_cases(case_ids, calendar=calendar, rollups=rollups)
    for pk, _case in found:
        holes.pop(pk, None)
    if new:
        seen = {pk for pk, _case in new}
        # ids skipped over: from the last one read (on a first read, from the first one found: ids below it are
        # gone, not pending), at most MAX_HOLES of them
        low = max(mark.last_event_id + 1 if mark.last_event_id else new[0][0], new[-1][0] - len(new) - MAX_HOLES)
        skipped = [pk for pk in range(low, new[-1][0]) if pk not in seen]
        holes.update((pk, now.isoformat()) for pk in skipped)
        mark.last_event_id = new[-1][0]
    given_up = [pk for pk, first in holes.items() if dt.datetime.fromisoformat(first) <= now - SAFETY_LAG]
    given_up += sorted(holes)[:max(0, len(holes) - len(given_up) - MAX_HOLES)]
    for pk in given_up:
        holes.pop(pk, None)
    if given_up:
        log.info("rollups: %d event ids never seen within the safety lag, given up", len(given_up))
    mark.holes = {str(pk): first for pk, first in sorted(holes.items())}
    mark.refreshed_at, mark.version = now, new_version()
    mark.save(update_fields=["last_event_id", "holes", "refreshed_at", "version"])
    return len(found) + len(new), len(new) == batch


def refresh_cases(case_ids: list[int], *, calendar: WorkCalendar, rollups: bool = True) -> None:
    """Refold the facts of `case_ids` from their events and move the rollups by the difference (in the caller's
    transaction, under the watermark's lock); `rollups=False`: the facts, returns and red stretches alone."""
    events = defaultdict(list)
    for event in CaseEvent.objects.filter(case_id__in=case_ids).order_by().values(*_EVENT_FIELDS):
        events[event["case_id"]].append(event)
    statics = {row["pk"]: row for row in Case.objects.filter(pk__in=case_ids).values("pk", *STATIC)}
    old = {row["case_id"]: row for row in CaseFact.objects.filter(case_id__in=case_ids).values()} if rollups else {}
    facts, returns, spans, delta = [], [], [], defaultdict(lambda: defaultdict(int))
    for case_id in case_ids:
        if case_id not in statics:  # gone (a demo reset): its rows are deleted with it
            continue
        fact, its_returns = fact_of(case_id, statics[case_id], events[case_id], calendar)
        facts.append(fact)
        returns += its_returns
        spans += red_spans_of(case_id, statics[case_id]["district_id"], events[case_id])
        for sign, contribution in ((-1, contributions(old.get(case_id))), (1, contributions(fact))) if rollups else ():
            for key, amounts in contribution.items():
                for name, amount in amounts.items():
                    delta[key][name] += sign * amount
    CaseFact.objects.filter(case_id__in=case_ids).delete()
    CaseFact.objects.bulk_create([CaseFact(**fact) for fact in facts])
    CaseReturn.objects.filter(case_id__in=case_ids).delete()
    CaseReturn.objects.bulk_create([CaseReturn(**r) for r in returns])
    CaseRedSpan.objects.filter(case_id__in=case_ids).delete()
    CaseRedSpan.objects.bulk_create([CaseRedSpan(**span) for span in spans])
    rollups_add({key: amounts for key, amounts in delta.items() if any(amounts.values())})


def rollups_add(delta: dict[tuple, dict[str, int]], chunk: int = 200) -> None:
    """Add `delta` ({DailyRollup key: {measure: amount}}) to every rollup table (`ROLLUPS`: the full one and its
    coarser projections, the delta summed onto their keys), creating and deleting rows as needed."""
    for model, dims in ROLLUPS:
        key_fields = ("district_id", "day", *dims)
        at = [_KEY.index(f) for f in key_fields]
        projected: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for key, amounts in delta.items():
            row = projected[tuple(key[i] for i in at)]
            for name, amount in amounts.items():
                row[name] += amount
        _add_to(model, key_fields, {k: v for k, v in projected.items() if any(v.values())}, chunk)


def _add_to(model, key_fields: tuple[str, ...], delta: dict[tuple, dict[str, int]], chunk: int) -> None:
    keys = list(delta)
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        existing = {tuple(getattr(row, k) for k in key_fields): row for row in model.objects.filter(
            reduce(or_, (Q(**dict(zip(key_fields, key, strict=True))) for key in part)))}
        changed, created, emptied = [], [], []
        for key in part:
            row = existing.get(key)
            if row is None:
                row = model(**dict(zip(key_fields, key, strict=True)))
                created.append(row)
            else:
                changed.append(row)
            for name, amount in delta[key].items():
                setattr(row, name, getattr(row, name) + amount)
            if row in changed and not any(getattr(row, c) for c in _COLUMNS):
                changed.remove(row)
                emptied.append(row.pk)
        if changed:
            model.objects.bulk_update(changed, _COLUMNS)
        model.objects.bulk_create(created)
        model.objects.filter(pk__in=emptied).delete()


@transaction.atomic
def rollups_rebuild() -> int:
    """Drop every fact and rollup and read the whole event log again (after a bulk load that bypassed the services'
    event ids order, or a change of a KPI's definition). The facts are folded as by the refresh (watermark and
    holes alike), in bigger batches and without moving the rollups case by case; the rollups are then summed from
    the facts in SQL (`_rollups_from_facts`) — the same sums (a test holds them equal). Returns the events read."""
    with transaction.atomic():
        RollupWatermark.objects.get_or_create(pk=1)
        RollupWatermark.objects.select_for_update().filter(pk=1).update(last_event_id=0, holes={}, refreshed_at=None,
                                                                         version=new_version())
        for model in (*(m for m, _dims in ROLLUPS), CaseReturn, CaseRedSpan, CaseFact):
            model.objects.all().delete()
    read = rollups_refresh(batch=REBUILD_BATCH_EVENTS, rollups=False)
    with transaction.atomic():
        _rollups_from_facts()
        _new_version()
    return read


def _new_version() -> None:
    """The watermark's version changed, in the transaction of a write of the facts, returns or rollups."""
    RollupWatermark.objects.filter(pk=1).update(version=new_version())


def _rollups_from_facts(district_id: int | None = None) -> None:
    """Every rollup table summed from the facts (of one district: the demo's bulk load, whose rollups are empty):
    one INSERT … SELECT per table (the full one from a UNION ALL over the facts, the coarser ones from the full
    one), as `measures.contributions` adds them one by one. One part per time basis (`Measure.day`), not per
    measure: a fact's row there carries every measure of that day (its amount where its flags hold, else 0), and
    only facts some measure of that day holds for are read — so the same groups and sums, in half the rows."""
    q = connection.ops.quote_name
    dims = ", ".join(q(d) for d in DIMENSIONS)
    parts, params = [], []
    for day in dict.fromkeys(m.day for m in MEASURES):  # the time bases, in the measures' order
        columns, column_params, holds, holds_params = [], [], [], []
        for m in MEASURES:
            if m.day != day:
                columns.append(f"0 AS {q(m.name)}")
                continue
            amount = q(m.weight) if m.weight else "1"
            flags = " AND ".join(f"{q(flag)} = %s" for flag in m.flags)
            columns.append(f"CASE WHEN {flags} THEN {amount} ELSE 0 END AS {q(m.name)}" if flags
                           else f"{amount} AS {q(m.name)}")
            column_params += [True] * len(m.flags)
            holds.append(f"({flags})" if flags else "")
            holds_params += [True] * len(m.flags)
        where = f"{q(day)} IS NOT NULL"
        if all(holds):  # else a measure of this day counts every fact with the day
            where += f" AND ({' OR '.join(holds)})"
            column_params += holds_params
        if district_id is not None:
            where += f" AND {q('district_id')} = %s"
            column_params.append(district_id)
        params += column_params
        parts.append(f"SELECT {q('district_id')}, {q(day)} AS {q('day')}, {dims}, {', '.join(columns)} "
                     f"FROM {q(CaseFact._meta.db_table)} WHERE {where}")
    sums = ", ".join(f"SUM({q(c)})" for c in _COLUMNS)
    names = ", ".join(q(c) for c in _COLUMNS)
    full = DailyRollup._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(full)} ({q('district_id')}, {q('day')}, {dims}, {names}) "
                       f"SELECT {q('district_id')}, {q('day')}, {dims}, {sums} FROM ({' UNION ALL '.join(parts)}) m "
                       f"GROUP BY {q('district_id')}, {q('day')}, {dims}", params)
        for model, its_dims in ROLLUPS:
            if model is DailyRollup:
                continue
            keys = ", ".join(q(c) for c in ("district_id", "day", *its_dims))
            where, its_params = ("", []) if district_id is None else (f" WHERE {q('district_id')} = %s", [district_id])
            cursor.execute(f"INSERT INTO {q(model._meta.db_table)} ({keys}, {names}) "
                           f"SELECT {keys}, {sums} FROM {q(full)}{where} GROUP BY {keys}", its_params)


def rollups_load_district(district, *, now: dt.datetime | None = None) -> int:
    """After a bulk load (the demo): fold every case of `district` from its events in one ordered pass — the same
    `fact_of` and `contributions` as the refresh — and write its facts, returns and rollups in bulk (COPY on
    PostgreSQL), then move the watermark past its last event. Only when every unread event is the district's and it
    has no facts yet; otherwise (or for an empty district) the ordinary `rollups_refresh`. Returns the events read.
    The refresh reading batch by batch, re-querying facts and rollup rows, takes most of an hour on a million cases."""
    from civicloop.core.bulk import Table, indexes_deferred

    now = now or timezone.now()
    with transaction.atomic():
        RollupWatermark.objects.get_or_create(pk=1)
        mark = RollupWatermark.objects.select_for_update().get(pk=1)
        unread = CaseEvent.objects.filter(pk__gt=mark.last_event_id)
        last = unread.filter(district=district).order_by("-pk").values_list("pk", flat=True).first()
        if (last is None or unread.exclude(district=district).exists()
                or CaseFact.objects.filter(district=district).exists()):
            load = False
        else:
            load = True
            # a fresh demo fills empty tables: their secondary indexes are built once at the end
            with indexes_deferred([CaseFact, CaseReturn, CaseRedSpan, *(m for m, _dims in ROLLUPS)]):
                read = _load(district, mark.last_event_id, Table)
            mark.last_event_id, mark.refreshed_at, mark.version = last, now, new_version()
            mark.save(update_fields=["last_event_id", "refreshed_at", "version"])
    return read if load else rollups_refresh(now=now)


def rollups_complete_district(district, folded: Sequence[tuple[int, int]], *, now: dt.datetime | None = None) -> int:
    """After a bulk load that wrote, with the cases, their facts, returns and red stretches folded from their events
    (the demo: `DashboardConfig.demo_case_rows`), the ids of those events in the ranges `folded` (first, last): the
    cases of every other unread event — written through the services afterwards, or by another bulk path — refolded
    from all their events (`refresh_cases`), the district's rollups summed from its facts (`_rollups_from_facts`, the
    refresh's sums) and the watermark moved past the last event. Nothing folded: `rollups_load_district`; an unread
    event of another district outside `folded`: the ordinary refresh (it refolds the loaded cases too: the same
    facts, slowly). Returns the events read here (those outside `folded`)."""
    now = now or timezone.now()
    if not folded:
        return rollups_load_district(district, now=now)
    with transaction.atomic():
        RollupWatermark.objects.get_or_create(pk=1)
        mark = RollupWatermark.objects.select_for_update().get(pk=1)
        outside = CaseEvent.objects.filter(mark.unread()).exclude(reduce(or_, (Q(pk__range=r) for r in folded)))
        if not outside.exclude(district=district).exists():
            events = list(outside.values_list("case_id", flat=True))
            case_ids, calendar = sorted(set(events)), WorkCalendar()
            for start in range(0, len(case_ids), 500):
                refresh_cases(case_ids[start:start + 500], calendar=calendar, rollups=False)
            last = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            _sum_district(district, mark, through_event_id=last, now=now)
            return len(events)
    return rollups_refresh(now=now)


@transaction.atomic
def rollups_sum_district(district, *, through_event_id: int) -> None:
    """After a bulk load that wrote a district's cases with their events *and* the facts, returns and red stretches
    folded from those events (bench/city_year.py: copies of a generated year, facts copied with their cases): the
    district's rollups summed again from its facts (`_rollups_from_facts`, the refresh's sums), and the watermark
    moved to `through_event_id`, the last event those facts include, so the refresh does not fold the loaded
    events a second time. The watermark never moves back."""
    RollupWatermark.objects.get_or_create(pk=1)
    _sum_district(district, RollupWatermark.objects.select_for_update().get(pk=1), through_event_id=through_event_id,
                  now=timezone.now())


def _sum_district(district, mark: RollupWatermark, *, through_event_id: int, now: dt.datetime) -> None:
    """The district's rollups summed again from its facts and the watermark (`mark`, locked by the caller) moved to
    `through_event_id`, never back — after a load that wrote the facts with their events."""
    for model, _dims in ROLLUPS:
        model.objects.filter(district=district).delete()
    _rollups_from_facts(district_id=district.pk)
    mark.last_event_id = max(mark.last_event_id, through_event_id)
    mark.refreshed_at, mark.version = now, new_version()
    mark.save(update_fields=["last_event_id", "refreshed_at", "version"])


class _Event(NamedTuple):
    case_id: int
    seq: int
    action: str
    at: dt.datetime
    after: dict


def _events_in_case_order(district, after_id: int, chunk: int = 20_000):
    """The district's events after `after_id` in (case, seq) order, read with a plain cursor (server-side on
    PostgreSQL) and converted here: the ORM's converters per value were a third of the fold's time."""
    connection = transaction.get_connection()
    qn = connection.ops.quote_name
    # SQLite: the moment as its stored text (an expression has no declared type, so no converter parses it slowly)
    at = f"{qn('at')} || ''" if connection.vendor == "sqlite" else qn("at")
    sql = (f"SELECT case_id, seq, action, {at}, {qn('after')} FROM {qn(CaseEvent._meta.db_table)} "
           f"WHERE district_id = %s AND id > %s ORDER BY case_id, seq")
    loads, fromiso, utc = json.loads, dt.datetime.fromisoformat, dt.UTC
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [district.pk, after_id])
        while rows := cursor.fetchmany(chunk):
            for case_id, seq, action, at, after in rows:
                if isinstance(at, str):  # SQLite: naive UTC, as text or (its converter) a naive datetime
                    at = fromiso(at)
                if at.tzinfo is None:
                    at = at.replace(tzinfo=utc)
                yield _Event(case_id, seq, action, at, after if isinstance(after, dict) else loads(after))


def _load(district, after_id: int, table) -> int:
    calendar = WorkCalendar()
    facts_t, returns_t, spans_t = table(CaseFact, pk=True), table(CaseReturn), table(CaseRedSpan)
    statics = Case.objects.filter(district=district).order_by("pk").values_list("pk", *STATIC).iterator(
        chunk_size=20_000)
    events = _events_in_case_order(district, after_id)
    facts, returns, spans, read = [], [], [], 0

    def fold(case_id, its_events) -> None:
        for row in statics_iter:  # both in case order: advance to this case
            if row[0] == case_id:
                static = dict(zip(STATIC, row[1:], strict=True))
                fact, its_returns = fact_of(case_id, static, its_events, calendar)
                facts.append(facts_t.values(fact))
                returns.extend(its_returns)
                spans.extend(red_spans_of(case_id, static["district_id"], its_events))
                return

    def write() -> None:
        facts_t.write(facts)
        returns_t.write([returns_t.values(r) for r in returns])
        spans_t.write([spans_t.values(r) for r in spans])
        facts.clear()
        returns.clear()
        spans.clear()

    statics_iter = iter(statics)
    current, its = None, []
    for event in events:
        read += 1
        if event.case_id != current:
            if its:
                fold(current, its)
            current, its = event.case_id, []
            if len(facts) >= 20_000:
                write()
        its.append(event)
    if its:
        fold(current, its)
    write()
    _rollups_from_facts(district_id=district.pk)  # the same sums as the refresh's contributions (a test holds it)
    return read


def rollups_delete_district(district) -> None:
    """Every dashboard row of `district` (the demo's reset, before its cases go)."""
    with transaction.atomic():
        for model in (*(m for m, _dims in ROLLUPS), CaseReturn, CaseRedSpan, CaseFact):
            model.objects.filter(district=district).delete()
        _new_version()
