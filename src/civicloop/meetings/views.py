"""The meetings pages: the list (and a new meeting), the pack (printable; minutes and decisions entered with htmx),
the decisions and what came of them. They call selectors and services, never api.py; a form is offered only
where the service's own predicate says it can succeed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.cases.constants import Action
from civicloop.cases.permissions import dispatch_targets_q, may_register
from civicloop.cases.preconditions import can
from civicloop.cases.selectors import cases_visible_to
from civicloop.core.errors import not_found
from civicloop.core.pages import done, form_validated
from civicloop.core.pages import form_fields as _form
from civicloop.core.pages import page_pk as _pk
from civicloop.orgs.selectors import staff_list_for, unit_list_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.selectors import place_list_for

from . import permissions as perms
from . import selectors
from . import services as s
from .constants import DecisionKind, ItemSource, MeetingState
from .inputs import AgendaItemIn, ItemMinutesIn, MeetingDecisionIn, WorkMeetingIn


@login_required
def meeting_list(request):
    """The meetings the viewer may read, and (keepers) the form of a new one."""
    user = request.user
    if request.method == "POST":
        payload = form_validated(WorkMeetingIn, _form(request, "title", "date", "street_id", "chair_id"))
        meeting = s.meeting_create(actor=user, **payload.dict())
        return done(request, reverse("meetings:meeting", args=[meeting.pk]), _("已生成例会材料。"))
    convene = perms.may_convene(user)
    own = perms.own_street(user)
    streets = []
    if convene:
        streets = place_list_for(user).filter(level=PlaceLevel.STREET).order_by("code")
        if own is not None:
            streets = streets.filter(pk=own)
    return render(request, "meetings/list.html", {
        "meetings": selectors.meeting_list_for(user)[:200], "may_convene": convene, "streets": streets,
        "district_allowed": convene and own is None,
        "chairs": _chairs(user) if convene else [],
    })


def _chairs(user) -> list:
    """Who is offered as the chair: the leaders first, then the district's and the streets' offices' staff — not
    every committee worker and handler of the district (the service accepts any active account of it)."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from civicloop.orgs.constants import Role, UnitKind

    leader = Q(role_rows__role=Role.LEADER)
    office = Q(unit__kind__in=[UnitKind.DISTRICT_OFFICE, UnitKind.RESEARCH_OFFICE, UnitKind.STREET_OFFICE])
    rows = (staff_list_for(user).filter(leader | office).select_related("unit")
            .annotate(first=Case(When(leader, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by("first", "unit__code", "username"))
    seen, chairs = set(), []
    for u in rows[:400]:  # a leader with two roles comes twice from the join
        if u.pk not in seen:
            seen.add(u.pk)
            chairs.append(u)
    return chairs


def _offers(user, meeting, pack: dict) -> dict:
    """The decision forms this keeper may submit with success: a task where plans lets them add one, a case where
    cases lets them register, a re-dispatch of an item's case where the table and rules allow `dispatch` now."""
    from civicloop.plans.selectors import plans_open_for

    plans = list(plans_open_for(user))
    case_ids = [i.ref_id for i in pack["items"] if i.source in (ItemSource.RED_CASE, ItemSource.CONSULTATION)]
    dispatchable = {}
    if case_ids:
        for case in cases_visible_to(user).filter(pk__in=case_ids):
            if can(user, case, Action.DISPATCH):
                dispatchable[case.pk] = case.version
    units = list(unit_list_for(user, active_only=True).filter(district_id=meeting.district_id))
    return {"plans": plans, "units": units,
            "lead_units": list(unit_list_for(user, active_only=True).filter(dispatch_targets_q(user),
                                                                            district_id=meeting.district_id)),
            "may_case": may_register(user, district_id=meeting.district_id), "dispatchable": dispatchable}


def _pack_context(request, pk: int) -> dict:
    user = request.user
    pack = selectors.meeting_pack_for(user, _pk(pk))
    meeting = pack["meeting"]
    keeper = perms.may_keep_meeting(user, meeting)
    records = keeper and perms.records_open(meeting)
    context = {**pack, "keeper": keeper, "records": records,
               "may_build": keeper and perms.pack_may_build(meeting), "may_hold": keeper and perms.may_hold(meeting),
               "may_close": keeper and perms.may_close(meeting),
               "may_add_item": keeper and perms.items_may_add(meeting),
               "kinds": DecisionKind.choices, "planned": meeting.state == MeetingState.PLANNED}
    if records:
        context.update(_offers(user, meeting, pack))
        for item in pack["items"]:  # the re-dispatch form, with the version shown, where dispatch can succeed
            item.case_version = context["dispatchable"].get(item.ref_id) if item.source in (
                ItemSource.RED_CASE, ItemSource.CONSULTATION) else None
    return context


@login_required
def meeting_page(request, pk: int):
    """The pack: printable (the browser's print, a print stylesheet), readable at phone width."""
    return render(request, "meetings/pack.html", _pack_context(request, pk))


ACTIONS = {
    "build": (s.meeting_pack_build, lambda: _("已重新生成例会材料。")),
    "hold": (s.meeting_hold, lambda: _("例会已召开：可以记录会议情况和决定。")),
    "close": (s.meeting_close, lambda: _("会议纪要已定稿。")),
}


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise not_found()
    service, text = ACTIONS[action]
    service(actor=request.user, meeting_id=_pk(pk))
    return done(request, reverse("meetings:meeting", args=[pk]), text())


@login_required
@require_POST
def item_add(request, pk: int):
    payload = form_validated(AgendaItemIn, _form(request, "title"))
    item = s.item_add(actor=request.user, meeting_id=_pk(pk), **payload.dict())
    return done(request, reverse("meetings:meeting", args=[pk]), _("已添加议题。"), anchor=f"#item-{item.pk}")


@login_required
@require_POST
def item_minutes(request, pk: int):
    """Save an item's minutes; htmx swaps the item in place."""
    payload = form_validated(ItemMinutesIn, {"minutes": request.POST.get("minutes", "")})
    item = s.item_minutes_record(actor=request.user, item_id=_pk(pk), **payload.dict())
    if not request.headers.get("HX-Request"):
        return done(request, reverse("meetings:meeting", args=[item.meeting_id]), _("已保存会议记录。"),
                    anchor=f"#item-{item.pk}")
    context = _pack_context(request, item.meeting_id)
    shown = next(i for i in context["items"] if i.pk == item.pk)
    return render(request, "meetings/_item.html", {**context, "item": shown, "saved": True})


@login_required
@require_POST
def decide(request, pk: int):
    data = _form(request, "kind", "text", "item_id", "plan_id", "owner_unit_id", "due", "place_id", "case_id",
                 "lead_unit_id", "time_limit_days", "expected_version")
    data["co_unit_ids"] = [v for v in request.POST.getlist("co_unit_ids") if v]
    payload = form_validated(MeetingDecisionIn, data)
    recorded = s.decision_record(actor=request.user, meeting_id=_pk(pk), **payload.dict())
    text = _("已记录决定。") if recorded.created else _("该决定已经记录过，未重复办理。")
    anchor = f"#item-{recorded.decision.item_id}" if recorded.decision.item_id else "#decisions"
    return done(request, reverse("meetings:meeting", args=[pk]), text, anchor=anchor)


@login_required
def decisions(request, pk: int):
    """A meeting's decisions and what came of each (the task's status and progress, the case's state)."""
    meeting, rows = selectors.decisions_for(request.user, _pk(pk))
    return render(request, "meetings/decisions.html", {"meeting": meeting, "rows": rows})
