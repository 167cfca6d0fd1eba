"""The assessment's pages. Thin: parse with the API's schemas (inputs.py), one service or selector, render.
Never api.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicloop.cases.constants import Channel
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.input import INT64_MAX
from civicloop.core.pages import done, form_validated
from civicloop.core.pages import form_fields as _form
from civicloop.core.pages import page_pk as _pk
from civicloop.dashboard.metrics import KPIS
from civicloop.orgs.models import Unit

from . import export, selectors
from .constants import Direction, IndicatorKind, Light, Medal, MedalRule, Rule, UnitGroup
from .evaluation import TERM_LABELS
from .inputs import EntriesIn, IndicatorIn, RunIn, SetIn
from .models import Score
from .permissions import (
    may_manage,
    may_read,
    may_see_rounds,
    may_see_unit,
    run_is_open,
    run_may_publish,
    set_is_editable,
)
from .services import runs as run_services
from .services import sets as set_services
from .sources import SOURCE_METRICS
from .templates_data import TEMPLATES

# the shipped templates' names as the page offers them (the names stored in a set are the district's own words)
TEMPLATE_LABELS = {"jinyintong": gettext_lazy("精神文明建设金银铜奖考核细则"),
                   "bihuan": gettext_lazy("街道诉求闭环考核（12345口径）")}
LIGHT_CLASSES = {Light.GREEN: "table-success", Light.YELLOW: "table-warning", Light.RED: "table-danger",
                 Light.NONE: ""}




def _legend() -> list[tuple[str, str]]:
    return [(LIGHT_CLASSES[Light.GREEN], _("九成及以上")), (LIGHT_CLASSES[Light.YELLOW], _("六至九成")),
            (LIGHT_CLASSES[Light.RED], _("不足六成"))]


def _download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# ----- home: sets and runs


@login_required
def home(request):
    user = request.user
    manager = may_manage(user)
    if request.method == "POST":
        if request.POST.get("form") == "set":
            payload = form_validated(SetIn, _form(request, ("code", "name", "unit_group", "description", "template")))
            s = set_services.set_create(actor=user, **payload.dict())
            return done(request, reverse("assess:set", args=[s.pk]), _("已新建指标体系。"))
        data = _form(request, ("set_id", "name", "start", "end", "medal_rule", "gold", "silver", "bronze"))
        data["unit_ids"] = [v for v in request.POST.getlist("unit_ids") if v]
        payload = form_validated(RunIn, data)
        run = run_services.run_create(actor=user, **payload.dict())
        return done(request, reverse("assess:run", args=[run.pk]), _("已新建考核（草拟），请录入主观评分后计算。"))
    sets = list(selectors.sets_for(user)[:200])
    return render(request, "assess/home.html", {
        "sets": sets, "runs": list(selectors.runs_for(user)[:200]), "manager": manager, "reader": may_read(user),
        "templates": [(code, TEMPLATE_LABELS.get(code, t["name"])) for code, t in TEMPLATES.items()], "unit_groups": UnitGroup.choices,
        "medal_rules": MedalRule.choices, "own_unit": getattr(user, "unit_id", None),
        "rounds_link": may_see_rounds(user)})


# ----- indicator sets


@login_required
def set_page(request, pk: int):
    s = selectors.set_get_for(request.user, _pk(pk))
    indicators = selectors.set_indicators(request.user, s)
    manager = may_manage(request.user, s.district_id)
    groups: list[dict] = []
    for i in indicators:
        if not groups or groups[-1]["dimension"].pk != i.dimension_id:
            groups.append({"dimension": i.dimension, "indicators": [], "points": 0})
        groups[-1]["indicators"].append(i)
        groups[-1]["points"] += 0 if i.rule == Rule.BONUS else i.weight
    return render(request, "assess/set.html", {
        "set": s, "groups": groups, "count": len(indicators), "total": sum(g["points"] for g in groups),
        "editable": manager and set_is_editable(s), "may_version": manager and not set_is_editable(s),
        "manager": manager, "runs": list(selectors.runs_for(request.user).filter(indicator_set=s)[:50]),
        "import_kind": "assess_indicators"})


@login_required
@require_POST
def set_version(request, pk: int):
    new = set_services.set_new_version(actor=request.user, set_id=_pk(pk))
    return done(request, reverse("assess:set", args=[new.pk]), _("已新建版本 %(v)s，可修改指标。") % {"v": new.version})


@login_required
def set_xlsx(request, pk: int):
    s = selectors.set_get_for(request.user, _pk(pk))
    data = export.set_workbook(s, selectors.set_indicators(request.user, s))
    return _download(data, f"indicators-{s.code}-v{s.version}.xlsx")


INDICATOR_FIELDS = ("dimension", "code", "name", "kind", "metric", "channel", "category_code", "weight", "rule",
                    "direction", "target", "floor", "cap", "per_item", "factor_minor", "factor_major", "factor_serious",
                    "criteria")


def _indicator_context(s, indicator=None) -> dict:
    return {"set": s, "indicator": indicator, "kinds": IndicatorKind.choices, "rules": Rule.choices,
            "directions": Direction.choices, "metrics": [(k.code, k.label) for k in KPIS]
            + [(m.code, m.label) for m in SOURCE_METRICS.values()],
            "channels": Channel.choices, "dimensions": selectors.set_dimensions(s)}


@login_required
def indicator_page(request, pk: int):
    """A new indicator of the set (managers, set not frozen)."""
    s = selectors.set_get_for(request.user, _pk(pk))
    if not (may_manage(request.user, s.district_id) and set_is_editable(s)):
        raise CivicError(ErrorCode.FORBIDDEN)
    if request.method == "POST":
        payload = form_validated(IndicatorIn, _form(request, INDICATOR_FIELDS))
        set_services.indicator_save(actor=request.user, set_id=s.pk, **payload.dict())
        return done(request, reverse("assess:set", args=[s.pk]), _("已添加指标。"))
    return render(request, "assess/indicator.html", _indicator_context(s))


@login_required
def indicator_edit(request, pk: int):
    indicator = selectors.indicator_get_for(request.user, _pk(pk))
    s = indicator.indicator_set
    editable = may_manage(request.user, s.district_id) and set_is_editable(s)
    if request.method == "POST":
        payload = form_validated(IndicatorIn, _form(request, INDICATOR_FIELDS))
        set_services.indicator_save(actor=request.user, set_id=s.pk, indicator_id=indicator.pk, **payload.dict())
        return done(request, reverse("assess:set", args=[s.pk]), _("已保存。"))
    return render(request, "assess/indicator.html", {**_indicator_context(s, indicator), "editable": editable})


@login_required
@require_POST
def indicator_remove(request, pk: int):
    indicator = selectors.indicator_get_for(request.user, _pk(pk))
    set_services.indicator_delete(actor=request.user, indicator_id=indicator.pk)
    return done(request, reverse("assess:set", args=[indicator.indicator_set_id]), _("已删除指标。"))


# ----- evaluation runs


def _dimension_param(request) -> int | None:
    value = request.GET.get("dim", "")
    if not value:
        return None
    if not value.isdigit() or int(value) > INT64_MAX:
        raise not_found()
    return int(value)


def _shown_rows(matrix: dict) -> None:
    for row in matrix["rows"]:
        row["class"] = LIGHT_CLASSES[row["light"]]
        for cell in row["cells"]:
            if cell is not None:
                cell["class"] = LIGHT_CLASSES[cell["light"]]


@login_required
def run_page(request, pk: int):
    """The evaluation as a matrix: units × dimensions, or units × one dimension's indicators (?dim=)."""
    run = selectors.run_get_for(request.user, _pk(pk))
    dimension_id = _dimension_param(request)
    matrix = selectors.run_matrix_for(request.user, run, dimension_id)
    _shown_rows(matrix)
    manager = may_manage(request.user, run.district_id)
    others = selectors.runs_for(request.user).filter(indicator_set__code=run.indicator_set.code).exclude(pk=run.pk)
    return render(request, "assess/run.html", {
        "run": run, "matrix": matrix, "dimension_id": dimension_id, "legend": _legend(), "medals": dict(Medal.choices),
        "may_compute": manager and run_is_open(run), "may_publish": manager and run_may_publish(run),
        "may_enter": manager and run_is_open(run), "district_level": may_read(request.user),
        "others": list(others[:50])})


