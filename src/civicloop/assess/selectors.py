"""Every read of the assessment takes the acting user (`orgs.scope.scope_for`): out of sight answers not found.

- sets and every run of the district: its district-level staff (`permissions.may_read`);
- a published run: also the staff of a unit taking part, who see their own unit's scores (and the ranking's
  order, not other units' scores: `run_results_for`).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.dashboard.constants import Part
from civicloop.dashboard.metrics import KPI_BY_CODE, Period
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel

from .constants import LIGHT_GREEN, LIGHT_YELLOW, Light, RunState
from .models import (
    Dimension,
    EvaluationRun,
    Finding,
    Indicator,
    IndicatorSet,
    InspectionRound,
    Score,
    SubjectiveEntry,
    UnitResult,
)
from .permissions import may_see_unit


def sets_for(actor) -> QuerySet:
    scope = scope_for(actor)
    if not scope.is_district_level:
        return IndicatorSet.objects.none()
    return scope.filter_district(IndicatorSet.objects.all())


def set_get_for(actor, set_id: int) -> IndicatorSet:
    found = sets_for(actor).filter(pk=set_id).first()
    if found is None:
        raise not_found()
    return found


def set_indicators(actor, s: IndicatorSet) -> list[Indicator]:
    return list(Indicator.objects.filter(indicator_set=s).select_related("dimension")
                .order_by("dimension__position", "position", "pk"))


def set_dimensions(s: IndicatorSet) -> list[Dimension]:
    return list(Dimension.objects.filter(indicator_set=s).order_by("position", "pk"))


def indicator_get_for(actor, indicator_id: int) -> Indicator:
    found = Indicator.objects.filter(pk=indicator_id, indicator_set__in=sets_for(actor)).select_related(
        "dimension", "indicator_set").first()
    if found is None:
        raise not_found()
    return found


def runs_for(actor) -> QuerySet:
    """District-level staff: the district's runs; a unit's staff: the published runs their unit is in."""
    scope = scope_for(actor)
    qs = EvaluationRun.objects.select_related("indicator_set")
    if scope.is_district_level:
        return scope.filter_district(qs)
    if scope.unit_id is None or scope.district_id is None:
        return qs.none()
    return qs.filter(district_id=scope.district_id, state=RunState.PUBLISHED, units=scope.unit_id)


def run_get_for(actor, run_id: int) -> EvaluationRun:
    found = runs_for(actor).filter(pk=run_id).first()
    if found is None:
        raise not_found()
    return found


def visible_unit_ids(actor, run: EvaluationRun) -> set[int] | None:
    """The units whose scores `actor` sees in `run`: None for all (district-level), else their own unit."""
    scope = scope_for(actor)
    if scope.is_district_level_for(run.district_id):
        return None
    return {scope.unit_id} if scope.unit_id and may_see_unit(actor, run, scope.unit_id) else set()


def light(points: Decimal, full: Decimal) -> str:
    """The traffic light of a score or total: ≥ 90 % of full marks green, ≥ 60 % yellow, else red (a bonus:
    green when it earned anything)."""
    if full <= 0:
        return Light.GREEN if points > 0 else Light.NONE
    ratio = points / full
    return Light.GREEN if ratio >= LIGHT_GREEN else Light.YELLOW if ratio >= LIGHT_YELLOW else Light.RED


def run_results_for(actor, run: EvaluationRun) -> list[UnitResult]:
    """The ranking: every unit's result (district-level), or the viewer's own unit's alone."""
    qs = UnitResult.objects.filter(run=run).select_related("unit").order_by("rank", "unit__code")
    ids = visible_unit_ids(actor, run)
    return list(qs if ids is None else qs.filter(unit_id__in=ids))


