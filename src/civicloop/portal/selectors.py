"""What the public may read. Nobody signs in, so there is no actor's scope: each read here names what is public
by nature — the district's streets, communities and compounds (names, not households), the active categories —
or, for a case, only a case reported through the portal, and of it only the public timeline (`public_status`):
steps in public words, the lead unit's name (never a person), the answer given to the reporter with any phone or
ID number in it masked, no internal note, no reporter data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext

from civicloop.cases.constants import Action, CaseState
from civicloop.cases.models import Case, CaseEvent, Category, Reply
from civicloop.core.errors import not_found
from civicloop.core.masking import mask_free_text
from civicloop.core.sql import Columns
from civicloop.files.selectors import attachments_by_key
from civicloop.orgs.models import Unit
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place
from civicloop.places.outlines import district_outline

from .constants import PUBLIC_ANSWERS, PUBLIC_STEPS
from .models import PortalReport

PICKER_LEVELS = (PlaceLevel.STREET, PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND)
CHILD_LEVEL = {PlaceLevel.DISTRICT: PlaceLevel.STREET, PlaceLevel.STREET: PlaceLevel.COMMUNITY,
               PlaceLevel.COMMUNITY: PlaceLevel.COMPOUND}


def portal_districts() -> list[Place]:
    return list(Place.objects.filter(level=PlaceLevel.DISTRICT).only("pk", "code", "name", "lat", "lng"))


_PLACE = Columns(Place, None, "p")  # every column of a place, read by hand-written SQL (core.sql)


def _place_where(condition: str, params: list) -> Place | None:
    """The first place (by code) matching `condition` over alias `p` — one statement without an ORM compile: the
    portal's two reads of every report (core.sql, decision 30)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_PLACE.select(connection)} FROM {qn(Place._meta.db_table)} p WHERE {condition} "
                       f"ORDER BY p.{qn('code')} LIMIT 1", params)
        row = cursor.fetchone()
    return _PLACE.build(connection, row) if row is not None else None


def portal_district(code: str | None) -> Place:
    """The district a report goes to: the one named by `code`, else the first (most installations run one)."""
    if code:
        district = _place_where("p.level = %s AND p.code = %s", [PlaceLevel.DISTRICT.value, code])
    else:
        district = _place_where("p.level = %s", [PlaceLevel.DISTRICT.value])
    if district is None:
        raise not_found()
    return district


def place_children(district: Place, parent_code: str) -> list[Place]:
    """The streets of the district (`parent_code` the district's) or the communities of a street or compounds of
    a community of the district — the pickers' next list. A code elsewhere answers NOT_FOUND."""
    parent = Place.objects.filter(code=parent_code, level__in=(PlaceLevel.DISTRICT, *PICKER_LEVELS[:2])).first()
    if parent is None or (parent.pk != district.pk and parent.district_id != district.pk):
        raise not_found()
    return list(Place.objects.filter(parent=parent, level=CHILD_LEVEL[parent.level]).order_by("code")
                .only("code", "name"))


def picked_place(district: Place, code: str) -> Place:
    """A street, community or compound of the district by its code (else NOT_FOUND)."""
    place = _place_where("p.code = %s AND p.level IN (%s, %s, %s) AND p.district_id = %s",
                         [code, *(level.value for level in PICKER_LEVELS), district.pk])
    if place is None:
        raise not_found()
    return place


def category_keywords(code: str) -> str:
    """The plain words a resident may search a category by ("路灯" finds 道路设施损坏), from the Open311 catalogue
    when that app is installed (its `keywords`; one list for both ways in), else none."""
    try:
        from civicloop.open311.catalogue import extra_for
    except ImportError:
        return ""
    words = (w.strip() for w in str(extra_for(code).keywords).replace("，", ",").split(","))
    return pgettext("list separator", "、").join(w for w in words if w)


def category_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active categories as (group name, [(id, name with its plain words)]) in code order, for a select with a
    search box (civicloop.js `data-filter-select` matches the option's text). Read on every report (the form's
    choices): the rows in one hand-written statement, the groups built once per process for the same rows and
    language (a category renamed, added or deactivated is a new key)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, code, name, parent_id, active FROM {qn(Category._meta.db_table)} ORDER BY code")
        rows = tuple(tuple(r) for r in cursor.fetchall())
    return _groups_of(rows, get_language())


