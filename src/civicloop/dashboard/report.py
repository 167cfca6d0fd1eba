"""The weekly report (周报): one structure, built for a viewer and an ISO week, that three renderings share — the
printable page, the Excel workbook and the PDF (`report_render.py`).

What it holds, for the viewer's scope (the overview's rule, `metrics.metric_scope_for`) and the week (Monday to
Sunday, Asia/Shanghai; by default the last full week):

- the KPIs of the week with the previous week's value and the change (`metrics.compute`, the rollups);
- the red cases: overdue and still open at the week's end (or now, for the running week) as they were then —
  from the red stretches folded from their events (`CaseRedSpan`) — listed as the viewer's case list shows them
  (`cases.selectors.case_list_for`: scope, masking);
- supervision: opened and answered in the week, open at its end, and those supervisions one per row;
- consultation items: cases first escalated in the week (the 会商件数 KPI's cases), decisions taken in it;
- visit progress of the campaigns that ran in the week (`visits.selectors.coverage_overview_for`, as the viewer:
  visits and first visits in the week, coverage by group as it stood at the week's end).

Lists are capped (`ROWS_MAX`) with their full count beside them. Free text is masked for a viewer without the
right to the case's reporter data (`cases.permissions.may_unmask`); no reporter name or phone is ever in it.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.cases.constants import CaseState, SupervisionKind
from civicloop.cases.models import Decision, Supervision
from civicloop.cases.permissions import may_unmask
from civicloop.cases.rows import case_rows_for
from civicloop.cases.selectors import CaseFilters, case_list_for
from civicloop.core.errors import CivicError
from civicloop.core.masking import mask_free_text
from civicloop.visits.constants import CampaignState
from civicloop.visits.selectors import campaigns_for, coverage_overview_for
from civicloop.workdays.calendar import SHANGHAI

from .constants import ScopeKind
from .error_codes import DashboardErrorCode
from .metrics import KPIS, MetricScope, Period, compute, today_local
from .models import CaseFact, CaseRedSpan, RollupWatermark
from .selectors import FIRST_DAY, LAST_DAY, dashboard_scope_for, scope_name

ISO_WEEK = r"^[0-9]{4}-W[0-9]{2}$"
ROWS_MAX = 500  # rows of each list (red cases, supervisions, consultation items); the count is always whole
CAMPAIGNS_MAX = 5  # campaigns of the visit progress (a district runs one or two at a time)
SUMMARY_CHARS = 60


# ----- the week


def week_of(code: str | None, *, now: dt.datetime | None = None) -> Period:
    """The ISO week `code` ("2026-W48") as a Monday–Sunday period; None: the last full week. Refused
    (week_invalid): another format, a week the year does not have, outside 2000–2099, a week not yet begun."""
    today = today_local(now)
    if code is None:
        monday = today - dt.timedelta(days=today.weekday() + 7)
        return Period(monday, monday + dt.timedelta(days=6))
    if not isinstance(code, str) or not re.fullmatch(ISO_WEEK[1:-1], code):
        raise CivicError(DashboardErrorCode.WEEK_INVALID)
    year, week = int(code[:4]), int(code[6:])
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise CivicError(DashboardErrorCode.WEEK_INVALID) from None
    if monday < FIRST_DAY or monday + dt.timedelta(days=6) > LAST_DAY or monday > today:
        raise CivicError(DashboardErrorCode.WEEK_INVALID)
    return Period(monday, monday + dt.timedelta(days=6))


def week_code(period: Period) -> str:
    year, week, _day = period.start.isocalendar()
    return f"{year}-W{week:02d}"


def _instant(day: dt.date) -> dt.datetime:
    """The start of `day` in Shanghai (an aware moment)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI)


# ----- the parts


def _kpis(scope: MetricScope, week: Period, today: dt.date) -> list[dict]:
    current, before = (compute(scope, p, today=today) for p in (week, week.previous()))
    rows = []
    for kpi in KPIS:
        now, old = current[kpi.code], before[kpi.code]
        rows.append({"code": kpi.code, "label": str(kpi.label), "kind": kpi.kind, "unit": str(kpi.unit),
                     "value": now.value, "numerator": now.numerator, "denominator": now.denominator,
                     "previous_value": old.value,
                     "change": None if now.value is None or old.value is None else now.value - old.value})
    return rows


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def _cases(actor, scope: MetricScope, as_of: dt.datetime):
    """The viewer's cases of the scope, as their case list reads them, with the time state as of `as_of`."""
    return case_list_for(actor, CaseFilters(), now=as_of).filter(scope.q())


