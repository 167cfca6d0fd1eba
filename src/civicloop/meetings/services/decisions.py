"""Minutes against agenda items, and decisions — each becomes exactly one thing, through the owning app's service:

- a task: `plans.services.task_create(..., source_kind="meeting_decision", source_id=decision.id)`;
- a case: `cases.services.case_register` with the channel "meeting" and the external id "MD<decision id>";
- a re-dispatch: `cases.services.case_dispatch` of an existing case (the table allows it from triaged, returned
  and reopened: `cases/transitions.py`).

The decision row and what it became are written in one transaction: a refusal by plans or cases (not found, not
the actor's, a state the table refuses) leaves neither. Recording is idempotent: the decision's `key` is a digest
of what was decided (item, kind, words, targets), unique per meeting, and the meeting row is locked first — the
same decision submitted twice (a double click, a retried request) answers the first, and makes nothing more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicloop.core.errors import CivicError, not_found
from civicloop.workdays.calendar import SHANGHAI

from ..constants import CASE_EXTERNAL_ID, TASK_SOURCE_KIND, DecisionKind, MeetingAuditAction
from ..error_codes import MeetingErrorCode
from ..models import AgendaItem, Decision
from ..permissions import records_open
from ._common import audit, meeting_for_write, text_required

TASK_TITLE_CHARS = 100


@transaction.atomic
def item_minutes_record(*, actor, item_id: int, minutes: str, at: dt.datetime | None = None) -> AgendaItem:
    """The minutes of an agenda item (replacing what was recorded before), while the meeting is held."""
    item = AgendaItem.objects.filter(pk=item_id).values("meeting_id").first()
    if item is None:
        raise not_found()
    meeting = meeting_for_write(actor, item["meeting_id"], state_ok=records_open)
    item = AgendaItem.objects.get(pk=item_id)
    item.minutes, item.minutes_by, item.minutes_at = (minutes or "").strip(), actor, at or timezone.now()
    item.save(update_fields=["minutes", "minutes_by", "minutes_at"])
    audit(actor, MeetingAuditAction.MINUTES, item, meeting=meeting.pk, chars=len(item.minutes))
    return item


@dataclass(frozen=True)
class Recorded:
    decision: Decision
    created: bool  # False: the same decision was recorded before (nothing new was made)


def _key(**what) -> str:
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _required(value, label):
    if value is None or value == "":
        raise CivicError(MeetingErrorCode.DECISION_INCOMPLETE, _("请填写%(field)s。"), field=label)
    return value


def _in_scope(meeting, case) -> bool:
    return case.district_id == meeting.district_id and meeting.street_id in (None, case.street_id)


@transaction.atomic
def decision_record(*, actor, meeting_id: int, kind: str, text: str, item_id: int | None = None,
                    plan_id: int | None = None, owner_unit_id: int | None = None, due: dt.date | None = None,
                    place_id: int | None = None, case_id: int | None = None, lead_unit_id: int | None = None,
                    co_unit_ids=(), time_limit_days: int | None = None,
                    expected_version: int | None = None, at: dt.datetime | None = None) -> Recorded:
    """Record a decision of a held meeting and make it into its task, case or re-dispatch (see the module).

    task: `plan_id`, `owner_unit_id`, `due` (plans checks the plan is the actor's to add to and the unit);
    case: `place_id` (default: the meeting's street); redispatch: `case_id`, `lead_unit_id`, `co_unit_ids`,
    `time_limit_days`, `expected_version` (the case's version the page showed)."""
    meeting = meeting_for_write(actor, meeting_id, state_ok=records_open)
    if kind not in DecisionKind.values:
        raise CivicError(MeetingErrorCode.DECISION_INCOMPLETE, _("决定类型无效。"))
    item = None
    if item_id is not None:
        item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
        if item is None:
            raise not_found()
    text = text_required(text, gettext_lazy("决定内容"))
    co_unit_ids = sorted(set(co_unit_ids or ()))
    if kind == DecisionKind.TASK:
        _required(plan_id, _("所属计划")), _required(owner_unit_id, _("责任单位")), _required(due, _("完成期限"))
        target = {"plan_id": plan_id, "owner_unit_id": owner_unit_id, "due": due}
    elif kind == DecisionKind.CASE:
        target = {"place_id": place_id}
    else:
        _required(case_id, _("工单")), _required(lead_unit_id, _("承办单位"))
        target = {"case_id": case_id, "lead_unit_id": lead_unit_id, "co_unit_ids": co_unit_ids,
                  "time_limit_days": time_limit_days}
    key = _key(item=item_id, kind=kind, text=text, **target)
    existing = Decision.objects.filter(meeting=meeting, key=key).first()
    if existing is not None:
        return Recorded(existing, False)
    decision = Decision.objects.create(district_id=meeting.district_id, meeting=meeting, item=item, kind=kind,
                                       text=text, key=key, decided_by=actor, decided_at=at or timezone.now())
    note = _("工作例会决定（%(meeting)s %(date)s）：%(text)s") % {
        "meeting": meeting.title, "date": meeting.date.isoformat(), "text": text}
    if kind == DecisionKind.TASK:
        from civicloop.plans.services import task_create

        title = text.splitlines()[0].strip()[:TASK_TITLE_CHARS]
        task = task_create(actor=actor, plan_id=plan_id, title=title, owner_unit_id=owner_unit_id, due=due,
                           description=note, source_kind=TASK_SOURCE_KIND, source_id=decision.pk)
        decision.task_id, decision.unit_id, decision.due = task.pk, owner_unit_id, due
    elif kind == DecisionKind.CASE:
        from civicloop.cases.constants import Channel
        from civicloop.cases.services import case_register

        case = case_register(actor=actor, channel=Channel.MEETING, description=text,
                             place_id=place_id or meeting.street_id, district_id=meeting.district_id,
                             external_id=CASE_EXTERNAL_ID.format(decision_id=decision.pk), note=note)
        if not _in_scope(meeting, case):  # a place outside the meeting's district or street: not its to raise
            raise not_found()
        decision.case = case
    else:
        from civicloop.cases.selectors import case_get_for
        from civicloop.cases.services import case_dispatch

        if not _in_scope(meeting, case_get_for(actor, case_id)):  # the viewer's, and of the meeting's scope
            raise not_found()
        case = case_dispatch(actor=actor, case_id=case_id, lead_unit_id=lead_unit_id, co_unit_ids=co_unit_ids,
                             time_limit_days=time_limit_days, expected_version=expected_version, note=note)
        decision.case, decision.unit_id = case, lead_unit_id
        decision.due = timezone.localtime(case.deadline, SHANGHAI).date() if case.deadline else None
    decision.save(update_fields=["task_id", "case", "unit", "due"])
    audit(actor, MeetingAuditAction.DECISION, decision, meeting=meeting.pk, kind=kind, task=decision.task_id,
          case=decision.case_id)
    return Recorded(decision, True)
