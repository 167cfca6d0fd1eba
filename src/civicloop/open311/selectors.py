"""Reads of the open311 app. Services (our categories) are public reference data; requests are read with an API
key and bounded to its district — the key is the actor here (a key of another district answers "not found")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from civicloop.cases.models import Case, Category, Reply
from civicloop.core.errors import CivicError, not_found
from civicloop.core.sql import PlanCache, Prepared

from .constants import CLOSED_STATES, OPEN_STATES, Status
from .error_codes import Open311ErrorCode


def services_list() -> list[Category]:
    """Our active leaf categories with their parent (the spec's `group`), in code order."""
    return list(Category.objects.filter(active=True, parent__isnull=False, parent__active=True)
                .select_related("parent").order_by("code"))


def service_get(code: str) -> Category:
    """The active leaf category `code`, else SERVICE_UNKNOWN (400 on POST; the definition endpoint answers 404)."""
    category = (Category.objects.filter(code=code, active=True, parent__isnull=False).select_related("parent").first()
                if code and len(code) <= 20 else None)
    if category is None:
        raise CivicError(Open311ErrorCode.SERVICE_UNKNOWN, service_code=(code or "")[:20])
    return category


@dataclass(frozen=True)
class RequestQuery:
    """GET requests' filters, parsed (inputs.request_query): ids (if given, the others are ignored, as the spec
    says), else service codes, the window [start, end), statuses, and the page."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = 50


ROW_FIELDS = ("id", "district_id", "tracking_code", "state", "category__code", "category__name", "lead_unit__name",
              "description", "household_id", "address", "lat", "lng", "deadline", "created_at", "updated_at",
              "open311_submission__media_url")


def _cases_of(key) -> QuerySet:
    return Case.objects.filter(district_id=key.district_id)


# Compiled once per shape of query (which filters, how many values, the page) and kept per process (core.sql:
# a prepared statement, not a result cache) — compiling the list's statement on every call was a third of its time.
_PLANS = PlanCache(512)
_DISTRICT = -7_000_001  # stand-ins: values no other parameter of the statements has
_START, _END = dt.datetime(2999, 1, 1, tzinfo=dt.UTC), dt.datetime(2999, 1, 2, tzinfo=dt.UTC)


def _stand_ins(prefix: str, n: int) -> list[str]:
    return [f"\x01{prefix}{i}" for i in range(n)]


def _list_plan(ids: int, codes: int, start: bool, end: bool, states: int, offset: int, size: int) -> Prepared:
    qs = Case.objects.filter(district_id=_DISTRICT)
    if ids:
        qs = qs.filter(tracking_code__in=_stand_ins("id", ids))
    if codes:
        qs = qs.filter(category__code__in=_stand_ins("code", codes))
    if start:
        qs = qs.filter(created_at__gte=_START)
    if end:
        qs = qs.filter(created_at__lt=_END)
    if states:
        qs = qs.filter(state__in=_stand_ins("state", states))
    qs = qs.order_by("-created_at", "-id").values(*ROW_FIELDS)[offset: offset + size]
    return Prepared(qs, district=_DISTRICT, ids=_stand_ins("id", ids), codes=_stand_ins("code", codes),
                    start=_START, end=_END, states=_stand_ins("state", states))


def _rows(plan: Prepared, **values) -> list[dict]:
    return [dict(zip(ROW_FIELDS, row, strict=True)) for row in plan.rows(connection, **values)]


def requests_for(key, query: RequestQuery) -> list[dict]:
    """One page of the key's district's cases as plain rows (newest first), each with its latest public reply
    (`reply`). Two statements: the cases (through the (district, created_at) index), the page's replies."""
    ids = list(query.ids)
    codes = [] if ids else list(query.service_codes)
    start = None if ids else query.start
    end = None if ids else query.end
    states = []
    if not ids and query.statuses and len(set(query.statuses)) < 2:
        states = list(OPEN_STATES if query.statuses[0] == Status.OPEN else CLOSED_STATES)
    offset = (query.page - 1) * query.page_size
    shape = (len(ids), len(codes), start is not None, end is not None, len(states), offset, query.page_size)
    plan = _PLANS.get(connection, ("open311-list", *shape), lambda: _list_plan(*shape))
    return _with_replies(_rows(plan, district=key.district_id, ids=ids, codes=codes, start=start, end=end,
                               states=states))


def request_get(key, code: str) -> dict:
    """The case with tracking code `code` of the key's district, as a row; NOT_FOUND otherwise (also another
    district's: the same answer as a missing one)."""
    rows = list(_cases_of(key).filter(tracking_code=code).values(*ROW_FIELDS)[:1]) if len(code) <= 20 else []
    if not rows:
        raise not_found()
    return _with_replies(rows)[0]


def _replies_plan(n: int) -> Prepared:
    ids = list(range(-n - 1, -1))
    qs = (Reply.objects.filter(case_id__in=ids, unreachable=False).exclude(content="")
          .order_by("case_id", "-at", "-id").values_list("case_id", "content"))
    return Prepared(qs, ids=ids)


def _with_replies(rows: list[dict]) -> list[dict]:
    """Each row with `reply`: the latest reply the reporter was given (not "unreachable", not empty), or ""."""
    if not rows:
        return rows
    latest: dict[int, str] = {}
    case_ids = [r["id"] for r in rows]
    plan = _PLANS.get(connection, ("open311-replies", len(case_ids)), lambda: _replies_plan(len(case_ids)))
    for case_id, content in plan.rows(connection, ids=case_ids):
        latest.setdefault(case_id, content)
    for row in rows:
        row["reply"] = latest.get(row["id"], "")
    return rows
