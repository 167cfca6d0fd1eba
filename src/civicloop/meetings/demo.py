"""Demo step: last month's work meetings (工作例会) of the demo district and two of its streets (天平路 and 徐家汇,
their dispatchers `tpl_dispatcher` and `xjh_dispatcher`), after the plans' step — made through the services, as
the people who keep them (the district's by `xh_admin`, chaired by `xh_leader`):

- each scope meets on the first and the third Monday of last month; each pack is built as of that morning (its
  sources then: late and at-risk milestones, red supervised cases, cases waiting for consultation, the first
  meeting's open decisions on the second's agenda), held, minuted item by item and closed;
- decisions: each meeting assigns the owners of its first `TASKS_PER_MEETING` late milestones a task on the
  milestone's plan (when plans lets the keeper add to it), raises one case (channel "meeting") in a street of its
  scope, and the first meeting re-dispatches the scope's oldest returned case to a department;
- what came of them: every other task decision of the first meetings is reported done (plans' `report_create`,
  100 %) before the second meeting, so the second pack shows some decisions done and carries the others on.

Deterministic: no randomness — items and cases are taken in their order (due date, id), phrases by position.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from django.utils.translation import gettext as _

from civicloop.cases.constants import CaseState
from civicloop.cases.demo import case_clock, cases_end
from civicloop.cases.models import Case, CaseEvent
from civicloop.cases.selectors import CaseFilters, case_list_for
from civicloop.core.errors import CivicError
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit, User
from civicloop.workdays.calendar import SHANGHAI

from .constants import DecisionKind, ItemSource
from .models import AgendaItem, Decision, Meeting
from .services import decision_record, item_minutes_record, meeting_close, meeting_create, meeting_hold

TASKS_PER_MEETING = 3
STREET_KEEPERS = ("tpl_dispatcher", "xjh_dispatcher")
MINUTES = {
    ItemSource.MILESTONE: ["责任单位汇报滞后原因：前期征询意见分歧较大，已约谈相关居民。会议要求倒排工期、挂图作战。",
                           "责任单位说明资金已到位，施工队伍本周进场。会议要求每周报送进度。",
                           "节点滞后主要因审批环节较多，会议明确由区级部门协调加快审批。"],
    ItemSource.RED_CASE: ["承办单位说明超期原因，承诺本周内办结并回复诉求人。",
                          "督办后仍未办结，会议要求分管领导牵头现场协调。"],
    ItemSource.CONSULTATION: ["涉及多个部门职责，会议建议提交“2+1”会商平台研究。"],
    ItemSource.DECISION: ["听取上次例会决定落实情况，尚未完成的继续跟踪。"],
}
CASE_DECISIONS = ["对辖区沿街违规设摊开展专项整治，形成长效管理机制",
                  "排查老旧小区楼道堆物和电瓶车违规充电，一周内完成清理",
                  "对背街小巷破损路面开展集中修复"]


def _mondays(end: dt.datetime) -> list[dt.date]:
    """The first and third Monday of the month before `end`'s."""
    first_this = end.astimezone(SHANGHAI).date().replace(day=1)
    first_last = (first_this - dt.timedelta(days=1)).replace(day=1)
    monday = first_last + dt.timedelta(days=(7 - first_last.weekday()) % 7)
    return [monday, monday + dt.timedelta(days=14)]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def generate_meetings(ctx) -> None:
    """The demo step (`MeetingsConfig.demo_steps`)."""
    end = ctx.extra.get("cases_end") or cases_end()
    users = {u.username: u for u in User.objects.filter(district=ctx.district, username__in=(
        "xh_admin", "xh_leader", *STREET_KEEPERS))}
    admin = users.get("xh_admin")
    if admin is None:
        return
    departments = list(Unit.objects.filter(district=ctx.district, kind=UnitKind.DEPARTMENT, active=True)
                       .order_by("code"))
    scopes = [(None, admin, users.get("xh_leader"), _("区城市更新和文明创建工作例会"))]
    for login in STREET_KEEPERS:
        keeper = users.get(login)
        if keeper is not None and keeper.unit_id and keeper.unit.territory_id:
            scopes.append((keeper.unit.territory, keeper, None, _("%(street)s工作例会") % {
                "street": keeper.unit.territory.name}))
    made = {"meeting": 0, "item": 0, "decision": 0, "done": 0}
    # the cases and events its decisions write through the cases services, counted with the demo's own
    cases_before = Case.objects.filter(district=ctx.district).count()
    events_before = CaseEvent.objects.filter(district=ctx.district).count()
    streets = sorted(ctx.streets, key=lambda s: s.code)
    for n, (street, keeper, chair, name) in enumerate(scopes):
        first_tasks = []
        for round_, day in enumerate(_mondays(end)):
            meeting = meeting_create(actor=keeper, title=f"{name}（{day.month}月{day.day}日）", date=day,
                                     street_id=street.pk if street else None, chair_id=chair.pk if chair else None,
                                     now=_at(day, 9))
            meeting_hold(actor=keeper, meeting_id=meeting.pk, at=_at(day, 9))
            items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
            _minutes(keeper, items, day)
            tasks = _task_decisions(keeper, meeting, items, day)
            place = street or streets[n % len(streets)]
            _try(decision_record, actor=keeper, meeting_id=meeting.pk, kind=DecisionKind.CASE,
                 text=CASE_DECISIONS[(n + round_) % len(CASE_DECISIONS)], place_id=place.pk, at=_at(day, 11))
            if round_ == 0:
                _redispatch(keeper, meeting, street, departments, day)
                first_tasks = tasks
                made["done"] += _report_done(admin, first_tasks[::2], day + dt.timedelta(days=7))
            meeting_close(actor=keeper, meeting_id=meeting.pk, at=_at(day, 17))
            made["meeting"] += 1
            made["item"] += len(items)
    made["decision"] = Decision.objects.filter(district=ctx.district).count()
    ctx.stats.add("meetings.meeting", made["meeting"])
    ctx.stats.add("meetings.agenda_item", made["item"])
    ctx.stats.add("meetings.decision", made["decision"])
    ctx.stats.add("cases.case", Case.objects.filter(district=ctx.district).count() - cases_before)
    ctx.stats.add("cases.case_event", CaseEvent.objects.filter(district=ctx.district).count() - events_before)
    ctx.log(f"  meetings: {made['meeting']} meetings, {made['item']} agenda items, {made['decision']} decisions "
            f"({made['done']} tasks done)")


