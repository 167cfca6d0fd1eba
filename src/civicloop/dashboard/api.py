"""The dashboard's JSON API (mounted at /api/dashboard/): the KPI definitions, the overview for the viewer's scope,
and the list behind any figure. Every figure of the overview is `{count, drill}`: `drill` is the query string of
`GET /api/dashboard/cases` (and of the page /dashboard/cases/) listing the cases behind it, with the same count.
Readers without a scope (no territory, no unit) get 403.
"""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from civicloop.cases.api import CaseOut, labelled
from civicloop.cases.rows import case_rows_for
from civicloop.core.api import READ_ERRORS, ErrorOut, paged

from . import selectors
from .filters import DashboardIn, DrillIn
from .metrics import KPIS

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
    qs = selectors.drill_cases_for(request.user, params.kpi, params.part, period, params.filters(),
                                   returned_by=params.returned_by)
    page = paged(qs, params)
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
