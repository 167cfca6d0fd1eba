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


def source_figures(actor, run, indicators, units, group: str, today: dt.date | None = None) -> dict:
    """{(indicator id, unit id): (value, numerator, denominator, filters | extra)} of the objective indicators
    whose metric is another app's (sources.SOURCE_METRICS): one computation per metric for all the units."""
    out = {}
    by_metric = defaultdict(list)
    for indicator in indicators:
        if indicator.kind == IndicatorKind.OBJECTIVE and indicator.metric in SOURCE_METRICS:
            by_metric[indicator.metric].append(indicator)
    for code, metric_indicators in by_metric.items():
        figures, extra = SOURCE_METRICS[code].compute(actor, run, units, group, today)
        for unit in units:
            num, den = figures.get(unit.pk, (0, 0))
            value = rules.points(Decimal(num) * HUNDRED / Decimal(den)) if den else None
            unit_filter = {"street": unit.territory_id} if group == UnitGroup.STREETS else {"unit": unit.pk}
            for indicator in metric_indicators:
                out[(indicator.pk, unit.pk)] = (value, num, den, {"filters": unit_filter, **extra})
    return out


def objective_figures(run, indicators, units, group: str, today: dt.date | None) -> dict:
    """{(indicator id, unit id): (value, numerator, denominator, filters)} of the objective indicators (dashboard
    KPIs), in one GROUP BY over the rollups per kind of filter, whatever the number of indicators: the unfiltered
    ones by unit; those narrowed to a channel by unit × channel; those narrowed to a category by unit × category,
    a parent category summing its children's rows (as `Filters.category_ids`); the rare one narrowed to both, one
    GROUP BY of its own per (channel, category)."""
    scope = MetricScope(ScopeKind.DISTRICT, run.district_id)
    period, dimension = Period(run.start, run.end), dimension_of(group)
    objective = [i for i in indicators if i.kind == IndicatorKind.OBJECTIVE and i.metric in KPI_BY_CODE]
    codes = {c: pk for c, pk in Category.objects.filter(code__in={i.category_code for i in objective if i.category_code})
             .values_list("code", "pk")}
    children: dict[int, list[int]] = defaultdict(list)
    if codes:
        for pk, parent in Category.objects.filter(parent_id__in=codes.values()).values_list("pk", "parent_id"):
            children[parent].append(pk)

    def metrics_of(chosen) -> tuple[str, ...]:
        return tuple(sorted({i.metric for i in chosen}))

    def grouped(chosen, extra: str | None, filters: Filters = Filters()) -> dict:
        if not chosen:
            return {}
        return compute_by(scope, period, (dimension, extra) if extra else dimension, filters,
                          codes=metrics_of(chosen), today=today)

    plain = [i for i in objective if not i.channel and not i.category_code]
    by_channel = [i for i in objective if i.channel and not i.category_code]
    by_category = [i for i in objective if i.category_code and not i.channel]
    both = defaultdict(list)
    for i in objective:
        if i.channel and i.category_code:
            both[(i.channel, i.category_code)].append(i)
    rows_plain = grouped(plain, None)
    rows_channel = grouped(by_channel, "channel")
    rows_category = grouped([i for i in by_category if i.category_code in codes], "category_id")
    rows_both = {key: grouped(chosen, None, Filters(category_id=codes[key[1]], channel=key[0]))
                 for key, chosen in both.items() if key[1] in codes}

    def summed(rows: dict, keys, metric: str) -> KpiResult:
        kpi = KPI_BY_CODE[metric]
        num, den = 0, 0 if kpi.denominator else None
        for key in keys:
            r = rows.get(key, {}).get(metric)
            if r is not None:
                num += r.numerator
                if den is not None:
                    den += r.denominator or 0
        return KpiResult(kpi, num, den)

    out = {}
    for unit in units:
        key = unit_key(unit, group) or -1
        unit_filter = {"street": unit.territory_id} if group == UnitGroup.STREETS else {"unit": unit.pk}
        for indicator in objective:
            category_id = codes.get(indicator.category_code) if indicator.category_code else None
            channel = indicator.channel or None
            if indicator.category_code and category_id is None:
                result = summed({}, (), indicator.metric)  # a category this installation does not have: no cases
            elif channel and category_id is not None:
                result = summed(rows_both.get((channel, indicator.category_code), {}), (key,), indicator.metric)
            elif category_id is not None:
                result = summed(rows_category, [(key, c) for c in (category_id, *children[category_id])],
                                indicator.metric)
            elif channel:
                result = summed(rows_channel, ((key, channel),), indicator.metric)
            else:
                result = summed(rows_plain, (key,), indicator.metric)
            value, num, den = kpi_value(result)
            out[(indicator.pk, unit.pk)] = (value, num, den, {**unit_filter, "category": category_id,
                                                              "channel": channel})
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
    sourced = source_figures(actor, run, indicators, units, group, today)  # other apps' figures, as `actor` sees them
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
