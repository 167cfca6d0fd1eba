"""Computing an evaluation: every indicator for every unit, the ranking and the medals. Reads the loop only through
the dashboard's `metrics` (one GROUP BY over the rollups per distinct filter of the objective indicators) and the
run's entries; the scoring itself is rules.py. No writes: services.runs.run_compute stores what `evaluate` returns.

The same data gives the same numbers: Decimals rounded half up, units ranked by total then code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from civicloop.cases.models import Category
from civicloop.dashboard.constants import KpiKind, ScopeKind
from civicloop.dashboard.metrics import KPI_BY_CODE, Filters, KpiResult, MetricScope, Period, compute_by

from . import rules
from .constants import IndicatorKind, Medal, MedalRule, Rule, UnitGroup
from .sources import SOURCE_METRICS

TERM_LABELS = {
    rules.FULL: _("满分"), rules.SHORTFALL: _("未达目标扣分"), rules.EXCESS: _("超出目标加分"),
    rules.DEDUCTION: _("扣分"), rules.BONUS: _("加分"), rules.NO_DATA: _("未录入"),
}
HUNDRED = Decimal(100)


@dataclass
class UnitScore:
    unit_id: int
    indicator_id: int
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    scored: rules.Scored
    full: Decimal
    inputs: dict


@dataclass
class UnitTotal:
    unit_id: int
    total: Decimal = Decimal("0.00")
    full: Decimal = Decimal("0.00")
    by_dimension: dict = field(default_factory=dict)
    rank: int = 0
    medal: str = ""


def dimension_of(group: str) -> str:
    """The rollup column a unit's figures are read by: a street office's street, a department's cases."""
    return "street_id" if group == UnitGroup.STREETS else "lead_unit_id"


def unit_key(unit, group: str) -> int | None:
    return unit.territory_id if group == UnitGroup.STREETS else unit.pk


def kpi_value(result: KpiResult | None) -> tuple[Decimal | None, int, int | None]:
    """(value, numerator, denominator) of a KPI's figure: a rate in per cent, an average in its unit (both to two
    places, half up), a count as it is; None when a rate or average has no cases."""
    if result is None:
        return None, 0, 0
    kpi, num, den = result.kpi, result.numerator, result.denominator
    if kpi.kind == KpiKind.COUNT:
        return Decimal(num), num, None
    if not den:
        return None, num, den
    factor = HUNDRED if kpi.kind == KpiKind.RATE else Decimal(1)
    return rules.points(Decimal(num) * factor / Decimal(den)), num, den


def score_of(indicator, value: Decimal | None, *, entered: bool = True) -> rules.Scored:
    """The indicator's rule applied to `value` (an objective figure, an entered score or count of items).
    A subjective score not entered scores 0 (NO_DATA); a missing objective rate scores full marks (no cases)."""
    weight = indicator.weight
    if indicator.rule == Rule.LINEAR:
        if value is None and not entered:
            return rules.Scored(Decimal("0.00"), ((rules.FULL, weight), (rules.NO_DATA, -weight)))
        return rules.linear(value, weight=weight, target=indicator.target, floor=indicator.floor, cap=indicator.cap)
    if indicator.rule == Rule.THRESHOLD:
        if value is None and not entered:
            return rules.Scored(Decimal("0.00"), ((rules.FULL, weight), (rules.NO_DATA, -weight)))
        return rules.threshold(value, weight=weight, target=indicator.target, direction=indicator.direction)
    if indicator.rule == Rule.DEDUCTION:
        return rules.deduction(value, weight=weight, per_item=indicator.per_item, cap=indicator.cap)
    return rules.bonus(value, per_item=indicator.per_item, cap=indicator.cap)


def rule_inputs(indicator) -> dict:
    return {k: (None if getattr(indicator, k) is None else str(getattr(indicator, k)))
            for k in ("weight", "target", "floor", "cap", "per_item")} | {
        "rule": indicator.rule, "direction": indicator.direction, "kind": indicator.kind}


def finding_items(indicator, found) -> dict:
    """The inputs a deduction keeps about its findings [(id, severity)]: their ids, how many of each severity, the
    factor of each (the rule's severity weighting) and the items they count as in all (Σ count × factor)."""
    by_severity: dict[str, int] = {}
    for _pk, severity in found:
        by_severity[severity] = by_severity.get(severity, 0) + 1
    items = sum((indicator.factor(sev) * n for sev, n in by_severity.items()), Decimal(0))
    return {"findings": sorted(pk for pk, _sev in found), "by_severity": dict(sorted(by_severity.items())),
            "factors": {sev: str(indicator.factor(sev)) for sev in sorted(by_severity)},
            "finding_items": str(rules.points(items))}


def source_figures(actor, run, indicators, units, group: str) -> dict:
    """{(indicator id, unit id): (value, numerator, denominator, filters | extra)} of the objective indicators
    whose metric is another app's (sources.SOURCE_METRICS): one computation per metric for all the units."""
    out = {}
    by_metric = defaultdict(list)
    for indicator in indicators:
        if indicator.kind == IndicatorKind.OBJECTIVE and indicator.metric in SOURCE_METRICS:
            by_metric[indicator.metric].append(indicator)
    for code, metric_indicators in by_metric.items():
        figures, extra = SOURCE_METRICS[code].compute(actor, run, units, group)
        for unit in units:
            num, den = figures.get(unit.pk, (0, 0))
            value = rules.points(Decimal(num) * HUNDRED / Decimal(den)) if den else None
            unit_filter = {"street": unit.territory_id} if group == UnitGroup.STREETS else {"unit": unit.pk}
            for indicator in metric_indicators:
                out[(indicator.pk, unit.pk)] = (value, num, den, {"filters": unit_filter, **extra})
    return out