def run_matrix_for(actor, run: EvaluationRun, dimension_id: int | None = None) -> dict:
    """Units × indicators (of one dimension, or units × dimensions when none): {"columns", "rows"}; each cell
    {points, full, light, score id}. Two statements besides the results."""
    results = run_results_for(actor, run)
    dimensions = set_dimensions(run.indicator_set)
    if dimension_id is None:
        full = defaultdict(Decimal)
        for i in Indicator.objects.filter(indicator_set_id=run.indicator_set_id).values("dimension_id", "weight", "rule"):
            full[i["dimension_id"]] += Decimal(0) if i["rule"] == "bonus" else i["weight"]
        columns = [{"id": d.pk, "name": d.name, "full": full[d.pk]} for d in dimensions]
        rows = []
        for r in results:
            cells = []
            for c in columns:
                got = Decimal(r.by_dimension.get(str(c["id"]), "0"))
                cells.append({"points": got, "full": c["full"], "light": light(got, c["full"])})
            rows.append({"result": r, "cells": cells, "light": light(r.total, r.full)})
        return {"columns": columns, "rows": rows, "dimensions": dimensions}
    indicators = list(Indicator.objects.filter(indicator_set_id=run.indicator_set_id, dimension_id=dimension_id)
                      .order_by("position", "pk"))
    if not indicators:
        raise not_found()
    scores = {(s.unit_id, s.indicator_id): s for s in Score.objects.filter(
        run=run, indicator__in=indicators, unit_id__in=[r.unit_id for r in results])}
    columns = [{"id": i.pk, "name": i.name, "code": i.code, "full": i.weight} for i in indicators]
    rows = []
    for r in results:
        cells = []
        for i in indicators:
            s = scores.get((r.unit_id, i.pk))
            cells.append(None if s is None else {"points": s.points, "full": s.full, "light": light(s.points, s.full),
                                                 "score_id": s.pk, "value": s.value})
        rows.append({"result": r, "cells": cells, "light": light(r.total, r.full)})
    return {"columns": columns, "rows": rows, "dimensions": dimensions}


def score_get_for(actor, score_id: int) -> Score:
    score = Score.objects.select_related("run", "run__indicator_set", "unit", "indicator", "indicator__dimension").filter(
        pk=score_id).first()
    if score is None or not runs_for(actor).filter(pk=score.run_id).exists():
        raise not_found()
    if not may_see_unit(actor, score.run, score.unit_id):
        raise not_found()
    return score


def drill_links(score: Score) -> list[dict]:
    """The dashboard's lists behind an objective score's figure — the same KPI, period and filters (its
    numerator's and denominator's cases): [{part, label, count, url}]."""
    from civicloop.dashboard.metrics import Filters
    from civicloop.dashboard.selectors import drill_query

    metric = score.inputs.get("metric")
    if not metric or metric not in KPI_BY_CODE:
        return []
    kpi, f = KPI_BY_CODE[metric], score.inputs.get("filters") or {}
    filters = Filters(street_id=f.get("street"), lead_unit_id=f.get("unit"), category_id=f.get("category"),
                      channel=f.get("channel"))
    period = Period(score.run.start, score.run.end)
    parts = [(Part.NUMERATOR, score.numerator if kpi.kind != "average" else score.denominator)]
    if kpi.denominator:
        parts.append((Part.DENOMINATOR, score.denominator))
    base = reverse("dashboard:cases")
    return [{"part": part, "label": Part(part).label, "count": count,
             "url": f"{base}?{drill_query(metric, part, period, filters)}"} for part, count in parts]


def source_links(score: Score) -> list[dict]:
    """Where a source metric's figure comes from (another app's pages, sources.SOURCE_METRICS): [{label, url}]."""
    from .sources import SOURCE_METRICS

    metric = SOURCE_METRICS.get(score.inputs.get("metric") or "")
    return metric.links(score) if metric else []


COSTING_LIMIT = 50
COSTING_PROBE = 4 * COSTING_LIMIT  # the newest facts looked at (some may be out of the viewer's sight)