def _try(service, **kwargs):
    """A decision the owning app refuses (a plan not the keeper's, a case moved on) is left out of the demo. The
    cases services write the decision's moment (`at`: the meeting's day), not the generator's (`case_clock`)."""
    try:
        with case_clock(kwargs["at"]) if "at" in kwargs else nullcontext():
            return service(**kwargs)
    except CivicError:
        return None


def _minutes(keeper, items, day: dt.date) -> None:
    count: dict[str, int] = {}
    for item in items:
        phrases = MINUTES.get(item.source)
        if not phrases or count.get(item.source, 0) >= 3:
            continue
        k = count[item.source] = count.get(item.source, 0) + 1
        item_minutes_record(actor=keeper, item_id=item.pk, minutes=phrases[(k - 1) % len(phrases)], at=_at(day, 10))


def _task_decisions(keeper, meeting: Meeting, items, day: dt.date) -> list[int]:
    """A task for the owner of each of the first late milestones no earlier meeting assigned, on its plan."""
    from civicloop.plans.selectors import plans_open_for

    open_plans = {p.id for p in plans_open_for(keeper)}
    assigned = set(Decision.objects.filter(meeting__district_id=meeting.district_id, meeting__street=meeting.street_id,
                                           item__source=ItemSource.MILESTONE).values_list("item__ref_id", flat=True))
    tasks = []
    for item in [i for i in items if i.source == ItemSource.MILESTONE and i.ref_id not in assigned][:TASKS_PER_MEETING]:
        plan_id, unit_id = item.detail.get("plan_id"), item.detail.get("owner_unit_id")
        if plan_id not in open_plans or unit_id is None:
            continue
        due = day + dt.timedelta(days=21)
        recorded = _try(
            decision_record, actor=keeper, meeting_id=meeting.pk, item_id=item.pk, kind=DecisionKind.TASK,
            plan_id=plan_id, owner_unit_id=unit_id, due=due, at=_at(day, 11),
            text=_("%(unit)s于%(due)s前完成“%(title)s”，下次例会报告进展") % {
                "unit": item.unit_name, "due": f"{due.month}月{due.day}日", "title": item.title})
        if recorded is not None:
            tasks.append(recorded.decision.task_id)
    return tasks


def _redispatch(keeper, meeting: Meeting, street, departments, day: dt.date) -> None:
    """The scope's oldest returned case, re-dispatched to a department other than the one that returned it."""
    case = (case_list_for(keeper, CaseFilters(state=CaseState.RETURNED, street_id=street.pk if street else None))
            .filter(district_id=meeting.district_id).order_by("pk").first())
    if case is None or not departments:
        return
    lead = next((u for u in departments if u.pk != case.lead_unit_id), departments[0])
    _try(decision_record, actor=keeper, meeting_id=meeting.pk, kind=DecisionKind.REDISPATCH, case_id=case.pk,
         lead_unit_id=lead.pk, time_limit_days=10, expected_version=case.version, at=_at(day, 11),
         text=_("经会议研究，改由%(unit)s牵头办理%(code)s") % {"unit": lead.name, "code": case.tracking_code})


def _report_done(actor, task_ids: list[int], on: dt.date) -> int:
    from civicloop.plans.services import report_create

    done = 0
    for task_id in task_ids:
        if _try(report_create, actor=actor, task_id=task_id, percent=100, text=_("已按例会要求完成。"),
                on=on) is not None:
            done += 1
    return done


def delete_meetings(district) -> None:
    """The reset step (`MeetingsConfig.demo_reset_steps`): every meetings row of `district`, before plans' and the
    cases' (decisions point at cases)."""
    Decision.objects.filter(district=district).delete()
    AgendaItem.objects.filter(district=district).delete()
    Meeting.objects.filter(district=district).update(previous=None)
    Meeting.objects.filter(district=district).delete()
