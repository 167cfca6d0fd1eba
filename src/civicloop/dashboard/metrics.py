"""The KPIs, defined once: what each counts, over which days, and the cases behind each figure.

A KPI is a ratio, count or average of rollup measures (`measures.MEASURES`: one column of `DailyRollup`, one
condition over `CaseFact`). It computes for any viewer's scope (`MetricScope`: the district, a street, a committee,
a department's cases), period (`Period`, days in Asia/Shanghai, both ends included) and filter (`Filters`: street,
lead unit, category — a parent with its children —, channel, appeal type) from the rollups alone (`compute`, `compute_by`), and
lists the cases behind its numerator or denominator (`cases_behind`) from the same facts, through the cases
selectors, so scope and masking hold and the list has the figure's count. The assessment reuses this module for its
objective indicators; docs/kpis.md is the reader's version of `KPIS`.

A slot for later: the visits app's coverage of key groups (走访覆盖率) becomes a KPI here once its coverage selectors
exist — a Kpi whose parts read those selectors instead of the rollups (see docs/kpis.md, "Visit coverage").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import add
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civicloop.cases.models import Category
from civicloop.cases.selectors import CaseFilters, case_list_for
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel

from .constants import KpiKind, Part, ScopeKind
from .facts import local_day
from .measures import BY_NAME, Measure
from .models import ROLLUPS, CaseFact


@dataclass(frozen=True)
class Kpi:
    code: str
    label: Any
    kind: str  # KpiKind
    numerator: str  # a measure (measures.BY_NAME)
    denominator: str | None  # None: a count
    formula: Any  # in words, for the page and docs/kpis.md
    basis: Any  # the time basis: which day puts a case in a period
    treatment: Any  # merged, withdrawn and reopened cases
    unit: Any = ""
    past_days_only: bool = False  # only days already over count (a deadline is missed at the end of its day)


_EXCLUDED = _("已合并、已撤回的工单不计入。")
KPIS: tuple[Kpi, ...] = (
    Kpi("intake", _("受理量"), KpiKind.COUNT, "intake", None,
        _("期间内登记的工单数"), _("登记日"), _("全部计入，含已合并、已撤回的工单（按来源、分类分列）。"), _("件")),
    Kpi("accept_rate", _("及时签收率"), KpiKind.RATE, "accepted_on_time", "dispatched",
        _("首次派单后按时签收的工单 ÷ 首次派单的工单"), _("首次派单日"),
        format_lazy("{}{}", _("签收时限：首次派单后第 N 个工作日结束前（默认 1）；退单后再派、再签收仍按首次派单计。"), _EXCLUDED), "%"),
    Kpi("on_time_rate", _("按时办结率"), KpiKind.RATE, "resolved_on_time", "resolved",
        _("在办理期限（含批准的延期）前办结的工单 ÷ 办结的工单"), _("办结日（最后一次办结）"),
        format_lazy("{}{}", _("重办的工单在重新办结前不计，重新办结后按最后一次办结计。"), _EXCLUDED), "%"),
    Kpi("resolve_rate", _("办结率"), KpiKind.RATE, "intake_resolved", "intake_counted",
        _("期间内登记且目前已办结的工单 ÷ 期间内登记的工单"), _("登记日"),
        format_lazy("{}{}", _("重办中的工单算未办结。"), _EXCLUDED), "%"),
    Kpi("satisfaction_rate", _("回访满意率"), KpiKind.RATE, "satisfied", "rated",
        _("最近一次评价为满意或基本满意的工单 ÷ 有评价的工单"), _("最近一次评价日"),
        format_lazy("{}{}", _("不满意后重办再评价的，按最近一次评价计。"), _EXCLUDED), "%"),
    Kpi("reopen_rate", _("重办率"), KpiKind.RATE, "reopened", "resolved",
        _("办结的工单中曾经重办的 ÷ 办结的工单"), _("办结日（最后一次办结）"),
        format_lazy("{}{}", _("重办（不满意或派单员退回结果）过一次即计入分子。"), _EXCLUDED), "%"),
    Kpi("handling_days", _("平均办理时长"), KpiKind.AVERAGE, "handling_days", "resolved",
        _("办结工单从首次派单到办结的工作日数之和 ÷ 办结的工单"), _("办结日（最后一次办结）"),
        format_lazy("{}{}", _("按工作日历（workdays）计，派单当日不计；重办的工单算到最后一次办结。"), _EXCLUDED), _("个工作日")),
    Kpi("overdue", _("超期件数"), KpiKind.COUNT, "overdue", None,
        _("办理期限落在期间内、且到期未办结（办结晚于期限，或期限已过仍在办理）的工单数"), _("办理期限日（仅已过去的日子）"),
        format_lazy("{}{}", _("期限含批准的延期；重办后仍未办结的计入；升级会商、退单后计时停止的不计。"), _EXCLUDED), _("件"), True),
    Kpi("supervised", _("督办件数"), KpiKind.COUNT, "supervised", None,
        _("期间内首次被督办（人工或超期自动）的工单数"), _("首次督办日"), _EXCLUDED, _("件")),
    Kpi("escalated", _("会商件数"), KpiKind.COUNT, "escalated", None,
        _("期间内首次升级会商的工单数"), _("首次升级会商日"), _EXCLUDED, _("件")),
    Kpi("return_rate", _("退单率"), KpiKind.RATE, "returned", "dispatched",
        _("首次派单的工单中被退单过的 ÷ 首次派单的工单"), _("首次派单日"),
        format_lazy("{}{}", _("退单一次即计入分子；按哪些单位、分类退单见“职责争议”。"), _EXCLUDED), "%"),
    Kpi("repeat_returns", _("重复退单"), KpiKind.COUNT, "returned_twice", None,
        _("首次派单的工单中被退单两次及以上（职责不清，转会商）的工单数"), _("首次派单日"), _EXCLUDED, _("件")),
)
KPI_BY_CODE = {kpi.code: kpi for kpi in KPIS}


def measure_of(kpi: Kpi, part: str) -> Measure:
    """The measure whose cases a part of `kpi` lists. An average's numerator is a sum over its denominator's cases,
    so both parts list those."""
    if part == Part.DENOMINATOR or kpi.kind == KpiKind.AVERAGE:
        return BY_NAME[kpi.denominator]
    return BY_NAME[kpi.numerator]


# ----- scope, period, filters


@dataclass(frozen=True)
class MetricScope:
    """Whose cases a viewer's figures count: on CaseFact, DailyRollup, CaseReturn and Case alike (same columns)."""

    kind: str  # ScopeKind
    district_id: int | None = None
    street_id: int | None = None
    community_id: int | None = None
    lead_unit_id: int | None = None

    def q(self) -> Q:
        return Q(**{name: value for name in ("district_id", "street_id", "community_id", "lead_unit_id")
                    if (value := getattr(self, name)) is not None})


