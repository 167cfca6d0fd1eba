"""Reads of the meetings app. Every function takes the viewer: a meeting they may not read is not found, like a
missing one (`permissions.meetings_visible_q`). What came of a decision is read from the owning apps' selectors
as the viewer (`plans.selectors.tasks_by_source`, `cases.selectors.cases_visible_to`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.cases.constants import CaseState
from civicloop.cases.selectors import cases_visible_to, with_time_state
from civicloop.core.masking import mask_for_display
from civicloop.core.selectors import first_or_not_found
from civicloop.workdays.calendar import SHANGHAI

from .constants import SOURCE_ORDER, TASK_SOURCE_KIND, DecisionKind, ItemSource, OutcomeKind
from .models import AgendaItem, Decision, Meeting
from .permissions import may_keep_meeting, meetings_visible_q

# A case whose outcome counts as come about: its problem solved (the reply and rating may follow) or ended.
CASE_DONE = (CaseState.RESOLVED, CaseState.REPLIED, CaseState.RATED, CaseState.CLOSED, CaseState.MERGED,
             CaseState.WITHDRAWN)
TASK_DONE = "done"  # plans.constants.TaskStatus.DONE


def meetings_for(actor):
    """The meetings `actor` may read, newest first, with their street and chair."""
    return (Meeting.objects.filter(meetings_visible_q(actor)).select_related("street", "chair")
            .defer("street__boundary").order_by("-date", "-pk"))


def meeting_list_for(actor):
    """The list page's rows: each meeting with its number of items and decisions."""
    return meetings_for(actor).annotate(item_count=Count("items", distinct=True),
                                        decision_count=Count("decisions", distinct=True))


def meeting_get_for(actor, meeting_id: int) -> Meeting:
    return first_or_not_found(meetings_for(actor), pk=meeting_id)


def status_label(kind: str, status: str) -> str:
    """A snapshot's or an outcome's status in words: a plan task's derived status or a case's state."""
    if not status:
        return ""
    if kind == OutcomeKind.TASK:
        from civicloop.plans.constants import TaskStatus

        return str(TaskStatus(status).label) if status in TaskStatus.values else status
    if kind == OutcomeKind.CASE:
        return str(CaseState(status).label) if status in CaseState.values else status
    return status


@dataclass
class Outcome:
    """What came of a decision, as the viewer may see it now."""

    kind: str  # OutcomeKind
    status: str = ""
    title: str = ""
    due: dt.date | None = None
    unit_name: str = ""
    url: str = ""
    percent: int | None = None
    time_state: str = ""
    done: bool = False
    visible: bool = True  # False: the task or case is not the viewer's to see (only that it exists is said)

    @property
    def status_label(self) -> str:
        return status_label(self.kind, self.status) if self.visible else _("无权查看")


def decision_outcomes(actor, decisions) -> dict[int, Outcome]:
    """decision id → what came of it: a task's status and progress (`plans.selectors.tasks_by_source`), a case's
    state, time state and deadline (the viewer's cases). Two statements for any number of decisions (and plans'
    own)."""
    decisions = list(decisions)
    out: dict[int, Outcome] = {}
    task_ids = [d.pk for d in decisions if d.kind == DecisionKind.TASK]
    tasks = {}
    if task_ids:
        from civicloop.plans.selectors import tasks_by_source

        tasks = tasks_by_source(actor, source_kind=TASK_SOURCE_KIND, source_ids=task_ids)
    case_ids = [d.case_id for d in decisions if d.case_id is not None]
    cases = {c.pk: c for c in with_time_state(cases_visible_to(actor).filter(pk__in=case_ids))
             .select_related("lead_unit")} if case_ids else {}
    for d in decisions:
        if d.kind == DecisionKind.TASK:
            t = tasks.get(d.pk)
            out[d.pk] = Outcome(OutcomeKind.TASK, visible=False) if t is None else Outcome(
                OutcomeKind.TASK, status=str(t.status), title=t.title, due=t.due, unit_name=t.owner_unit_name or "",
                url=t.url or "", percent=t.percent, done=str(t.status) == TASK_DONE)
            continue
        c = cases.get(d.case_id)
        if c is None:
            out[d.pk] = Outcome(OutcomeKind.CASE, visible=False)
            continue
        deadline = timezone.localtime(c.deadline, SHANGHAI).date() if c.deadline else None
        out[d.pk] = Outcome(OutcomeKind.CASE, status=c.state, title=c.tracking_code, due=deadline,
                            unit_name=c.lead_unit.name if c.lead_unit_id else "",
                            url=reverse("cases:case", args=[c.tracking_code]), time_state=c.time_state,
                            done=c.state in CASE_DONE)
    return out