@login_required
@require_POST
def run_compute(request, pk: int):
    run_services.run_compute(actor=request.user, run_id=_pk(pk))
    return done(request, reverse("assess:run", args=[pk]), _("已计算。"))


@login_required
@require_POST
def run_publish(request, pk: int):
    run_services.run_publish(actor=request.user, run_id=_pk(pk))
    return done(request, reverse("assess:run", args=[pk]), _("已发布，考核结果不再改变。"))


@login_required
def entries_page(request, pk: int):
    """Subjective scores of one dimension's subjective indicators for every unit (managers, draft runs)."""
    run = selectors.run_get_for(request.user, _pk(pk))
    if not (may_manage(request.user, run.district_id) and run_is_open(run)):
        raise CivicError(ErrorCode.FORBIDDEN)
    indicators = [i for i in selectors.set_indicators(request.user, run.indicator_set)
                  if i.kind == IndicatorKind.SUBJECTIVE]
    dimensions = [d for d in selectors.set_dimensions(run.indicator_set)
                  if any(i.dimension_id == d.pk for i in indicators)]
    dimension_id = _dimension_param(request) or (dimensions[0].pk if dimensions else None)
    indicators = [i for i in indicators if i.dimension_id == dimension_id]
    units = list(run.units.order_by("code"))
    if request.method == "POST":
        entries = []
        for i in indicators:
            for u in units:
                key = f"v_{i.pk}_{u.pk}"
                if key in request.POST:
                    entries.append({"unit_id": u.pk, "indicator_id": i.pk, "value": request.POST[key].strip() or None})
        payload = form_validated(EntriesIn, {"entries": entries})
        count = run_services.entries_save(actor=request.user, run_id=run.pk,
                                          entries=[e.dict() for e in payload.entries])
        return done(request, reverse("assess:entries", args=[run.pk]) + f"?dim={dimension_id}",
                    _("已保存 %(n)s 项评分，请重新计算。") % {"n": count})
    saved = selectors.run_entries(run)
    rows = [{"indicator": i, "cells": [{"unit": u, "name": f"v_{i.pk}_{u.pk}",
                                        "value": getattr(saved.get((i.pk, u.pk)), "value", "")} for u in units]}
            for i in indicators]
    return render(request, "assess/entries.html", {"run": run, "units": units, "rows": rows,
                                                   "dimensions": dimensions, "dimension_id": dimension_id})