def metric_scope_for(actor) -> MetricScope | None:
    """A leader or any district-level staff: the district; street staff: the street; committee staff: the
    community; a department: the cases it leads now. None: no figures to read (no territory, no unit)."""
    scope = scope_for(actor)
    if scope.sees_everything:
        return MetricScope(ScopeKind.ALL)
    if scope.is_department and scope.unit_id:
        return MetricScope(ScopeKind.DEPARTMENT, scope.district_id, lead_unit_id=scope.unit_id)
    if scope.root_id is None:
        return None
    if scope.root_level == PlaceLevel.DISTRICT:
        return MetricScope(ScopeKind.DISTRICT, scope.district_id)
    if scope.root_level == PlaceLevel.STREET:
        return MetricScope(ScopeKind.STREET, scope.district_id, street_id=scope.root_id)
    if scope.root_level == PlaceLevel.COMMUNITY:
        return MetricScope(ScopeKind.COMMUNITY, scope.district_id, community_id=scope.root_id)
    return None


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def for_measure(self, kpi: Kpi | None, today: dt.date) -> Period:
        """The days a figure counts: for a KPI of past days only, not today or later."""
        if kpi is not None and kpi.past_days_only:
            return Period(self.start, min(self.end, today - dt.timedelta(days=1)))
        return self


def today_local(now: dt.datetime | None = None) -> dt.date:
    return local_day(now or timezone.now())


