"""Reads of the routing app, each as the viewer: the suggestions for a case, what dispatchers did with them (the
acceptance rate), and the jurisdiction disputes — always over the cases the viewer may see (cases.selectors)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from civicloop.cases.constants import Action
from civicloop.cases.models import Case, CaseEvent, Category
from civicloop.cases.permissions import dispatch_targets_q
from civicloop.cases.selectors import CaseFilters, case_list_for
from civicloop.core.errors import CivicError
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.places.models import Place

from .constants import (
    COMMITTEE,
    DISPATCHING,
    DISPUTE_CASES_SHOWN,
    DISPUTE_MIN_BOUNCES,
    DISPUTES_SHOWN,
    EVENTS_READ_MAX,
    OFFICE,
    TOP,
    Choice,
)
from .error_codes import RoutingErrorCode
from .learn import Example, Router
from .models import RoutingModel, Suggestion
from .permissions import may_see_disputes, may_see_suggestions

# ----- the model, per process: the newest version of each district's, loaded once per version

_routers: dict[int, tuple[int, Router, float]] = {}  # district → (version, model, when the version was checked)
_categories: dict = {"at": -1e9, "by_id": {}}
_lock = threading.Lock()
VERSION_CHECK_SECONDS = 5  # how late a worker may notice another worker's refit
CATEGORIES_SECONDS = 60  # the active categories, reference data, read again this often


def forget() -> None:
    """Drop this process's cached models and categories (a refit in this process; tests between databases)."""
    with _lock:
        _routers.clear()
        _categories.update(at=-1e9, by_id={})


def current_router(district_id: int) -> tuple[int, Router] | None:
    """(version, model) — the newest fitted for the district. At most every VERSION_CHECK_SECONDS one small query
    asks whether there is a newer version; the blob is read and unpickled only when there is, so every gunicorn
    worker follows a refit within seconds without a shared file."""
    cached = _routers.get(district_id)
    now = time.monotonic()
    if cached is not None and now - cached[2] < VERSION_CHECK_SECONDS:
        return cached[:2]
    newest = (RoutingModel.objects.filter(district_id=district_id).order_by("-version")
              .values_list("pk", "version").first())
    if newest is None:
        return None
    pk, version = newest
    if cached is not None and cached[0] == version:
        _routers[district_id] = (version, cached[1], now)
        return cached[:2]
    blob = RoutingModel.objects.filter(pk=pk).values_list("blob", flat=True).first()
    if blob is None:  # removed between the two reads: the next call finds the newer one
        return cached[:2] if cached else None
    with _lock:
        _routers[district_id] = (version, Router.loads(bytes(blob)), now)
        return _routers[district_id][:2]


def active_categories() -> dict[int, Category]:
    """The active categories by id (reference data shared by districts), read again every CATEGORIES_SECONDS."""
    now = time.monotonic()
    if now - _categories["at"] >= CATEGORIES_SECONDS:
        by_id = {c.pk: c for c in Category.objects.filter(active=True).select_related("parent")}
        _categories.update(at=now, by_id=by_id)
    return _categories["by_id"]


# ----- suggestions for a case


def example_of(case) -> Example:
    return Example(text=case.description, channel=case.channel, street_id=case.street_id,
                   community_id=case.community_id)


def suggestions_for(actor, case, *, top: int = TOP) -> dict | None:
    """For a case `actor` sees (loaded by cases.selectors.case_get_for) and may dispatch now: {"version",
    "categories": [(Category, p)], "units": [(Unit, p)]} — only active categories, and only units `actor` may
    dispatch to (cases.permissions.dispatch_targets_q). None when the case needs no suggestion or `actor` may not
    see one; NO_MODEL when the district has none yet."""
    if not may_see_suggestions(actor, case):
        return None
    current = current_router(case.district_id)
    if current is None:
        raise CivicError(RoutingErrorCode.NO_MODEL)
    version, router = current
    # a few more than shown: some may fall out (an inactive category, a unit outside the actor's targets)
    cats, labels = router.suggest(example_of(case), top=top + 3)
    categories = active_categories()
    unit_ids = {label: _unit_id(label) for label, _p in labels if label not in (OFFICE, COMMITTEE)}
    place_q = Q(pk__in=[])
    if any(label == OFFICE for label, _p in labels) and case.street_id:
        place_q |= Q(kind=UnitKind.STREET_OFFICE, territory_id=case.street_id)
    if any(label == COMMITTEE for label, _p in labels) and case.community_id:
        place_q |= Q(kind=UnitKind.COMMITTEE, territory_id=case.community_id)
    units = list(Unit.objects.filter(Q(pk__in=[u for u in unit_ids.values() if u]) | place_q,
                                     dispatch_targets_q(actor), district_id=case.district_id, active=True)
                 .exclude(kind=UnitKind.CONSULTATION_BODY).order_by("pk"))
    by_label = {f"u{u.pk}": u for u in units}
    for u in units:
        if u.kind == UnitKind.STREET_OFFICE and u.territory_id == case.street_id:
            by_label.setdefault(OFFICE, u)
        if u.kind == UnitKind.COMMITTEE and u.territory_id == case.community_id:
            by_label.setdefault(COMMITTEE, u)
    shown_units, seen = [], set()
    for label, p in labels:
        unit = by_label.get(label)
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            shown_units.append((unit, p))
    return {"version": version,
            "categories": [(categories[c], p) for c, p in cats if c in categories][:top],
            "units": shown_units[:top]}