def _red(actor, scope: MetricScope, as_of: dt.datetime) -> dict:
    """Cases red at `as_of` — their clock running and their deadline past then — as they were then: from the red
    stretches the refresh folds from their events (`CaseRedSpan`), with the deadline and state of that moment (a
    deadline extended, a clock stopped, a case resolved or merged since does not change an old week's list).
    Listed as the viewer's case list reads them (scope, masking), most overdue first."""
    spans = CaseRedSpan.objects.filter(red_from__lt=as_of).filter(Q(red_until__isnull=True) | Q(red_until__gte=as_of))
    then = spans.filter(case_id=OuterRef("pk"))
    qs = (_cases(actor, scope, as_of).filter(pk__in=spans.values("case_id"))
          .annotate(deadline_then=Subquery(then.values("deadline")[:1]), state_then=Subquery(then.values("state")[:1])))
    count = qs.order_by().count()
    cases = list(qs.order_by("deadline_then", "pk")[:ROWS_MAX])
    rows = []
    for case, row in zip(cases, case_rows_for(actor, cases), strict=True):
        rows.append({"id": case.pk, "tracking_code": case.tracking_code, "category": row["category"] or "",
                     "street": row["street"] or "", "community": row["community"] or "",
                     "lead_unit": row["lead_unit"] or "", "deadline": timezone.localtime(case.deadline_then, SHANGHAI),
                     "overdue_days": (as_of - case.deadline_then).days, "state": case.state_then,
                     "state_label": str(CaseState(case.state_then).label), "summary": _summary(row["description"])})
    return {"count": count, "rows": rows}


def _supervision(actor, scope: MetricScope, start: dt.datetime, end: dt.datetime) -> dict:
    """Supervisions of the viewer's cases: opened in [start, end), answered in it, open at `end`; listed: every
    supervision opened in the week or still open at its end."""
    cases = _cases(actor, scope, end).values("pk")
    base = Supervision.objects.filter(case_id__in=cases, opened_at__lt=end)
    opened = Q(opened_at__gte=start)
    answered = Q(replied_at__gte=start, replied_at__lt=end)
    # neither answered nor closed with its case (销号) before the week's end
    still_open = (Q(replied_at__isnull=True) | Q(replied_at__gte=end)) & (Q(lapsed_at__isnull=True) | Q(lapsed_at__gte=end))
    counts = base.aggregate(opened=Count("pk", filter=opened), answered=Count("pk", filter=answered),
                            open_at_end=Count("pk", filter=still_open))
    listed = base.filter(opened | answered | still_open)
    items = list(listed.select_related("case", "case__lead_unit").order_by("opened_at", "pk")[:ROWS_MAX])
    rows = []
    for sup in items:
        case = sup.case
        clear = may_unmask(actor, case)
        replied = sup.replied_at if sup.replied_at and sup.replied_at < end else None
        rows.append({"id": sup.pk, "case_id": case.pk, "tracking_code": case.tracking_code,
                     "kind": sup.kind, "kind_label": str(SupervisionKind(sup.kind).label),
                     "lead_unit": case.lead_unit.name if case.lead_unit_id else "",
                     "opened_at": timezone.localtime(sup.opened_at, SHANGHAI),
                     "replied_at": timezone.localtime(replied, SHANGHAI) if replied else None,
                     "status_label": _("已回复") if replied else _("未回复"),
                     "notice": _summary(sup.notice if clear else mask_free_text(sup.notice))})
    return {**counts, "count": listed.count(), "rows": rows}