@dataclass(frozen=True)
class Filters:
    street_id: int | None = None
    lead_unit_id: int | None = None
    category_id: int | None = None  # a parent includes its children
    channel: str | None = None
    appeal_type: str | None = None  # cases.AppealType

    def category_ids(self) -> list[int]:
        if self.category_id is None:
            return []
        return [self.category_id, *Category.objects.filter(parent_id=self.category_id).values_list("pk", flat=True)]

    def q(self, category_ids: list[int] | None = None) -> Q:
        """On CaseFact, DailyRollup and Case (the same column names). `category_ids`: `category_ids()`, read once."""
        q = Q()
        if self.street_id is not None:
            q &= Q(street_id=self.street_id)
        if self.lead_unit_id is not None:
            q &= Q(lead_unit_id=self.lead_unit_id)
        if self.category_id is not None:
            q &= Q(category_id__in=self.category_ids() if category_ids is None else category_ids)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.appeal_type:
            q &= Q(appeal_type=self.appeal_type)
        return q


# ----- figures (from the rollups)


@dataclass(frozen=True)
class KpiResult:
    kpi: Kpi
    numerator: int
    denominator: int | None

    @property
    def value(self) -> float | None:
        if self.kpi.kind == KpiKind.COUNT:
            return self.numerator
        if not self.denominator:
            return None
        return self.numerator / self.denominator


def _sums(period: Period, today: dt.date, names=None) -> dict:
    """Σ of every measure the KPIs read over `period` (a past-days-only KPI's measure over its own days). The rows
    read are the period's, so only a shorter window needs a FILTER (short SQL: psycopg parses every statement's
    text on the client, ~5 ms for one with a FILTER per measure)."""
    aggregates = {}
    for kpi in KPIS:
        p = period.for_measure(kpi, today)
        for name in filter(None, (kpi.numerator, kpi.denominator)):
            if names is None or name in names:
                window = None if p == period else Q(day__gte=p.start, day__lte=p.end)
                aggregates[f"{name}@{kpi.past_days_only:d}"] = Sum(name, filter=window, default=0)
    return aggregates


def _results(row: dict, kpis=KPIS) -> dict[str, KpiResult]:
    def get(name, kpi):
        return int(row[f"{name}@{kpi.past_days_only:d}"] or 0)
    return {kpi.code: KpiResult(kpi, get(kpi.numerator, kpi), get(kpi.denominator, kpi) if kpi.denominator else None)
            for kpi in kpis}


def rollup_model(scope: MetricScope, filters: Filters, dimension: str | tuple[str, ...] | None = None):
    """The smallest rollup table (`models.ROLLUPS`) with every column the scope and filters narrow by and the
    `dimension` grouped by: a district's figures per street, unit, category or channel never read the full one."""
    needed = {name for name in ("street_id", "community_id", "lead_unit_id") if getattr(scope, name) is not None}
    needed |= {name for name, value in (("street_id", filters.street_id), ("lead_unit_id", filters.lead_unit_id),
                                        ("category_id", filters.category_id), ("channel", filters.channel),
                                        ("appeal_type", filters.appeal_type))
               if value is not None and value != ""}
    needed |= set((dimension,) if isinstance(dimension, str) or dimension is None else dimension) - {None, "day"}
    return next(model for model, dims in ROLLUPS if needed <= set(dims))


def rollups(scope: MetricScope, filters: Filters, period: Period, category_ids=None,
            dimension: str | tuple[str, ...] | None = None) -> QuerySet:
    return rollup_model(scope, filters, dimension).objects.filter(
        scope.q(), filters.q(category_ids), day__gte=period.start, day__lte=period.end)


def compute(scope: MetricScope, period: Period, filters: Filters = Filters(), *, today: dt.date | None = None,
            category_ids=None) -> dict[str, KpiResult]:
    """Every KPI for the scope, period and filter: {code: KpiResult}, in one statement over the rollups."""
    today = today or today_local()
    row = rollups(scope, filters, period, category_ids).aggregate(**_sums(period, today))
    return _results(row)


