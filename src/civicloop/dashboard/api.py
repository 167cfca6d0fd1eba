"""The dashboard's JSON API (mounted at /api/dashboard/): the KPI definitions, the overview for the viewer's scope,
and the list behind any figure. Every figure of the overview is `{count, drill}`: `drill` is the query string of
`GET /api/dashboard/cases` (and of the page /dashboard/cases/) listing the cases behind it, with the same count.
Readers without a scope (no territory, no unit) get 403.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema

from civicloop.cases.api import CaseOut, labelled
from civicloop.cases.rows import case_rows_for
from civicloop.core.api import READ_ERRORS, ErrorOut, paged

from . import selectors
from .filters import DashboardIn, DrillIn, ReportIn
from .metrics import KPIS
from .report import report_for, week_of
from .report_render import report_font, report_pdf, report_workbook

router = Router(tags=["dashboard"])
ERRORS = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut}


class KpiDefinitionOut(Schema):
    """How a KPI is counted (docs/kpis.md says the same in more words)."""

    code: str
    label: str
    kind: str  # rate, count or average
    unit: str
    formula: str
    numerator: str  # the rollup measure counted
    denominator: str | None
    basis: str  # the time basis: which day puts a case in a period
    treatment: str  # merged, withdrawn and reopened cases


class FigureOut(Schema):
    count: int
    drill: str  # query string of GET /api/dashboard/cases listing the cases behind the figure


class KpiValueOut(Schema):
    code: str
    value: float | None  # a rate as a fraction (0.9627), an average in working days, a count; null without cases
    numerator: FigureOut  # an average's numerator lists the cases averaged (numerator_sum is the sum)
    numerator_sum: int
    denominator: FigureOut | None


class KpiOut(KpiValueOut):
    label: str
    kind: str
    unit: str
    formula: str
    previous_value: float | None  # the previous period of the same length
    change: float | None  # value − previous_value (percentage points ÷ 100 for a rate)


class ScopeOut(Schema):
    kind: str  # all, district, street, community, department
    label: str
    name: str


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


class TodayOut(Schema):
    day: dt.date
    intake: FigureOut
    open: FigureOut
    yellow: FigureOut
    red: FigureOut


class TrendDayOut(Schema):
    day: dt.date
    intake: FigureOut
    resolved: FigureOut
    resolved_on_time: FigureOut
    red: FigureOut  # cases whose deadline fell that day and was missed (超期件数 of the day; today not yet)


class CategoryOut(Schema):
    id: int
    name: str
    intake: FigureOut


class ChannelOut(Schema):
    channel: str
    label: str
    intake: FigureOut


class RankOut(Schema):
    id: int
    name: str
    kpis: list[KpiValueOut]  # intake, on_time_rate, satisfaction_rate, overdue


class DisputeOut(Schema):
    unit_id: int
    unit: str
    category_id: int  # 0: uncategorised
    category: str
    returns: int
    cases: FigureOut


class OverviewOut(Schema):
    scope: ScopeOut
    refreshed_at: dt.datetime | None  # the rollups include every case event written before this moment
    period: PeriodOut
    previous: PeriodOut
    today: TodayOut
    kpis: list[KpiOut]
    trend: list[TrendDayOut]  # the last 30 days up to today
    categories: list[CategoryOut]  # the top 10 by intake in the period
    channels: list[ChannelOut]
    streets: list[RankOut]  # by on-time rate, best first
    departments: list[RankOut]
    disputes: list[DisputeOut]  # returns by returning unit and category, most first


class DashboardCasePage(Schema):
    count: int
    items: list[CaseOut]


@router.get("/kpis", response={200: list[KpiDefinitionOut], **ERRORS})
def kpi_definitions(request):
    """Every KPI's definition: formula, numerator, denominator, time basis, treatment of merged, withdrawn and
    reopened cases."""
    selectors.dashboard_scope_for(request.user)
    return [{"code": k.code, "label": str(k.label), "kind": k.kind, "unit": str(k.unit), "formula": str(k.formula),
             "numerator": k.numerator, "denominator": k.denominator, "basis": str(k.basis),
             "treatment": str(k.treatment)} for k in KPIS]


@router.get("/overview", response={200: OverviewOut, **ERRORS})
def overview(request, params: Query[DashboardIn]):
    """The overview of the viewer's scope (a leader: the district; street staff: the street; a department: the
    cases it leads) for a period and filters."""
    period = selectors.period_of(params.start, params.end)
    return selectors.overview_for(request.user, period, params.filters())


@router.get("/cases", response={200: DashboardCasePage, **ERRORS})
def drill_cases(request, params: Query[DrillIn]):
    """The cases behind one figure (its `drill` query string), paged, red and yellow first: `count` is the
    figure's."""
    period = selectors.period_of(params.start, params.end)
    now = timezone.now()
    rows = selectors.drill_for(request.user, params.kpi, params.part, period, params.filters(),
                               returned_by=params.returned_by, now=now)
    page = paged(rows, params)
    return {"count": page["count"], "items": labelled(case_rows_for(request.user, page["items"]))}


# ----- charts and map


class StreetPointOut(Schema):
    id: int
    name: str
    lat: float | None  # the street's centre (Place.lat/lng); null: not placed, not drawn
    lng: float | None
    open: FigureOut  # its open cases now: the point's size
    on_time_rate: KpiValueOut  # in the period: the point's colour