def category_ids() -> frozenset[int]:
    """The ids the report form offers (active categories of active groups)."""
    return frozenset(pk for _name, children in category_groups() for pk, _label in children)


@lru_cache(maxsize=16)
def _groups_of(rows: tuple, language: str | None) -> list[tuple[str, list[tuple[int, str]]]]:
    by_id = {r[0]: r for r in rows}
    groups: dict[int, tuple[str, list]] = {}
    for pk, code, name, parent_id, active in rows:
        if not active:
            continue
        if parent_id is None:
            groups.setdefault(pk, (name, []))
        elif by_id[parent_id][4]:
            words = category_keywords(code)
            groups.setdefault(parent_id, (by_id[parent_id][2], []))[1].append(
                (pk, gettext("%(name)s（%(words)s）") % {"name": name, "words": words} if words else name))
    return [(name, children) for name, children in groups.values() if children]


def outline_of(district: Place) -> dict | None:
    return district_outline(district)


@dataclass
class PublicStep:
    at: str
    text: str
    note: str = ""


@dataclass
class PublicStatus:
    """A portal case as the public may read it."""

    case: Case  # for the services and permissions only; templates read the fields below
    code: str
    received: str
    category: str
    state: str
    deadline: str
    appeal_type: str
    steps: list[PublicStep] = field(default_factory=list)


PUBLIC_STATE = {  # the public's words for where a case stands (fewer than the staff's states)
    CaseState.REGISTERED: CaseState.REGISTERED.label, CaseState.TRIAGED: CaseState.REGISTERED.label,
    CaseState.RETURNED: CaseState.REGISTERED.label, CaseState.ESCALATED: CaseState.ESCALATED.label,
}


def public_status(code: str) -> PublicStatus:
    """The public status of the portal case with tracking code `code`; NOT_FOUND for any other case (a code of
    the hotline or a visit is not the portal's to show) and for a code that is no code."""
    report = (PortalReport.objects.select_related("case", "case__category", "case__lead_unit")
              .filter(case__tracking_code=code.strip().upper()[:20]).first())
    if report is None:
        raise not_found()
    case = report.case
    events = list(CaseEvent.objects.filter(case=case).order_by("seq")
                  .only("seq", "at", "action", "after", "note", "actor_unit_id"))
    unit_ids = {e.after.get("lead_unit_id") for e in events if e.after} | {e.actor_unit_id for e in events}
    units = dict(Unit.objects.filter(pk__in=[u for u in unit_ids if u]).values_list("pk", "name"))
    answers = dict(Reply.objects.filter(case=case, unreachable=False).values_list("at", "content"))
    steps, lead = [], None
    for e in events:
        lead = (e.after or {}).get("lead_unit_id", lead)
        text = PUBLIC_STEPS.get(e.action)
        if text is None:
            continue
        unit = units.get(e.actor_unit_id if e.action in (Action.ACCEPT, Action.RESOLVE, Action.ADD_PROGRESS) else lead)
        if "{unit}" in str(text) and unit is None:
            unit = units.get(lead, "")
        steps.append(PublicStep(at=timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                                text=str(text).format(unit=unit or "—"),
                                note=mask_free_text(answers.get(e.at, "")) if e.action in PUBLIC_ANSWERS else ""))
    state = PUBLIC_STATE.get(case.state, CaseState(case.state).label)
    return PublicStatus(
        case=case, code=case.tracking_code, received=timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
        category=case.category.name if case.category_id else "", state=str(state),
        deadline=timezone.localtime(case.deadline).strftime("%Y-%m-%d") if case.deadline else "",
        appeal_type=str(case.get_appeal_type_display()), steps=steps)




def reporter_photos(case) -> list:
    """The files the report came with (its register event's refs, civicloop.files), for the reporter who proved
    it is them (the view asks `permissions.proved`; the file view asks again)."""
    refs = CaseEvent.objects.filter(case=case, action=Action.REGISTER).values_list("attachments", flat=True).first()
    keys = [ref.get("key") for ref in refs or [] if isinstance(ref, dict)]
    found = attachments_by_key(keys)
    return [found[k] for k in keys if k in found and found[k].uploaded_by_id is None]