def compute_by(scope: MetricScope, period: Period, dimension: str | tuple[str, ...], filters: Filters = Filters(), *,
               codes: tuple[str, ...] | None = None, today: dt.date | None = None,
               category_ids=None) -> dict[Any, dict[str, KpiResult]]:
    """The KPIs (`codes`, default all) per value of a rollup `dimension` (street_id, lead_unit_id, category_id,
    channel, day) — or of several (a tuple: keys are tuples of their values): {value: {code: KpiResult}}, in one
    GROUP BY over the rollups."""
    today = today or today_local()
    kpis = [KPI_BY_CODE[c] for c in codes] if codes else list(KPIS)
    names = {n for k in kpis for n in (k.numerator, k.denominator) if n}
    dims = (dimension,) if isinstance(dimension, str) else tuple(dimension)
    rows = (rollups(scope, filters, period, category_ids, dims).order_by().values(*dims)
            .annotate(**_sums(period, today, names)))
    if isinstance(dimension, str):
        return {row[dimension]: _results(row, kpis) for row in rows}
    return {tuple(row[d] for d in dims): _results(row, kpis) for row in rows}


MEASURE_NAMES = tuple(dict.fromkeys(n for k in KPIS for n in (k.numerator, k.denominator) if n))


def daily_sums(scope: MetricScope, filters: Filters, periods: tuple[Period, ...], *, by: str | None = None,
               category_ids=None) -> list[tuple]:
    """Every measure the KPIs read, summed per day (and per value of `by`) over the days of `periods` — one
    GROUP BY over the smallest rollup holding the columns: rows `(day, [by value,] Σ per MEASURE_NAMES)`. The
    overview folds its period, the previous one and the trend from this one read (`fold_days`)."""
    window = Q()
    for p in periods:
        window |= Q(day__gte=p.start, day__lte=p.end)
    dims = ("day", by) if by else ("day",)
    sums = {f"s_{name}": Sum(name) for name in MEASURE_NAMES}
    return list(rollup_model(scope, filters, by).objects.filter(scope.q(), filters.q(category_ids)).filter(window)
                .order_by().values(*dims).annotate(**sums).values_list(*dims, *sums))


def fold_days(rows: list[tuple], period: Period, today: dt.date, width: int = 1, kpis=KPIS) -> dict[str, KpiResult]:
    """`compute`'s answer for `period` from `daily_sums` rows (`width`: the columns before the sums): a KPI of
    past days only sums the days before today."""
    full, past = [0] * len(MEASURE_NAMES), [0] * len(MEASURE_NAMES)
    last_past = min(period.end, today - dt.timedelta(days=1))
    for row in rows:
        day = row[0]
        if period.start <= day <= period.end:
            values = row[width:]
            full = list(map(add, full, values))
            if day <= last_past:
                past = list(map(add, past, values))
    flat = {f"{name}@0": full[i] for i, name in enumerate(MEASURE_NAMES)}
    flat.update({f"{name}@1": past[i] for i, name in enumerate(MEASURE_NAMES)})
    return _results(flat, kpis)


# ----- the cases behind a figure (from the facts, through the cases selectors)


def facts_behind(scope: MetricScope, code: str, part: str, period: Period, filters: Filters = Filters(), *,
                 today: dt.date | None = None) -> QuerySet:
    """The CaseFact rows a figure counts (no visibility applied: for the figure's own checks and tests)."""
    kpi = KPI_BY_CODE[code]
    p = period.for_measure(kpi, today or today_local())
    return CaseFact.objects.filter(scope.q(), filters.q(), measure_of(kpi, part).q(p.start, p.end))


def cases_behind(actor, code: str, part: str, period: Period, filters: Filters = Filters(), *,
                 today: dt.date | None = None) -> QuerySet:
    """The cases behind a KPI's numerator or denominator for `actor`'s scope, as `cases.selectors.case_list_for`
    lists them (visible, red and yellow first, with what a row shows). Its count is the figure's: the same
    condition over the same facts (a count KPI has no denominator: its numerator is the list)."""
    scope = metric_scope_for(actor)
    if scope is None:
        return case_list_for(actor).none()
    facts = facts_behind(scope, code, part, period, filters, today=today)
    return case_list_for(actor, CaseFilters()).filter(pk__in=facts.values("case_id"))