def _run_data(request, run):
    if run.computed_at is None and not run.published:
        raise CivicError(run_services.AssessErrorCode.RUN_NOT_COMPUTED)
    results = selectors.run_results_for(request.user, run)
    ids = [r.unit_id for r in results]
    scores = list(Score.objects.filter(run=run, unit_id__in=ids).order_by("unit__code", "indicator__dimension__position",
                                                                          "indicator__position"))
    return results, scores


@login_required
def run_print(request, pk: int):
    run = selectors.run_get_for(request.user, _pk(pk))
    matrix = selectors.run_matrix_for(request.user, run)
    _shown_rows(matrix)
    return render(request, "assess/print.html", {"run": run, "matrix": matrix, "medals": dict(Medal.choices),
                                                 "legend": _legend()})


@login_required
def run_xlsx(request, pk: int):
    run = selectors.run_get_for(request.user, _pk(pk))
    results, scores = _run_data(request, run)
    indicators = selectors.set_indicators(request.user, run.indicator_set)
    units = Unit.objects.filter(pk__in=[r.unit_id for r in results])
    return _download(export.run_workbook(run, results, scores, indicators, units), f"evaluation-{run.pk}.xlsx")


@login_required
def run_compare(request, pk: int):
    run = selectors.run_get_for(request.user, _pk(pk))
    other_id = request.GET.get("other", "")
    if not other_id.isdigit():
        raise not_found()
    other = selectors.run_get_for(request.user, _pk(int(other_id)))
    return render(request, "assess/compare.html", {"run": run, "other": other,
                                                   "rows": selectors.compare_runs(request.user, run, other),
                                                   "medals": dict(Medal.choices)})


@login_required
def scorecard(request, pk: int, unit: int):
    """A unit's scorecard in a run: its dimensions and indicators with their lights, and its trend."""
    run = selectors.run_get_for(request.user, _pk(pk))
    if not may_see_unit(request.user, run, _pk(unit)):
        raise not_found()
    result = next((r for r in selectors.run_results_for(request.user, run) if r.unit_id == unit), None)
    if result is None:
        raise not_found()
    scores = list(Score.objects.filter(run=run, unit_id=unit).select_related("indicator", "indicator__dimension")
                  .order_by("indicator__dimension__position", "indicator__position", "indicator__pk"))
    groups: list[dict] = []
    for s in scores:
        if not groups or groups[-1]["dimension"].pk != s.indicator.dimension_id:
            groups.append({"dimension": s.indicator.dimension, "scores": [],
                           "points": result.by_dimension.get(str(s.indicator.dimension_id), "0")})
        s.css = LIGHT_CLASSES[selectors.light(s.points, s.full)]
        groups[-1]["scores"].append(s)
    trend = selectors.unit_trend_for(request.user, run, unit)
    return render(request, "assess/scorecard.html", {"run": run, "result": result, "groups": groups,
                                                     "trend": trend, "medals": dict(Medal.choices),
                                                     "legend": _legend()})


@login_required
def score_page(request, pk: int):
    """A score's provenance: the formula, the inputs, the terms that add up to it, the cases behind it."""
    score = selectors.score_get_for(request.user, _pk(pk))
    kpi = None
    if score.inputs.get("metric"):
        from civicloop.dashboard.metrics import KPI_BY_CODE

        kpi = KPI_BY_CODE.get(score.inputs["metric"]) or SOURCE_METRICS.get(score.inputs["metric"])
    terms = [(TERM_LABELS.get(name, name), amount) for name, amount in score.terms]
    entry = selectors.score_entry(score)
    visible = set(selectors.findings_for(request.user).filter(pk__in=score.inputs.get("findings") or [])
                  .values_list("pk", flat=True))
    findings = selectors.findings_shown(request.user, [f for f in selectors.findings_behind(score) if f.pk in visible])
    for f in findings:
        f.factor = (score.inputs.get("factors") or {}).get(f.severity)
    return render(request, "assess/score.html", {
        "score": score, "indicator": score.indicator, "kpi": kpi, "findings": findings, "terms": terms, "entry": entry,
        "drills": selectors.drill_links(score), "sources": selectors.source_links(score), "costing": selectors.cases_costing(request.user, score),
        "rule_label": Rule(score.indicator.rule).label,
        "direction_label": Direction(score.indicator.direction).label})