def cases_costing(actor, score: Score) -> dict | None:
    """The cases that cost an objective score its points, as `actor` may see them (cases selectors: scope and
    masking): for a rate where higher is better, its denominator's cases outside its numerator (the late, the
    unaccepted, the unsatisfied); where lower is better and for a count, its numerator's (the reopened, the
    overdue). {"count", "cases"} or None (an average or a subjective score: no single case costs it).

    Bounded by what it shows, not by the period's size: `count` is the figure the score was computed from (the
    rollups' sums: denominator − numerator, or the numerator), not a count of today's list; `cases` are read from
    the COSTING_PROBE newest of today's facts behind the score (the facts' primary key walked backwards, stopping
    once it has them), then the first COSTING_LIMIT of those in the lists' order. The full list is the
    dashboard's (`drill_links`)."""
    from civicloop.cases.selectors import CaseFilters, case_list_for
    from civicloop.dashboard.constants import KpiKind
    from civicloop.dashboard.metrics import Filters, facts_behind, measure_of, metric_scope_for, today_local

    metric = score.inputs.get("metric")
    kpi = KPI_BY_CODE.get(metric or "")
    if kpi is None or kpi.kind == KpiKind.AVERAGE or not score.points < score.full:
        return None
    scope = metric_scope_for(actor)
    if scope is None:
        return None
    f = score.inputs.get("filters") or {}
    filters = Filters(street_id=f.get("street"), lead_unit_id=f.get("unit"), category_id=f.get("category"),
                      channel=f.get("channel"))
    period = Period(score.run.start, score.run.end)
    now = timezone.now()
    today = today_local(now)
    if kpi.kind == KpiKind.COUNT or score.indicator.direction == "lower":
        facts, count = facts_behind(scope, metric, Part.NUMERATOR, period, filters, today=today), score.numerator
    else:  # the denominator's facts that are not the numerator's: one condition on the same fact rows
        p = period.for_measure(kpi, today)
        facts = facts_behind(scope, metric, Part.DENOMINATOR, period, filters, today=today).exclude(
            measure_of(kpi, Part.NUMERATOR).q(p.start, p.end))
        count = (score.denominator or 0) - (score.numerator or 0)
    # the newest facts first, on the facts' primary key (a LIMIT: it stops once it has enough); then those cases as
    # the viewer may see them, in the lists' order (red, yellow first)
    ids = list(facts.order_by("-case_id").values_list("case_id", flat=True)[:COSTING_PROBE])
    cases = []
    if ids:  # what a line shows (its code, its state): no joins, no whole rows
        from civicloop.cases.constants import CaseState

        rows = case_list_for(actor, CaseFilters(), now=now).filter(pk__in=ids).values_list("tracking_code", "state")
        cases = [{"tracking_code": code, "state": state, "state_label": CaseState(state).label}
                 for code, state in rows[:COSTING_LIMIT]]
    return {"count": count or 0, "cases": cases}


def score_entry(score: Score) -> SubjectiveEntry | None:
    """The value entered for a subjective score (its note is the score page's 录入依据): one row."""
    return SubjectiveEntry.objects.filter(run_id=score.run_id, indicator_id=score.indicator_id,
                                          unit_id=score.unit_id).first()


def run_entries(run: EvaluationRun) -> dict:
    return {(e.indicator_id, e.unit_id): e for e in SubjectiveEntry.objects.filter(run=run)}


def unit_trend_for(actor, run: EvaluationRun, unit_id: int) -> list[dict]:
    """The unit's results in the runs of the same set code it took part in, oldest first: the scorecard's trend
    (only the runs the viewer may read)."""
    rows = (UnitResult.objects.filter(unit_id=unit_id, run__in=runs_for(actor),
                                      run__indicator_set__code=run.indicator_set.code,
                                      run__district_id=run.district_id)
            .select_related("run").order_by("run__end", "run__pk"))
    return [{"run": r.run, "total": r.total, "full": r.full, "rank": r.rank, "medal": r.medal} for r in rows[:50]]


