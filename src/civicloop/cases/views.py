"""Staff pages of the closed loop: my inbox, the case page, registration, consultation, notifications.

Thin handlers: parse, one service or selector, render. A CivicError raised here is shown once by
core.middleware (in #messages for htmx requests). Action forms post via htmx with `expected_version`; on
success the page reloads (HX-Refresh), so the timeline and the allowed actions are always fresh.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicloop.core import registry
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.pages import done, form_validated
from civicloop.places.selectors import place_get_for, place_list_for

from . import selectors, services
from .actions import ACTION_SCHEMAS, ACTION_SERVICES, AgendaIn, DecideIn, MeetingIn
from .constants import Action, AppealType, Channel, TimeState
from .forms import CONFIRM, RegisterForm, action_fields, community_places, primary_action, unit_choices
from .inbox import SECTION_LABELS, inbox_for
from .models import Meeting
from .permissions import is_visible, may_convene, may_register, may_see_meetings


def _form_data(request, schema) -> dict:
    data = {}
    for name in schema.model_fields:
        if name.endswith("_ids"):
            data[name] = [v for v in request.POST.getlist(name) if v]
        elif request.POST.get(name, "") != "":
            data[name] = request.POST[name]
    return data


@login_required
def inbox(request):
    sections = inbox_for(request.user)
    unread = sections.pop("unread_notifications")
    filters = selectors.CaseFilters(open_only=True, channel=request.GET.get("channel") or None,
                                    appeal_type=request.GET.get("appeal_type") or None,
                                    time_state=request.GET.get("time_state") or None,
                                    text=(request.GET.get("q") or "")[:100] or None)
    page = Paginator(selectors.case_list_for(request.user, filters), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.cases_shown(request.user, page.object_list)
    context = {
        "sections": [{"key": k, "label": SECTION_LABELS.get(k, k), **v} for k, v in sections.items()],
        "unread": unread, "page": page, "channels": Channel.choices, "appeal_types": AppealType.choices,
        "time_states": [c for c in TimeState.choices if c[0] != TimeState.NONE], "q": request.GET,
        # the buttons the services' own rules would honour (nothing offered that fails or shows an empty page)
        "may_register": may_register(request.user),
        "may_see_meetings": may_see_meetings(request.user, request.user.district_id),
    }
    template = "cases/_case_list.html" if request.headers.get("HX-Target") == "case-list" else "cases/inbox.html"
    return render(request, template, context)


@login_required
def case_page(request, key: str):
    detail = selectors.case_detail(request.user, key)
    case = detail["case"]
    allowed = detail["allowed_actions"]
    primary = primary_action(case.state, allowed)
    extension = selectors.pending_extension_preview(request.user, case) if {
        Action.APPROVE_EXTENSION, Action.DENY_EXTENSION} & set(allowed) else None
    forms = [{"action": a, "label": Action(a).label, "fields": action_fields(a, case, request.user),
              "confirm": CONFIRM.get(a, ""), "primary": a == primary,
              "extension": extension if a in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION) else None}
             for a in allowed if a in ACTION_SCHEMAS]
    detail["primary_form"] = next((f for f in forms if f["primary"]), None)
    detail["forms"] = [f for f in forms if not f["primary"]]
    # 会商决定 is taken on the meeting page (an agenda item), not by a form here
    detail["decide"] = Action.DECIDE in allowed
    detail["panels"] = registry.record_panels(request, case)  # other apps' about this case (where it was raised …)
    return render(request, "cases/case.html", detail)


@login_required
def merge_preview(request, pk: int):
    """The merge form's preview (htmx GET): the target named by tracking code or id, if the case may be merged
    into it (`preconditions.merge_targets_q`), else a line saying it cannot."""
    target = selectors.merge_target_preview(request.user, pk, request.GET.get("into_case_id", ""))
    return render(request, "cases/_merge_preview.html", {"target": target, "asked": request.GET.get("into_case_id", "")})


@login_required
@require_POST
def reporter_unmask(request, pk: int):
    reporter = services.case_reporter_reveal(actor=request.user, case_id=pk, reason_code=request.POST.get("reason_code", ""),
                                             reason=request.POST.get("reason", ""))
    return render(request, "cases/_reporter.html", {"reporter": reporter, "may_unmask": False, "unmasked": True})


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    schema = ACTION_SCHEMAS.get(action)
    if schema is None:
        raise not_found()
    payload = form_validated(schema, _form_data(request, schema))
    case = selectors.case_get_for(request.user, pk)
    case_url = reverse("cases:case", args=[case.tracking_code])
    try:
        ACTION_SERVICES[action](actor=request.user, case_id=pk, **payload.dict())
    except CivicError as exc:
        if exc.code != ErrorCode.CONFLICT:
            raise
        # a stale tab: the case as it is now, with the message, instead of an error over an outdated page
        return done(request, case_url, exc.message, level=messages.WARNING)
    finished = _("已完成：%(action)s") % {"action": Action(action).label}
    if not is_visible(request.user, case):  # as the database holds it now (permissions.is_visible)
        # the step took the case out of sight (a department returning it): the inbox says so, not "not found"
        return done(request, reverse("cases:inbox"), _("%(done)s。该工单已离开您的办理范围。") % {"done": finished})
    return done(request, case_url, finished)


def _communities(user):
    return community_places(place_list_for(user))


@login_required
def register(request):
    communities = list(_communities(request.user))
    # a committee's worker registers in their own community: it starts chosen
    initial = {"community": communities[0].code} if len(communities) == 1 else {}
    form = RegisterForm(request.POST or None, communities=communities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("place_code") or data.pop("community")
        data.pop("community", None)
        place_id = place_get_for(request.user, code).pk if code else None
        case = services.case_register(actor=request.user, place_id=place_id, **data)
        return done(request, reverse("cases:case", args=[case.tracking_code]),
                     _("已登记工单 %(code)s。") % {"code": case.tracking_code})
    return render(request, "cases/register.html", {"form": form})


@login_required
def notifications(request):
    qs = selectors.notifications_for(request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.notifications_shown(request.user, page.object_list)
    return render(request, "cases/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    services.notification_mark_read(actor=request.user, notification_id=pk)
    return done(request, reverse("cases:notifications"), _("已标记为已读。"))


@login_required
def meetings(request):
    if request.method == "POST":
        payload = form_validated(MeetingIn, _form_data(request, MeetingIn))
        meeting = services.meeting_create(actor=request.user, **payload.dict())
        return done(request, reverse("cases:meeting", args=[meeting.pk]), _("已创建会商会议。"))
    from civicloop.orgs.constants import UnitKind
    from civicloop.orgs.models import Unit


    user = request.user
    # the form only for those the service lets convene (permissions.may_convene)
    bodies = Unit.objects.filter(kind=UnitKind.CONSULTATION_BODY, district_id=user.district_id, active=True) \
        if may_convene(user, user.district_id) else Unit.objects.none()
    return render(request, "cases/meetings.html", {"meetings": selectors.meetings_for(user)[:200], "bodies": bodies})


@login_required
def meeting_page(request, pk: int):
    meeting: Meeting = selectors.meeting_get_for(request.user, pk)
    items = selectors.meeting_agenda_for(request.user, meeting)
    meeting = selectors.meeting_shown(request.user, meeting, items)
    # the agenda, decision and minutes forms only for those the services let act (permissions.may_convene)
    convener = may_convene(request.user, meeting.district_id)
    escalated = selectors.cases_shown(request.user, selectors.case_list_for(
        request.user, selectors.CaseFilters(state="escalated"))[:100]) if convener else []
    return render(request, "cases/meeting.html", {
        "meeting": meeting, "items": items, "escalated": escalated,
        "units": unit_choices(meeting.district_id, request.user) if convener else [], "may_convene": convener})


@login_required
@require_POST
def meeting_agenda(request, pk: int):
    payload = form_validated(AgendaIn, _form_data(request, AgendaIn))
    services.meeting_agenda_add(actor=request.user, meeting_id=pk, case_id=payload.case_id)
    return done(request, reverse("cases:meeting", args=[pk]), _("已列入议程。"))


@login_required
@require_POST
def agenda_decide(request, pk: int):
    payload = form_validated(DecideIn, _form_data(request, DecideIn))
    decision = services.meeting_decide(actor=request.user, item_id=pk, **payload.dict())
    return done(request, reverse("cases:meeting", args=[decision.item.meeting_id]), _("已记录会商决定。"))


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    services.meeting_minutes_generate(actor=request.user, meeting_id=pk)
    return done(request, reverse("cases:meeting", args=[pk]), _("已生成会议纪要。"))
