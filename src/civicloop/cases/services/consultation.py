"""Consultation (会商, the "2+1" platform): meetings, agenda of escalated cases, decisions, minutes."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.workdays.calendar import END_OF_DAY, SHANGHAI, WorkCalendar

from ..changes import dispatch_changes
from ..constants import Action, CaseState, MeetingState
from ..error_codes import CaseErrorCode
from ..models import AgendaItem, Decision, Meeting
from ..permissions import is_system, may_convene, meetings_visible_q
from ._core import apply, load_for_update, now, require_text
from .intake import units_for_dispatch


def _check_convener(actor, district_id: int) -> None:
    """Consultation work: the district's district-level dispatchers (`permissions.may_convene`)."""
    if not may_convene(actor, district_id):
        raise CivicError(ErrorCode.FORBIDDEN)


def _meeting(actor, meeting_id: int) -> Meeting:
    """The meeting, locked, for a write: NOT_FOUND if missing or not the actor's to see (so ids cannot be
    probed), FORBIDDEN if they may see it but not convene."""
    meeting = Meeting.objects.select_for_update().filter(meetings_visible_q(actor), pk=meeting_id).first()
    if meeting is None:
        raise not_found()
    _check_convener(actor, meeting.district_id)
    return meeting


@transaction.atomic
def meeting_create(*, actor, body_unit_id: int, date: dt.date, title: str) -> Meeting:
    body = Unit.objects.filter(pk=body_unit_id, kind=UnitKind.CONSULTATION_BODY, active=True).first()
    if body is None:
        raise CivicError(CaseErrorCode.CONSULTATION_INVALID, _("会商机构无效。"))
    _check_convener(actor, body.district_id)
    return Meeting.objects.create(district_id=body.district_id, body=body, date=date,
                                  title=require_text(title, _("议题")), created_by=None if is_system(actor) else actor)


@transaction.atomic
def meeting_agenda_add(*, actor, meeting_id: int, case_id: int) -> AgendaItem:
    """Put an escalated case on a planned meeting's agenda."""
    meeting = _meeting(actor, meeting_id)
    case = load_for_update(actor, case_id)
    if meeting.state != MeetingState.PLANNED or case.state != CaseState.ESCALATED or case.district_id != meeting.district_id:
        raise CivicError(CaseErrorCode.CONSULTATION_INVALID, _("只有已升级的工单可以列入待召开会议的议程。"))
    item, _created = AgendaItem.objects.get_or_create(
        meeting=meeting, case=case, defaults={"district_id": meeting.district_id, "position": meeting.items.count() + 1})
    return item


@transaction.atomic
def meeting_decide(*, actor, item_id: int, lead_unit_id: int, measures: str, deadline: dt.date | dt.datetime,
                   co_unit_ids=()) -> Decision:
    """Decide an agenda item: lead unit, co-units, measures, deadline — and re-dispatch the case accordingly."""
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    if item is None:
        raise not_found()
    meeting = _meeting(actor, item.meeting_id)
    if hasattr(item, "decision"):
        raise CivicError(CaseErrorCode.CONSULTATION_INVALID, _("该议题已有决定。"))
    measures = require_text(measures, _("措施"))
    case = load_for_update(actor, item.case_id)
    lead, co = units_for_dispatch(actor, case.district_id, lead_unit_id, co_unit_ids)
    if not isinstance(deadline, dt.datetime):
        deadline = dt.datetime.combine(deadline, END_OF_DAY, tzinfo=SHANGHAI)
    at = now()
    if deadline <= at:
        raise CivicError(ErrorCode.INVALID, _("办理期限应晚于当前时间。"))
    calendar = WorkCalendar()
    days = max(1, calendar.working_days_between(timezone.localdate(at), deadline.astimezone(SHANGHAI).date()))
    apply(actor, case, Action.DECIDE, at=at, co_unit_ids=co, permission=False,
          note=_("会商决定（%(meeting)s）：%(measures)s") % {"meeting": meeting.title, "measures": measures},
          changes=dispatch_changes(at=at, deadline=deadline, lead_unit_id=lead.pk,
                                   dispatching_unit_id=meeting.body_id, time_limit_days=days, calendar=calendar))
    return Decision.objects.create(district_id=meeting.district_id, item=item, lead_unit=lead, co_unit_ids=co,
                                   measures=measures, deadline=deadline, decided_at=at,
                                   decided_by=None if is_system(actor) else actor)


def minutes_text(meeting: Meeting) -> str:
    """The minutes: body, date, title, then one paragraph per agenda item with its decision."""
    lines = [_("%(body)s会商会议纪要") % {"body": meeting.body.name}, _("会议日期：%(date)s") % {"date": meeting.date},
             _("议题：%(title)s") % {"title": meeting.title}, ""]
    items = meeting.items.select_related("case", "decision", "decision__lead_unit").order_by("position", "pk")
    for n, item in enumerate(items, start=1):
        lines.append(f"{n}. {item.case.tracking_code} {item.case.description[:80]}")
        decision = getattr(item, "decision", None)
        if decision is None:
            lines.append("   " + _("未作决定。"))
            continue
        co = ", ".join(Unit.objects.filter(pk__in=decision.co_unit_ids).order_by("code").values_list("name", flat=True))
        lines.append("   " + _("牵头单位：%(lead)s") % {"lead": decision.lead_unit.name})
        if co:
            lines.append("   " + _("协办单位：%(co)s") % {"co": co})
        lines.append("   " + _("措施：%(m)s") % {"m": decision.measures})
        lines.append("   " + _("办理期限：%(d)s") % {"d": timezone.localtime(decision.deadline).strftime("%Y-%m-%d")})
    return "\n".join(lines)


@transaction.atomic
def meeting_minutes_generate(*, actor, meeting_id: int) -> Meeting:
    """Generate and store the minutes; the meeting counts as held."""
    meeting = _meeting(actor, meeting_id)
    meeting.minutes = minutes_text(meeting)
    meeting.state = MeetingState.HELD
    meeting.save(update_fields=["minutes", "state"])
    return meeting