def meeting_pack_for(actor, meeting_id: int) -> dict:
    """Everything the pack page and `GET /api/meetings/{id}` show: the meeting, its agenda by source (each item
    with its decisions and what came of them), the decisions of the meeting as a whole, and what came of the
    previous meeting's decisions. A bounded number of statements, whatever the pack's size."""
    meeting = meeting_get_for(actor, meeting_id)
    decisions = Prefetch("decisions", queryset=Decision.objects.select_related("unit", "case").order_by("pk"))
    items = list(AgendaItem.objects.filter(meeting=meeting).prefetch_related(decisions).order_by("position", "pk"))
    own = [d for item in items for d in item.decisions.all()]
    loose = list(Decision.objects.filter(meeting=meeting, item__isnull=True).select_related("unit", "case")
                 .order_by("pk"))
    earlier = []
    if meeting.previous_id is not None:
        earlier = list(Decision.objects.filter(meeting_id=meeting.previous_id).select_related("meeting", "unit", "case")
                       .order_by("pk"))
    outcomes = decision_outcomes(actor, [*own, *loose, *earlier])
    if not may_keep_meeting(actor, meeting):
        _masked(items, [*own, *loose, *earlier])
    for item in items:
        item.status_label = status_label(item.status_kind, item.status)
        item.shown_decisions = [(d, outcomes[d.pk]) for d in item.decisions.all()]
    sections = []
    for source in SOURCE_ORDER:
        rows = [item for item in items if item.source == source]
        sections.append({"source": source, "label": str(ItemSource(source).label), "items": rows,
                         "more": int(meeting.pack_more.get(source, 0))})
    return {"meeting": meeting, "sections": sections, "items": items,
            "decisions": [(d, outcomes[d.pk]) for d in loose],
            "earlier": [(d, outcomes[d.pk]) for d in earlier],
            "previous": Meeting.objects.filter(pk=meeting.previous_id).first() if meeting.previous_id else None}


def decisions_for(actor, meeting_id: int) -> tuple[Meeting, list]:
    """A meeting's decisions with what came of each (the outcomes page)."""
    meeting = meeting_get_for(actor, meeting_id)
    decisions = list(Decision.objects.filter(meeting=meeting).select_related("item", "unit", "case", "decided_by")
                     .order_by("pk"))
    outcomes = decision_outcomes(actor, decisions)
    if not may_keep_meeting(actor, meeting):
        _masked([], decisions)
    return meeting, [(d, outcomes[d.pk]) for d in decisions]


def _masked(items, decisions) -> None:
    """Minutes and decisions as a reader who does not keep the meeting (a leader) sees them: phone and ID numbers
    typed into them masked (`core.masking`), as a case's free text is for whoever may not see its reporter. The
    snapshots are stored masked already (pack.py)."""
    for item in items:
        mask_for_display(item, "minutes")
    for decision in decisions:
        mask_for_display(decision, "text")


def item_get_for(actor, item_id: int) -> AgendaItem:
    """An agenda item of a meeting the viewer may read."""
    return first_or_not_found(AgendaItem.objects.select_related("meeting").filter(
        meeting__in=meetings_for(actor).values("pk")), pk=item_id)
