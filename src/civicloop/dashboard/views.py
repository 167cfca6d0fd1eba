"""The dashboard's pages: the overview (cards, accessible tables) and the cases behind a figure (the cases list,
`cases/_case_list.html`). Thin: parse the same schema as the API, one selector, render. Never api.py."""

from __future__ import annotations

import copy
import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from civicloop.cases.constants import AppealType, Channel
from civicloop.cases.selectors import cases_shown
from civicloop.core import registry
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.validation import error_details

from . import selectors
from .constants import KpiKind, Part
from .filters import DashboardIn, DrillIn, ReportIn
from .metrics import KPI_BY_CODE, Period, today_local
from .permissions import may_read
from .report import report_for, week_code, week_of
from .report_render import report_tables, shown, summary_lines, title_of

PAGE_SIZE = 50


def _params(request, schema):
    if not may_read(request.user):
        raise CivicError(ErrorCode.FORBIDDEN)
    data = {k: v for k, v in request.GET.items() if v != "" and k != "page" and k in schema.model_fields}
    try:
        return schema.model_validate(data, strict=False)
    except ValidationError as exc:
        details = [{**d, "where": ""} for d in error_details(exc.errors(), model=schema)]
        raise CivicError(ErrorCode.INVALID, details=details) from None


def shown_value(value, kind: str) -> str:
    """A KPI's value as the page shows it: a rate in per cent (two decimals), an average with one, a count whole."""
    if value is None:
        return "—"
    if kind == KpiKind.RATE:
        return f"{value * 100:.2f}%"
    if kind == KpiKind.AVERAGE:
        return f"{value:.1f}"
    return f"{value:,}"


def shown_change(change, kind: str) -> str:
    if change is None:
        return ""
    if kind == KpiKind.RATE:
        return f"{change * 100:+.2f}"
    return f"{change:+.1f}" if kind == KpiKind.AVERAGE else f"{change:+,}"


@login_required
def overview(request):
    params = _params(request, DashboardIn)
    period = selectors.period_of(params.start, params.end)
    # the overview's figures are shared between calls (kept per rollup version): the page's marks go on a copy
    data = copy.deepcopy(selectors.overview_for(request.user, period, params.filters()))
    street_map = selectors.street_map_for(request.user, period, params.filters())
    # The charts draw from these, embedded in the page as the endpoints would return them: the figures are computed
    # once per page view (the endpoints stay for other readers and for the script without the embedded data).
    chart_data = json.loads(json.dumps({"overview": data, "map": street_map}, cls=DjangoJSONEncoder))
    for kpi in data["kpis"]:
        kpi["shown"], kpi["shown_change"] = shown_value(kpi["value"], kpi["kind"]), shown_change(kpi["change"], kpi["kind"])
        kpi["shown_previous"] = shown_value(kpi["previous_value"], kpi["kind"])
    for row in data["streets"] + data["departments"]:
        for kpi in row["kpis"]:
            kpi["shown"] = shown_value(kpi["value"], KPI_BY_CODE[kpi["code"]].kind)
    ranking_labels = [KPI_BY_CODE[c].label for c in selectors.RANKING_KPIS]
    # other apps' panels (registry `dashboard_panels`), read live as the viewer sees them: not in the kept figures
    panels = registry.dashboard_panels(request, street_id=params.street)
    return render(request, "dashboard/overview.html", {
        **data, "params": params, "panels": panels, "intake_channels": data["channels"], "channel_choices": Channel.choices,
        "appeal_type_choices": AppealType.choices,
        "ranking_labels": ranking_labels, "chart_data": chart_data, **_charts(request, period, params, data, street_map)})


@login_required
def drill_cases(request):
    params = _params(request, DrillIn)
    period = selectors.period_of(params.start, params.end)
    now = timezone.now()
    rows = selectors.drill_for(request.user, params.kpi, params.part, period, params.filters(),
                               returned_by=params.returned_by, now=now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = cases_shown(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    kpi = KPI_BY_CODE.get(params.kpi)
    if kpi is not None:
        title = f"{kpi.label} · {Part(params.part or Part.NUMERATOR).label}" if kpi.denominator else str(kpi.label)
    else:
        title = {"open": _("未办结"), "yellow": _("临期"), "red": _("超期"), "disputes": _("职责争议")}[params.kpi]
    return render(request, "dashboard/cases.html", {"page": page, "page_query": query.urlencode(), "title": title,
                                                    "period": period, "kpi": kpi, "params": params})


# ----- charts and map


def _charts(request, period, params: DashboardIn, data: dict, street_map: dict) -> dict:
    """What the overview adds for its charts: the rankings ordered by the chosen KPI (`rank`; the tables and bars
    alike), the streets on the map (for the table beside it), the documented endpoints the script reads — with
    the page's period and filters — and the charts' words."""
    rank = request.GET.get("rank")
    rank = rank if rank in selectors.RANKING_KPIS else "on_time_rate"
    data["streets"], data["departments"] = (selectors.ranked(data[k], rank) for k in ("streets", "departments"))
    for point in street_map["streets"]:
        point["on_time_rate"]["shown"] = shown_value(point["on_time_rate"]["value"], KpiKind.RATE)
    keep = [(k, v) for k, v in (("start", period.start.isoformat()), ("end", period.end.isoformat()),
                                 ("street", params.street), ("unit", params.unit), ("category", params.category),
                                 ("channel", params.channel), ("appeal_type", params.appeal_type)) if v is not None]
    query = urlencode(keep)
    api = reverse("api:api-root")
    return {
        "rank": rank, "rank_label": KPI_BY_CODE[rank].label, "rank_keep": keep,
        "rank_choices": [(c, KPI_BY_CODE[c].label) for c in selectors.RANKING_KPIS],
        "map_streets": street_map["streets"],
        "chart_urls": {"overview": f"{api}dashboard/overview?{query}", "map": f"{api}dashboard/map?{query}",
                       "drill": reverse("dashboard:cases")},
        "chart_words": {
            "intake": _("受理量"), "resolved": _("办结"), "red": _("超期"), "open": _("未办结"),
            "on_time_rate": str(KPI_BY_CODE["on_time_rate"].label), "returns": _("退单次数"), "cases": _("工单数"),
            "unit_cases": _("件"), "failed": _("图表数据未能读取，请查看表格。"), "no_data": _("暂无数据"),
            "no_position": _("没有可显示位置的街道。"),
            "ranking": {c: str(KPI_BY_CODE[c].label) for c in selectors.RANKING_KPIS},
            "kinds": {c: KPI_BY_CODE[c].kind for c in selectors.RANKING_KPIS}, "rank": rank,
        },
    }


# ----- weekly report


@login_required
def weekly_report(request):
    """The printable weekly report (the API's structure, as the tables the workbook and the PDF hold), with its
    downloads and the weeks before and after."""
    params = _params(request, ReportIn)
    week = week_of(params.week)
    data = report_for(request.user, week)
    tables = [{"name": t.name, "columns": t.columns, "total": t.total,
               "rows": [list(zip(t.columns, [shown(v) for v in row], strict=True)) for row in t.rows]}
              for t in report_tables(data)]
    today = today_local()
    after = week.start + dt.timedelta(days=7)
    return render(request, "dashboard/report.html", {
        "report": data, "title": title_of(data), "summary": summary_lines(data), "tables": tables,
        "week_before": week_code(week.previous()), "week_after": week_code(Period(after, after)) if after <= today else None})