def _unit_id(label: str) -> int | None:
    return int(label[1:]) if label.startswith("u") and label[1:].isdigit() else None


# ----- what the dispatchers did: the acceptance rate


def choices_of(suggestions: list[Suggestion]) -> dict[int, dict]:
    """Per suggestion id: {"choice": Choice, "unit_id", "category_id"} — the case's first dispatch (or consultation
    decision) and triage after the suggestion was shown, read from its events."""
    by_case = defaultdict(list)
    for s in suggestions:
        by_case[s.case_id].append(s)
    events = defaultdict(list)
    if by_case:
        for case_id, seq, action, after in (CaseEvent.objects.filter(
                case_id__in=list(by_case), action__in=(*DISPATCHING, Action.TRIAGE))
                .order_by("case_id", "seq").values_list("case_id", "seq", "action", "after")):
            events[case_id].append((seq, action, after))
    out = {}
    for case_id, rows in by_case.items():
        for s in rows:
            dispatched, dispatch_seq = next(((a, seq) for seq, act, a in events[case_id]
                                             if seq > s.case_version and act in DISPATCHING), (None, None))
            triaged = next((a for seq, act, a in events[case_id] if seq > s.case_version and act == Action.TRIAGE), None)
            unit_id = dispatched.get("lead_unit_id") if dispatched else None
            ranked = [u for u, _p in s.units]
            if unit_id is None:
                choice = Choice.PENDING
            elif ranked and unit_id == ranked[0]:
                choice = Choice.FIRST
            elif unit_id in ranked:
                choice = Choice.OTHER
            else:
                choice = Choice.NONE
            out[s.pk] = {"choice": choice, "unit_id": unit_id, "dispatch_seq": dispatch_seq,
                         "category_id": triaged.get("category_id") if triaged else None}
    return out


def acceptance_for(actor, start: dt.date, end: dt.date) -> dict:
    """The acceptance KPI over suggestions shown from `start` to `end` (days in Asia/Shanghai) on cases `actor`
    sees: of the cases dispatched after a suggestion (the last one shown before that dispatch), how many went to the
    first suggested unit (`rate`), to one of the three (`rate_top3`). The cases behind: `cases_first`, `cases_none`."""
    from civicloop.workdays.calendar import SHANGHAI

    since = dt.datetime.combine(start, dt.time.min, tzinfo=SHANGHAI)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
    visible = case_list_for(actor, CaseFilters()).order_by().values("pk")
    shown = list(Suggestion.objects.filter(shown_at__gte=since, shown_at__lt=until, case_id__in=visible)
                 .order_by("case_id", "case_version", "shown_at")[:EVENTS_READ_MAX])
    choices = choices_of(shown)
    last = {}
    for s in shown:  # the last suggestion shown before each dispatch: one decision per (case, dispatch)
        c = choices[s.pk]
        if c["choice"] != Choice.PENDING:
            last[s.case_id, c["dispatch_seq"]] = (s, c)
    decided = list(last.values())
    first = [s.case_id for s, c in decided if c["choice"] == Choice.FIRST]
    top3 = [s.case_id for s, c in decided if c["choice"] in (Choice.FIRST, Choice.OTHER)]
    n = len(decided)
    return {"shown": len({s.case_id for s in shown}), "decided": n, "first": len(first), "top3": len(top3),
            "rate": round(100 * len(first) / n, 1) if n else None,
            "rate_top3": round(100 * len(top3) / n, 1) if n else None,
            "used": sum(1 for s, _c in decided if s.used_at is not None),
            "case_ids_none": [s.case_id for s, c in decided if c["choice"] == Choice.NONE]}


def model_info(district_id: int | None) -> RoutingModel | None:
    if district_id is None:
        return None
    return (RoutingModel.objects.filter(district_id=district_id).defer("blob").order_by("-version").first())


# ----- jurisdiction disputes (职责不清)