def _consultation(actor, scope: MetricScope, week: Period, end: dt.datetime, escalated: int) -> dict:
    """Cases first escalated to consultation in the week (the 会商件数 KPI's cases) and decisions taken in it."""
    start = _instant(week.start)
    cases = _cases(actor, scope, end)
    first_escalated = CaseFact.objects.filter(scope.q(), counted=True, escalated_day__gte=week.start,
                                              escalated_day__lte=week.end).values("case_id")
    decisions = Decision.objects.filter(item__case_id__in=cases.values("pk"), decided_at__gte=start,
                                        decided_at__lt=end)
    escalated_cases = list(cases.filter(pk__in=first_escalated).order_by("pk")[:ROWS_MAX])
    decided = list(decisions.select_related("item__case", "item__meeting", "lead_unit")
                   .order_by("decided_at", "pk")[:ROWS_MAX])
    decided_by_case = {d.item.case_id: d for d in decided}
    rows = []
    for case in escalated_cases:
        rows.append(_consultation_row(actor, case, decided_by_case.pop(case.pk, None)))
    for decision in decided_by_case.values():  # decided this week, escalated before it
        rows.append(_consultation_row(actor, decision.item.case, decision))
    return {"escalated": escalated, "decided": decisions.count(), "rows": rows[:ROWS_MAX]}


def _consultation_row(actor, case, decision) -> dict:
    clear = may_unmask(actor, case)
    row = {"case_id": case.pk, "tracking_code": case.tracking_code, "state_label": str(case.get_state_display()),
           "summary": _summary(case.description if clear else mask_free_text(case.description)),
           "meeting": "", "decided_at": None, "lead_unit": "", "deadline": None, "measures": ""}
    if decision is not None:
        row.update(meeting=decision.item.meeting.title, decided_at=timezone.localtime(decision.decided_at, SHANGHAI),
                   lead_unit=decision.lead_unit.name,
                   deadline=timezone.localtime(decision.deadline, SHANGHAI).date(),
                   measures=_summary(decision.measures if clear else mask_free_text(decision.measures)))
    return row


def _visits(actor, week: Period) -> list[dict]:
    """The campaigns that ran in the week and the viewer may read, as the viewer sees their coverage."""
    campaigns = list(campaigns_for(actor).exclude(state=CampaignState.DRAFT)
                     .filter(start__lte=week.end, end__gte=week.start).order_by("start", "pk")
                     .values_list("pk", flat=True)[:CAMPAIGNS_MAX])
    out = []
    for pk in campaigns:
        campaign, coverage, progress = coverage_overview_for(actor, pk, today=week.end, as_of=week.end)
        in_week = [d for d in progress.days if week.start <= d.day <= week.end]
        out.append({
            "id": campaign.pk, "name": campaign.name, "start": campaign.start, "end": campaign.end,
            "state_label": str(CampaignState(campaign.state).label),
            "subjects": coverage.total.subjects, "target": coverage.total.target,
            "visited": coverage.total.visited, "rate": coverage.total.rate,
            "visits_in_week": sum(d.visits for d in in_week),
            "first_visits_in_week": sum(d.first_visits for d in in_week),
            "groups": [{"group": row.key, "label": row.label, "subjects": row.subjects, "visited": row.visited,
                        "target": row.target, "percent": row.percent, "rate": row.rate, "met": row.met}
                       for row in coverage.groups],
        })
    return out


# ----- the report


def report_for(actor, week: Period, *, now: dt.datetime | None = None) -> dict:
    """The weekly report of `actor`'s scope for `week`: a bounded number of statements whatever the data's size
    (about twenty, and seven more per campaign)."""
    scope = dashboard_scope_for(actor)
    now = now or timezone.now()
    today = today_local(now)
    start, end = _instant(week.start), _instant(week.end + dt.timedelta(days=1))
    as_of = min(end, now)
    kpis = _kpis(scope, week, today)
    escalated = next(k["numerator"] for k in kpis if k["code"] == "escalated")
    previous = week.previous()
    return {
        "week": {"code": week_code(week), "start": week.start, "end": week.end},
        "previous": {"code": week_code(previous), "start": previous.start, "end": previous.end},
        "as_of": timezone.localtime(as_of, SHANGHAI),
        "generated_at": timezone.localtime(now, SHANGHAI),
        "refreshed_at": RollupWatermark.objects.filter(pk=1).values_list("refreshed_at", flat=True).first(),
        "scope": {"kind": scope.kind, "label": str(ScopeKind(scope.kind).label), "name": scope_name(scope)},
        "kpis": kpis,
        "red": _red(actor, scope, as_of),
        "supervision": _supervision(actor, scope, start, as_of),
        "consultation": _consultation(actor, scope, week, as_of, escalated),
        "visits": _visits(actor, week),
    }
