"""Reads of the open311 app. Services (our categories) are public reference data; requests are read with an API
key and bounded to its district — the key is the actor here (a key of another district answers "not found")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from civicloop.cases.models import Case, Category, Reply
from civicloop.core.errors import CivicError, not_found

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


def requests_for(key, query: RequestQuery) -> list[dict]:
    """One page of the key's district's cases as plain rows (newest first), each with its latest public reply
    (`reply`). Two statements: the cases (through the (district, created_at) index), the page's replies."""
    qs = _cases_of(key)
    if query.ids:
        qs = qs.filter(tracking_code__in=query.ids)
    else:
        if query.service_codes:
            qs = qs.filter(category__code__in=query.service_codes)
        if query.start is not None:
            qs = qs.filter(created_at__gte=query.start)
        if query.end is not None:
            qs = qs.filter(created_at__lt=query.end)
        states = [s for status in set(query.statuses)
                  for s in (OPEN_STATES if status == Status.OPEN else CLOSED_STATES)]
        if query.statuses and len(set(query.statuses)) < 2:
            qs = qs.filter(state__in=states)
    offset = (query.page - 1) * query.page_size
    rows = list(qs.order_by("-created_at", "-id").values(*ROW_FIELDS)[offset: offset + query.page_size])
    return _with_replies(rows)


def request_get(key, code: str) -> dict:
    """The case with tracking code `code` of the key's district, as a row; NOT_FOUND otherwise (also another
    district's: the same answer as a missing one)."""
    rows = list(_cases_of(key).filter(tracking_code=code).values(*ROW_FIELDS)[:1]) if len(code) <= 20 else []
    if not rows:
        raise not_found()
    return _with_replies(rows)[0]


def _with_replies(rows: list[dict]) -> list[dict]:
    """Each row with `reply`: the latest reply the reporter was given (not "unreachable", not empty), or ""."""
    if not rows:
        return rows
    latest: dict[int, str] = {}
    replies = (Reply.objects.filter(case_id__in=[r["id"] for r in rows], unreachable=False).exclude(content="")
               .order_by("case_id", "-at", "-id").values_list("case_id", "content"))
    for case_id, content in replies:
        latest.setdefault(case_id, content)
    for row in rows:
        row["reply"] = latest.get(row["id"], "")
    return rows
