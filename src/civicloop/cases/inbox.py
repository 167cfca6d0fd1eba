"""The inbox — what needs *me* now, by section — read in three statements compiled once per scope.

The rule (which cases each section holds, visibility included) is `selectors.inbox_conditions`; this module only
runs it fast (decisions 22, 32, 33): the ORM builds every section, `core.sql.Prepared` compiles each once with
stand-in values for "now", the viewer and the ids, and `_PLANS` keeps the compiled statements per scope. The
requests' own values are bound when the statements run, so the data is always read fresh.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from civicloop.core.sql import PlanCache, Prepared
from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

from .constants import CLOCK_STATES
from .models import Case
from .rows import CASE_ROW, RIGHT_COLUMNS, row_for_columns
from .selectors import (
    SECTION_STATES,
    inbox_conditions,
    own_notifications,
    pending_extension_case_ids,
    with_time_state,
)

INBOX_LIMIT = 20

# The sections' names, for the inbox page and the home page's panel (gettext_lazy by its own name: makemessages
# finds only the names it knows — an alias left these out of the English catalogue).
SECTION_LABELS = {
    "to_accept": gettext_lazy("待签收"), "to_handle": gettext_lazy("办理中"), "to_reply": gettext_lazy("待答复"),
    "to_triage": gettext_lazy("待研判"), "to_dispatch": gettext_lazy("待派单"), "to_close": gettext_lazy("待结案"),
    "supervisions": gettext_lazy("待回复督办"), "extensions": gettext_lazy("待审批延期"),
}

# Sections whose cases never run a clock: time_rank is the same for all of them, so they are ordered by
# (deadline, yellow_at, id) alone — the order of the (who, state, deadline, yellow_at, id) indexes, so a one-state
# section (e.g. a backlog of registrations to triage) reads just its first rows instead of sorting them all.
UNTIMED_SECTIONS = frozenset(n for n, states in SECTION_STATES.items() if not set(states) & set(CLOCK_STATES))

# The compiled statements: per scope, and the rows' per number of ids (decisions 32, 33).
_PLANS = PlanCache(size=1024)
# Stand-ins while compiling (core.sql.Prepared), replaced by the request's values when the statements run:
# values no real parameter has.
_NOW = dt.datetime(2000, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
_USER = -7_000_001
_IDS = -8_000_001  # the first of a list of ids
_FAR = dt.datetime.max.replace(tzinfo=dt.UTC)  # sorts a missing deadline last
_UNTIMED = (F("deadline").asc(nulls_last=True), F("yellow_at").asc(nulls_last=True), "id")


def _inbox_plan(actor, scope, pending: tuple[int, ...], limit: int) -> dict:
    """The inbox's SQL for this scope, compiled once: one statement of per-section counts (and the viewer's
    unread notifications), and per section its "first `limit` ids" statement. The ORM builds every section
    (the rule lives in `inbox_conditions`); compiling ~15 querysets was most of an inbox request's CPU, and
    their SQL only changes with the scope and the pending extension requests — both part of the key — so it is
    kept per process (decision 32). Now and the viewer are stand-ins bound per request."""
    key = ("inbox", scope, actor.unit_id, pending, limit)
    return _PLANS.get(connection, key, lambda: _build_inbox_plan(actor, pending, limit))


def _build_inbox_plan(actor, pending: tuple[int, ...], limit: int) -> dict:
    conditions = inbox_conditions(actor, pending_extension_ids=list(pending))
    base = with_time_state(Case.objects.all(), _NOW)
    counts = {n: Prepared(Case.objects.filter(q).order_by().values("pk"), now=_NOW) for n, q in conditions.items()}
    live = [n for n in conditions if counts[n].sql is not None]
    unread = Prepared(own_notifications(_USER, unread_only=True).order_by().values("pk"), user=_USER)
    parts = [counts[n] for n in live] + [unread]
    return {
        "names": list(conditions),
        "live": live,
        "counts": (f"SELECT {', '.join(f'(SELECT COUNT(*) FROM ({part.sql}) AS c{i})' for i, part in enumerate(parts))}",
                   parts),
        "tops": {n: Prepared(base.filter(q).order_by(*(_UNTIMED if n in UNTIMED_SECTIONS else
                                                       ("time_rank", *_UNTIMED))).values_list("pk")[:limit], now=_NOW)
                 for n, q in conditions.items()},
    }


def _rows_plan(size: int) -> Prepared:
    """The inbox rows of `size` ids (a power of two: the ids are padded with the first), with the columns the
    right to unmask is decided on (`rows.RIGHT_COLUMNS`), and `time_rank` and `yellow_at` for ordering them,
    compiled once per size."""
    def build():
        ids = [_IDS - i for i in range(size)]
        qs = with_time_state(Case.objects.filter(pk__in=ids), _NOW).order_by().values_list(
            *CASE_ROW.values(), *RIGHT_COLUMNS, "time_rank", "yellow_at")
        return Prepared(qs, ids=ids, now=_NOW)
    return _PLANS.get(connection, ("inbox-rows", size), build)


def inbox_for(actor, *, now: dt.datetime | None = None, limit: int = INBOX_LIMIT) -> dict:
    """What needs *me* now, by section, each `{"count": n, "cases": [row, …]}` red/yellow first, a row being a
    dict of `rows.CASE_ROW`'s keys (its free text as the viewer may see it: `rows.row_for`); and
    `unread_notifications`, the viewer's count.

    Three statements, whatever the number of sections: the counts (one scalar subquery per section, so the
    database plans each on its own index), the first `limit` ids of each non-empty section (a UNION ALL of
    per-section ORDER BY … LIMIT, sorted on the case table alone), and the rows of those ids with their
    related names. The statements are built by the ORM and compiled once per scope (`_inbox_plan`); only
    their joining is written here.
    """
    scope = scope_for(actor)
    pending = tuple(pending_extension_case_ids(scope)) if scope.has_role(Role.DISPATCHER) else ()
    plan = _inbox_plan(actor, scope, pending, limit)
    now = now or timezone.now()
    names = plan["names"]
    counts = dict.fromkeys(names, 0)
    sql, parts = plan["counts"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for part in parts for p in part.bind(connection, now=now, user=actor.pk or 0)])
        *live_counts, unread = cursor.fetchone()
    counts.update(zip(plan["live"], live_counts, strict=True))
    tops = [(n, plan["tops"][n]) for n in names if counts[n] and plan["tops"][n].sql is not None]
    ids: dict[str, list[int]] = {n: [] for n in names}
    if tops:
        sql = " UNION ALL ".join(f"SELECT {names.index(n)}, t{i}.* FROM ({part.sql}) AS t{i}"
                                 for i, (n, part) in enumerate(tops))
        with connection.cursor() as cursor:
            cursor.execute(sql, [p for _n, part in tops for p in part.bind(connection, now=now)])
            for section, pk in cursor.fetchall():
                ids[names[section]].append(pk)
    wanted = sorted({pk for section in ids.values() for pk in section})
    rows, order = {}, {}
    if wanted:
        size = 1 << (len(wanted) - 1).bit_length()
        keys = list(CASE_ROW)
        for values in _rows_plan(size).rows(connection, ids=wanted + wanted[:1] * (size - len(wanted)), now=now):
            row = dict(zip(keys, values[:len(keys)], strict=True))
            # numbers typed into the text masked unless the viewer may see this case's reporter data
            rows[row["id"]] = row_for_columns(actor, row, values[len(keys):len(keys) + len(RIGHT_COLUMNS)])
            # the order of the SQL above (time_rank is constant in the untimed sections)
            order[row["id"]] = (values[-2], row["deadline"] or _FAR, values[-1] or _FAR, row["id"])
    result = {n: {"count": counts[n], "cases": [rows[pk] for pk in sorted((pk for pk in ids[n] if pk in rows),
                                                                            key=order.__getitem__)]}
              for n in names}
    result["unread_notifications"] = unread
    return result