def disputes_for(actor, start: dt.date, end: dt.date, *, min_bounces: int = DISPUTE_MIN_BOUNCES) -> list[dict]:
    """The (category, place) pairs whose cases bounced between units from `start` to `end`: returns, and
    re-dispatches to another unit (a reopened case sent elsewhere, a consultation decision), read from the case
    events of the cases `actor` sees. A bounce is a return, or a re-dispatch elsewhere that answers no return (the
    re-dispatch after a return is the same bounce). Most bounces first, each with its cases (tracking codes, units
    involved). The place is the case's street: a consultation settles a duty for a category in a street."""
    if not may_see_disputes(actor):
        return []
    from civicloop.workdays.calendar import SHANGHAI

    since = dt.datetime.combine(start, dt.time.min, tzinfo=SHANGHAI)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)
    visible = case_list_for(actor, CaseFilters()).order_by().values("pk")
    window = CaseEvent.objects.filter(at__gte=since, at__lt=until, case_id__in=visible)
    # the cases that can have bounced: returned in the window, or handed to a lead unit twice in it (subqueries, not
    # id lists: a year of a district is more ids than a statement may carry)
    returned = window.filter(action=Action.RETURN).order_by().values("case_id")
    redispatched = (window.filter(action__in=DISPATCHING).order_by().values("case_id").annotate(n=Count("pk"))
                    .filter(n__gte=2).values("case_id"))
    history = defaultdict(list)
    for case_id, action, before, after in (CaseEvent.objects.filter(
            Q(case_id__in=returned) | Q(case_id__in=redispatched), action__in=(Action.RETURN, *DISPATCHING),
            at__lt=until).order_by("case_id", "seq").values_list("case_id", "action", "before", "after")
            [:EVENTS_READ_MAX]):
        history[case_id].append((action, before, after))
    bounced = {}
    for case_id, steps in history.items():
        returns, redispatches, moves, units, last, returned = 0, 0, 0, [], None, False
        for action, before, after in steps:
            if action == Action.RETURN:
                returns += 1
                units.append(before.get("lead_unit_id"))
                returned = True
            else:
                unit = after.get("lead_unit_id")
                if last is not None and unit != last:  # sent elsewhere (a reopened case to the same unit is not)
                    redispatches += 1
                    moves += not returned  # not the answer to a return (a reopened case, a decision): a bounce too
                units.append(unit)
                last, returned = unit, False
        if returns or redispatches:
            bounced[case_id] = {"returns": returns, "redispatches": redispatches, "bounces": returns + moves,
                                "units": list(dict.fromkeys(u for u in units if u))}
    if not bounced:
        return []
    cases = {c.pk: c for c in Case.objects.filter(pk__in=list(bounced)).only(
        "pk", "tracking_code", "category_id", "street_id", "community_id", "state", "district_id")}
    groups = defaultdict(list)
    for case_id, b in bounced.items():
        c = cases[case_id]
        groups[c.category_id, c.street_id].append((c, b))
    rows = []
    for (category_id, place_id), members in groups.items():
        bounces = sum(b["bounces"] for _c, b in members)
        if bounces < min_bounces:
            continue
        rows.append({"category_id": category_id, "place_id": place_id, "bounces": bounces,
                     "returns": sum(b["returns"] for _c, b in members),
                     "redispatches": sum(b["redispatches"] for _c, b in members),
                     "unit_ids": list(dict.fromkeys(u for _c, b in members for u in b["units"])),
                     "cases": sorted(members, key=lambda m: (-m[1]["bounces"], m[0].pk))})
    rows.sort(key=lambda r: (-r["bounces"], -len(r["cases"]), r["category_id"] or 0, r["place_id"] or 0))
    rows = rows[:DISPUTES_SHOWN]
    names = _names(rows)
    return [{"category_id": r["category_id"], "category": names["category"].get(r["category_id"], ""),
             "place_id": r["place_id"], "place": names["place"].get(r["place_id"], ""),
             "bounces": r["bounces"], "returns": r["returns"], "redispatches": r["redispatches"],
             "case_count": len(r["cases"]),
             "units": [names["unit"].get(u, "") for u in r["unit_ids"]],
             "cases": [{"id": c.pk, "tracking_code": c.tracking_code, "state": c.get_state_display(),
                        "returns": b["returns"], "redispatches": b["redispatches"],
                        "units": [names["unit"].get(u, "") for u in b["units"]]}
                       for c, b in r["cases"][:DISPUTE_CASES_SHOWN]]} for r in rows]


def _names(rows) -> dict[str, dict]:
    categories = {c.pk: str(c) for c in Category.objects.filter(pk__in={r["category_id"] for r in rows})
                  .select_related("parent")}
    places = dict(Place.objects.filter(pk__in={r["place_id"] for r in rows}).values_list("pk", "name"))
    unit_ids = {u for r in rows for u in r["unit_ids"]}
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    return {"category": categories, "place": places, "unit": units}


def today_local(now: dt.datetime | None = None) -> dt.date:
    from civicloop.workdays.calendar import SHANGHAI

    return timezone.localtime(now or timezone.now(), SHANGHAI).date()