def objective_figures(run, indicators, units, group: str, today: dt.date | None) -> dict:
    """{(indicator id, unit id): (value, numerator, denominator, filters)} of the objective indicators, in one
    GROUP BY over the rollups per distinct (channel, category) of the indicators."""
    scope = MetricScope(ScopeKind.DISTRICT, run.district_id)
    period, dimension = Period(run.start, run.end), dimension_of(group)
    by_filter = defaultdict(list)
    for indicator in indicators:
        if indicator.kind == IndicatorKind.OBJECTIVE and indicator.metric in KPI_BY_CODE:
            by_filter[(indicator.channel, indicator.category_code)].append(indicator)
    categories = dict(Category.objects.filter(code__in={c for _ch, c in by_filter if c}).values_list("code", "pk"))
    out = {}
    for (channel, category_code), group_indicators in by_filter.items():
        category_id = categories.get(category_code) if category_code else None
        filters = Filters(category_id=category_id, channel=channel or None)
        if category_code and category_id is None:
            rows = {}  # a category this installation does not have: no cases
        else:
            codes = tuple(sorted({i.metric for i in group_indicators}))
            rows = compute_by(scope, period, dimension, filters, codes=codes, today=today)
        for unit in units:
            results = rows.get(unit_key(unit, group) or -1, {})
            for indicator in group_indicators:
                result = results.get(indicator.metric)
                if result is None:
                    result = KpiResult(KPI_BY_CODE[indicator.metric], 0, 0 if KPI_BY_CODE[indicator.metric].denominator else None)
                value, num, den = kpi_value(result)
                unit_filter = {"street": unit.territory_id} if group == UnitGroup.STREETS else {"unit": unit.pk}
                out[(indicator.pk, unit.pk)] = (value, num, den, {**unit_filter, "category": category_id,
                                                                  "channel": channel or None})
    return out


def evaluate(run, indicators, units, entries: dict, *, findings: dict | None = None,
             today: dt.date | None = None, actor=None) -> tuple[list[UnitScore], list[UnitTotal]]:
    """Every indicator (`indicators`, with their dimension ids) for every unit (`units`, orgs.Unit), from the
    rollups, `entries` ({(indicator id, unit id): Decimal}) and the inspection `findings` of the period
    ({(indicator code, street id): [(finding id, severity)]}: deduction items of a subjective deduction indicator,
    each weighted by its severity's factor on the indicator, added to what was entered); then totals, ranks and
    medals by the run's rule."""
    findings = findings or {}
    group = run.indicator_set.unit_group
    figures = objective_figures(run, indicators, units, group, today)
    sourced = source_figures(actor, run, indicators, units, group)  # other apps' figures, as `actor` sees them
    scores, totals = [], {u.pk: UnitTotal(u.pk) for u in units}
    for unit in units:
        total = totals[unit.pk]
        for indicator in indicators:
            inputs = rule_inputs(indicator)
            if indicator.kind == IndicatorKind.OBJECTIVE and indicator.metric in SOURCE_METRICS:
                value, num, den, extra = sourced[(indicator.pk, unit.pk)]
                inputs |= {"metric": indicator.metric, **extra}
                scored = score_of(indicator, value)
            elif indicator.kind == IndicatorKind.OBJECTIVE:
                value, num, den, filters = figures[(indicator.pk, unit.pk)]
                inputs |= {"metric": indicator.metric, "filters": filters}
                scored = score_of(indicator, value)
            else:
                num = den = None
                value = entries.get((indicator.pk, unit.pk))
                found = findings.get((indicator.code, unit_key(unit, group))) if indicator.rule == Rule.DEDUCTION else None
                if found:
                    items = finding_items(indicator, found)
                    inputs |= {"entered": None if value is None else str(value), **items}
                    value = (value or Decimal(0)) + Decimal(items["finding_items"])
                scored = score_of(indicator, value, entered=value is not None)
            full = Decimal("0.00") if indicator.rule == Rule.BONUS else rules.points(indicator.weight)
            scores.append(UnitScore(unit.pk, indicator.pk, value, num, den, scored, full, inputs))
            total.total += scored.points
            total.full += full
            key = str(indicator.dimension_id)
            total.by_dimension[key] = str(Decimal(total.by_dimension.get(key, "0")) + scored.points)
    ranked = rank(list(totals.values()), {u.pk: u.code for u in units})
    award(ranked, run.medal_rule, run.gold, run.silver, run.bronze)
    return scores, ranked


def rank(totals: list[UnitTotal], codes: dict[int, str]) -> list[UnitTotal]:
    """Best total first (ties by unit code, for a stable order); equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals, key=lambda t: (-t.total, codes.get(t.unit_id, "")))
    for index, t in enumerate(ordered):
        t.rank = ordered[index - 1].rank if index and t.total == ordered[index - 1].total else index + 1
    return ordered


def award(ranked: list[UnitTotal], rule: str, gold: Decimal, silver: Decimal, bronze: Decimal) -> None:
    """Medals by ranks (TOP_N: the first `gold` ranks, the next `silver`, the next `bronze`) or by score rate
    (THRESHOLD: total ÷ full marks × 100 at least gold / silver / bronze)."""
    for t in ranked:
        t.medal = ""
        if rule == MedalRule.TOP_N:
            g, s, b = int(gold), int(gold) + int(silver), int(gold) + int(silver) + int(bronze)
            t.medal = Medal.GOLD if t.rank <= g else Medal.SILVER if t.rank <= s else Medal.BRONZE if t.rank <= b else ""
        elif t.full > 0:
            rate = t.total * HUNDRED / t.full
            t.medal = (Medal.GOLD if rate >= gold else Medal.SILVER if rate >= silver
                       else Medal.BRONZE if rate >= bronze else "")
