"""What a meeting's pack puts on the agenda, read as the person building it (their scope) from the owning apps'
selectors — never from their tables:

(a) late and at-risk milestones: `plans.selectors.milestones_needing_attention` (the street's units' for a street
    meeting);
(b) red supervised cases: `cases.selectors.case_list_for` with `time_state=red, supervised=True` (the street's);
(c) items waiting for consultation: the same list with `state=escalated` — escalated (三跨, a second return, a
    third 不满意) and not yet decided by a consultation meeting (`cases/services/consultation.py` re-dispatches them);
(d) the earlier meeting's decisions whose outcome is not done (and those it carried on), with what came of them
    (`selectors.decision_outcomes`).

Each becomes a `Snapshot` — title, status, due, unit, link as of now — stored on the agenda item, so the pack reads
the same after the things it points at have moved on. A case's words are always stored masked
(`core.masking.mask_free_text`): every reader of the pack reads the snapshot; the link opens the case itself for
those who may see it. At most `ITEMS_PER_SOURCE` items per source (the rest counted in `Meeting.pack_more`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from civicloop.cases.constants import CaseState, TimeState
from civicloop.cases.selectors import CaseFilters, case_list_for
from civicloop.core.masking import mask_free_text
from civicloop.orgs.selectors import unit_list_for
from civicloop.workdays.calendar import SHANGHAI

from .constants import ITEMS_PER_SOURCE, SUMMARY_CHARS, ItemSource, MeetingState, OutcomeKind
from .models import Decision, Meeting


@dataclass
class Snapshot:
    source: str
    ref_id: int | None
    title: str
    status: str = ""
    status_kind: str = ""
    due: dt.date | None = None
    unit_name: str = ""
    url: str = ""
    detail: dict = field(default_factory=dict)


def summary(text: str) -> str:
    """A case's description on one line, shortened, numbers masked."""
    text = " ".join(mask_free_text(text or "").split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting of the same scope before this one that took place (held or closed)."""
    return (Meeting.objects.filter(district_id=meeting.district_id, street_id=meeting.street_id,
                                   state__in=(MeetingState.HELD, MeetingState.CLOSED))
            .filter(Q(date__lt=meeting.date) | Q(date=meeting.date, pk__lt=meeting.pk or 0))
            .exclude(pk=meeting.pk).order_by("-date", "-pk").first())


def earlier_decisions(previous: Meeting | None):
    """The decisions the next pack follows up: the previous meeting's, and those it carried on its agenda."""
    if previous is None:
        return Decision.objects.none()
    carried = previous.items.filter(source=ItemSource.DECISION).values("ref_id")
    return Decision.objects.filter(Q(meeting=previous) | Q(pk__in=carried)).select_related("meeting", "unit")


def build(actor, meeting: Meeting, *, now: dt.datetime | None = None) -> tuple[list[Snapshot], dict, Meeting | None]:
    """The pack's items (in the pack's order), how many more each source had, and the previous meeting."""
    from .selectors import decision_outcomes

    now = now or timezone.now()
    more: dict[str, int] = {}
    items: list[Snapshot] = []
    previous = previous_meeting(meeting)
    # (d) first: what the last meeting decided and has not come about
    decisions = list(earlier_decisions(previous).order_by("meeting__date", "pk"))
    outcomes = decision_outcomes(actor, decisions)
    open_ones = [d for d in decisions if not outcomes[d.pk].done]
    for decision in open_ones[:ITEMS_PER_SOURCE]:
        out = outcomes[decision.pk]
        items.append(Snapshot(
            ItemSource.DECISION, decision.pk, mask_free_text(decision.text)[:300], status=out.status, status_kind=out.kind,
            due=out.due or decision.due, unit_name=out.unit_name, url=out.url,
            detail={"meeting": decision.meeting.title, "meeting_date": decision.meeting.date.isoformat(),
                    "kind": decision.kind, "outcome": out.title}))
    more[ItemSource.DECISION] = max(0, len(open_ones) - ITEMS_PER_SOURCE)
    items += _milestones(actor, meeting, more)
    items += _cases(actor, meeting, ItemSource.RED_CASE, more, now,
                    CaseFilters(time_state=TimeState.RED, supervised=True, street_id=meeting.street_id))
    items += _cases(actor, meeting, ItemSource.CONSULTATION, more, now,
                    CaseFilters(state=CaseState.ESCALATED, street_id=meeting.street_id))
    return items, {k: v for k, v in more.items() if v}, previous


def _milestones(actor, meeting: Meeting, more: dict) -> list[Snapshot]:
    from civicloop.plans.selectors import milestones_needing_attention

    unit_ids = None
    if meeting.street_id is not None:  # the street's own units: its office and its committees
        unit_ids = list(unit_list_for(actor).filter(
            Q(territory_id=meeting.street_id) | Q(territory__street_id=meeting.street_id)).values_list("pk", flat=True))
    rows = milestones_needing_attention(actor, on=meeting.date, unit_ids=unit_ids)
    more[ItemSource.MILESTONE] = max(0, len(rows) - ITEMS_PER_SOURCE)
    rows = sorted(rows, key=lambda r: (r.due, r.id))[:ITEMS_PER_SOURCE]  # the longest late first
    return [Snapshot(ItemSource.MILESTONE, row.id, f"{row.task_title} · {row.title}"[:300], status=str(row.status),
                     status_kind=OutcomeKind.TASK, due=row.due, unit_name=row.owner_unit_name or "", url=row.url or "",
                     detail={"plan": row.plan_title, "plan_id": row.plan_id, "task_id": row.task_id,
                             "owner_unit_id": row.owner_unit_id})
            for row in rows]


def _cases(actor, meeting: Meeting, source: str, more: dict, now: dt.datetime, filters: CaseFilters) -> list[Snapshot]:
    qs = case_list_for(actor, filters, now=now).filter(district_id=meeting.district_id)
    cases = list(qs.order_by("deadline", "pk")[: ITEMS_PER_SOURCE + 1])
    if len(cases) > ITEMS_PER_SOURCE:
        more[source] = qs.order_by().count() - ITEMS_PER_SOURCE
        cases = cases[:ITEMS_PER_SOURCE]
    out = []
    for case in cases:
        deadline = timezone.localtime(case.deadline, SHANGHAI) if case.deadline else None
        detail = {"tracking_code": case.tracking_code, "street": case.street.name if case.street_id else ""}
        if deadline is not None and deadline < now:
            detail["overdue_days"] = (now - deadline).days
        out.append(Snapshot(source, case.pk, f"{case.tracking_code} {summary(case.description)}", status=case.state,
                            status_kind=OutcomeKind.CASE, due=deadline.date() if deadline else None,
                            unit_name=case.lead_unit.name if case.lead_unit_id else "",
                            url=reverse("cases:case", args=[case.tracking_code]), detail=detail))
    return out