def compare_runs(actor, run: EvaluationRun, other: EvaluationRun) -> list[dict]:
    """Each unit of `run` beside its result in `other` (another period): total, rank and their changes."""
    before = {r.unit_id: r for r in run_results_for(actor, other)}
    out = []
    for r in run_results_for(actor, run):
        b = before.get(r.unit_id)
        out.append({"result": r, "before": b, "change": None if b is None else r.total - b.total,
                    "rank_change": None if b is None else b.rank - r.rank})
    return out


def query_string(**params) -> str:
    return urlencode({k: v for k, v in params.items() if v is not None})


# ----- inspections


def rounds_for(actor) -> QuerySet:
    """District-level staff: the district's rounds; anyone else: the rounds they are a member of."""
    scope = scope_for(actor)
    if scope.is_district_level:
        return scope.filter_district(InspectionRound.objects.all())
    if not getattr(actor, "pk", None):
        return InspectionRound.objects.none()
    return InspectionRound.objects.filter(members=actor.pk)


def round_get_for(actor, round_id: int) -> InspectionRound:
    found = rounds_for(actor).filter(pk=round_id).first()
    if found is None:
        raise not_found()
    return found


def findings_for(actor) -> QuerySet:
    """District-level staff: the district's findings; street and committee staff: their territory's; a round's
    members: their rounds'."""
    scope = scope_for(actor)
    qs = Finding.objects.select_related("case", "place", "street", "indicator", "inspection_round")
    if scope.is_district_level:
        return scope.filter_district(qs)
    visible = Q(pk__in=[])
    if scope.has_territory and scope.root_level == PlaceLevel.STREET:
        visible |= Q(street_id=scope.root_id)
    elif scope.has_territory and scope.root_level == PlaceLevel.COMMUNITY:
        visible |= Q(place__path__startswith=scope.root_path)
    if getattr(actor, "pk", None):
        visible |= Q(inspection_round__members=actor.pk)
    return qs.filter(visible).distinct()


def latest_set_ids(district_id: int) -> list[int]:
    """The latest version of each set of the district (frozen or not): the indicators a finding may cost — it
    counts by set code and indicator code, in every version's evaluations."""
    latest: dict[str, tuple[int, int]] = {}
    for pk, code, version in IndicatorSet.objects.filter(district_id=district_id).values_list("pk", "code", "version"):
        if code not in latest or version > latest[code][1]:
            latest[code] = (pk, version)
    return [pk for pk, _v in latest.values()]


def finding_get_for(actor, finding_id: int) -> Finding:
    found = findings_for(actor).filter(pk=finding_id).first()
    if found is None:
        raise not_found()
    return found


def findings_shown(actor, findings):
    """`findings` with `shown_description`: phone and ID numbers typed into the description masked
    (`core.masking.mask_free_text`) unless the viewer recorded it, keeps the district's assessment, or may see the
    reporter data of its rectification case (`cases.permissions.may_unmask`)."""
    from civicloop.cases.permissions import may_unmask
    from civicloop.core.masking import mask_free_text

    from .permissions import may_manage

    for f in findings:
        clear = (f.recorded_by_id is not None and f.recorded_by_id == getattr(actor, "pk", None)) \
            or may_manage(actor, f.district_id) or (f.case_id is not None and may_unmask(actor, f.case))
        f.shown_description = f.description if clear else mask_free_text(f.description)
    return findings


def finding_photos(finding: Finding) -> list:
    """The photos taken with a finding the viewer already sees (finding_get_for / finding_of_case)."""
    from civicloop.files.selectors import attachments_of

    from .constants import FINDING_OWNER, MAX_FINDING_PHOTOS

    return attachments_of(FINDING_OWNER, finding.pk, limit=MAX_FINDING_PHOTOS)


def finding_of_case(actor, case) -> Finding | None:
    """The finding a rectification case came from, as `actor` may see it (the case page's panel)."""
    return findings_for(actor).filter(case_id=case.pk).first()


def findings_behind(score: Score) -> list[Finding]:
    """The findings counted in a deduction score (its inputs keep their ids)."""
    ids = score.inputs.get("findings") or []
    return list(Finding.objects.filter(pk__in=ids).select_related("place", "case").order_by("found_on", "pk"))