class MapOut(Schema):
    outline: dict | None  # the district outline as a GeoJSON FeatureCollection in ECharts' compressed encoding
    # (UTF8Encoding + encodeOffsets: echarts.registerMap reads it); null: none kept for the district
    streets: list[StreetPointOut]  # by street code


@router.get("/map", response={200: MapOut, **ERRORS}, url_name="dashboard_map")
def street_map(request, params: Query[DashboardIn]):
    """The map of the viewer's scope: the district outline and each street at its centre, sized by its open cases
    (their list: the `open.drill` query string of /cases) and coloured by its on-time rate in the period."""
    period = selectors.period_of(params.start, params.end)
    return selectors.street_map_for(request.user, period, params.filters())
# ----- weekly report


class ReportWeekOut(Schema):
    code: str  # ISO week, 2026-W48
    start: dt.date  # Monday
    end: dt.date  # Sunday


class ReportKpiOut(Schema):
    code: str
    label: str
    kind: str
    unit: str
    value: float | None  # as in the overview: a rate as a fraction, an average in working days, a count
    numerator: int
    denominator: int | None
    previous_value: float | None  # the week before
    change: float | None


class ReportRedOut(Schema):
    id: int
    tracking_code: str
    category: str
    street: str
    community: str
    lead_unit: str
    deadline: dt.datetime
    overdue_days: int  # whole days past the deadline at the week's end (as_of)
    state: str
    state_label: str
    summary: str  # the description's start; numbers masked without the right to the reporter's data


class ReportRedListOut(Schema):
    count: int  # every such case; `rows` lists the first 500, most overdue first
    rows: list[ReportRedOut]


class ReportSupervisionOut(Schema):
    id: int
    case_id: int
    tracking_code: str
    kind: str
    kind_label: str
    lead_unit: str
    opened_at: dt.datetime
    replied_at: dt.datetime | None  # only a reply given within the week
    status_label: str
    notice: str  # masked like a case's text


class ReportSupervisionListOut(Schema):
    opened: int  # opened in the week
    answered: int  # answered in the week
    open_at_end: int  # not answered at the week's end
    count: int  # supervisions listed: opened in the week, answered in it or open at its end
    rows: list[ReportSupervisionOut]


class ReportConsultationOut(Schema):
    case_id: int
    tracking_code: str
    state_label: str
    summary: str
    meeting: str
    decided_at: dt.datetime | None
    lead_unit: str
    deadline: dt.date | None
    measures: str


class ReportConsultationListOut(Schema):
    escalated: int  # cases first escalated in the week (会商件数)
    decided: int  # consultation decisions taken in the week
    rows: list[ReportConsultationOut]  # the escalated cases, then the cases decided but escalated earlier


class ReportGroupOut(Schema):
    group: str
    label: str
    subjects: int
    visited: int  # first visited by the week's end
    target: int
    percent: int | None  # the campaign's target for the group, %
    rate: float | None
    met: bool


class ReportCampaignOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    state_label: str
    subjects: int
    target: int
    visited: int
    rate: float | None
    visits_in_week: int
    first_visits_in_week: int
    groups: list[ReportGroupOut]


class ReportOut(Schema):
    week: ReportWeekOut
    previous: ReportWeekOut
    as_of: dt.datetime  # the moment red cases and open supervisions are counted at: the week's end, or now
    generated_at: dt.datetime
    refreshed_at: dt.datetime | None  # the KPIs include every case event written before this moment
    scope: ScopeOut
    kpis: list[ReportKpiOut]
    red: ReportRedListOut
    supervision: ReportSupervisionListOut
    consultation: ReportConsultationListOut
    visits: list[ReportCampaignOut]  # the campaigns that ran in the week, as the viewer sees their coverage


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(content_type: str, description: str) -> dict:
    return {"responses": {200: {"description": description,
                                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/report", response={200: ReportOut, **ERRORS})
def weekly_report(request, params: Query[ReportIn]):
    """The weekly report of the viewer's scope: the week's KPIs against the week before, red cases at its end,
    supervision, consultation items, visit progress (the same structure as the .xlsx and .pdf)."""
    return report_for(request.user, week_of(params.week))


@router.get("/report.xlsx", response=ERRORS, openapi_extra=_file(XLSX, "the weekly report as an Excel workbook "
                                                                        "(sheets 指标, 超期工单, 督办, 会商, 走访进度)"))
def weekly_report_xlsx(request, params: Query[ReportIn]):
    """The weekly report as an Excel workbook."""
    data = report_for(request.user, week_of(params.week))
    return _download(report_workbook(data), XLSX, f"civicloop-report-{data['week']['code']}.xlsx")


@router.get("/report.pdf", response={**ERRORS, 503: ErrorOut},
            openapi_extra=_file("application/pdf", "the weekly report as a PDF (CJK font embedded)"))
def weekly_report_pdf(request, params: Query[ReportIn]):
    """The weekly report as a PDF; 503 report_font_missing when the server lacks its CJK font."""
    report_font()  # refused before the report is built
    data = report_for(request.user, week_of(params.week))
    return _download(report_pdf(data), "application/pdf", f"civicloop-report-{data['week']['code']}.pdf")
