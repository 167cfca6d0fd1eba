"""Evaluations: create, enter subjective scores, compute (again, while a draft), publish (for good).

Computing freezes the set it reads (`IndicatorSet.frozen_at`, audited): from then on the set answers SET_FROZEN
to every change. Computing replaces the run's scores and results in one transaction; the same data gives the same
numbers (evaluation.py). A published run answers RUN_PUBLISHED to every change: its scores are its record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import CaseState
from civicloop.core.bulk import Table
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.dashboard.constants import MAX_PERIOD_DAYS
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.orgs.scope import scope_for

from ..constants import (
    MAX_POINTS,
    MAX_UNITS,
    AssessAuditAction,
    IndicatorKind,
    MedalRule,
    RunState,
    UnitGroup,
)
from ..error_codes import AssessErrorCode
from ..evaluation import evaluate
from ..models import EvaluationRun, Finding, Indicator, IndicatorSet, Score, SubjectiveEntry, UnitResult
from ..permissions import may_manage, run_is_open, run_may_publish
from .sets import _text, invalid

# a finding whose case was merged (a duplicate) or withdrawn costs nothing
CANCELLED_CASE_STATES = (CaseState.MERGED, CaseState.WITHDRAWN)
UNIT_KINDS = {UnitGroup.STREETS: UnitKind.STREET_OFFICE, UnitGroup.DEPARTMENTS: UnitKind.DEPARTMENT}


def run_for_change(actor, run_id: int, *, open_only: bool = True) -> EvaluationRun:
    """The run `actor` may change, locked. Out of sight: NOT_FOUND; not a manager's: FORBIDDEN; published (when
    `open_only`): RUN_PUBLISHED."""
    from ..selectors import runs_for

    run = EvaluationRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or not runs_for(actor).filter(pk=run_id).exists():
        raise not_found()
    if not may_manage(actor, run.district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if open_only and not run_is_open(run):
        raise CivicError(AssessErrorCode.RUN_PUBLISHED)
    return run


def _audit(actor, run: EvaluationRun, action: str, **details) -> None:
    audit_write(action=action, user=actor, district_id=run.district_id, object_type="assess.run", object_id=run.pk,
                details=details)


def _medals(rule: str, gold, silver, bronze) -> tuple[Decimal, Decimal, Decimal]:
    if rule not in MedalRule.values:
        raise invalid(_gettext("评奖规则无效。"), field=_("评奖规则"))
    values = []
    for value, label in ((gold, _("金奖")), (silver, _("银奖")), (bronze, _("铜奖"))):
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise invalid(_gettext("%(field)s应为数字。") % {"field": label}, field=label) from None
        high = Decimal(MAX_UNITS) if rule == MedalRule.TOP_N else Decimal(100)
        if not 0 <= number <= high or (rule == MedalRule.TOP_N and number != int(number)):
            raise invalid(_gettext("%(field)s：按名次时为 0 至 %(n)s 的整数（名额），按得分率时为 0 至 100。")
                          % {"field": label, "n": MAX_UNITS}, field=label)
        values.append(number)
    if rule == MedalRule.THRESHOLD and not values[0] >= values[1] >= values[2]:
        raise invalid(_gettext("按得分率评奖时，金奖线应不低于银奖线，银奖线不低于铜奖线。"), field=_("铜奖"))
    return tuple(values)


@transaction.atomic
def run_create(*, actor, set_id: int, name: str, start: dt.date, end: dt.date, unit_ids: Iterable[int] = (),
               medal_rule: str = MedalRule.TOP_N, gold=1, silver=2, bronze=3) -> EvaluationRun:
    """A draft evaluation of a set of the actor's district, for a period and units (none: every active street
    office, or department, of the district — as the set's `unit_group` says)."""
    s = IndicatorSet.objects.filter(pk=set_id).first()
    if s is None or not _sees(actor, s):
        raise not_found()
    if not may_manage(actor, s.district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if end < start:
        raise invalid(_gettext("结束日期不能早于开始日期。"), field=_("结束日期"))
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise invalid(_gettext("考核期间最长 %(n)s 天。") % {"n": MAX_PERIOD_DAYS}, field=_("结束日期"))
    gold, silver, bronze = _medals(medal_rule, gold, silver, bronze)
    kind = UNIT_KINDS[s.unit_group]
    pool = Unit.objects.filter(district_id=s.district_id, kind=kind, active=True)
    ids = list(dict.fromkeys(unit_ids))
    if ids:
        if len(ids) > MAX_UNITS:
            raise invalid(_gettext("考核对象最多 %(n)s 个。") % {"n": MAX_UNITS}, field=_("考核对象"))
        found = set(pool.filter(pk__in=ids).values_list("pk", flat=True))
        if len(found) != len(ids):
            raise invalid(_gettext("有考核对象不存在、不属于本区或类型不符（%(kind)s）。") % {"kind": UnitKind(kind).label},
                          field=_("考核对象"))
    else:
        ids = list(pool.values_list("pk", flat=True)[:MAX_UNITS])
    run = EvaluationRun.objects.create(district_id=s.district_id, indicator_set=s, name=_text(name, _("名称"), 100),
                                       start=start, end=end, medal_rule=medal_rule, gold=gold, silver=silver,
                                       bronze=bronze, created_by=actor if getattr(actor, "pk", None) else None)
    run.units.set(ids)
    _audit(actor, run, AssessAuditAction.RUN_CREATE, set=s.pk, units=len(ids))
    return run


def _sees(actor, s: IndicatorSet) -> bool:
    return scope_for(actor).is_district_level_for(s.district_id)


@transaction.atomic
def entries_save(*, actor, run_id: int, entries: Iterable[dict]) -> int:
    """Subjective values of a draft run: [{unit_id, indicator_id, value, note}] (value None: removed). The
    indicator must be a subjective one of the run's set, the unit one of the run's. The run must be computed
    again before it is published (its `computed_at` is cleared). Returns how many were saved or removed."""
    run = run_for_change(actor, run_id)
    entries = list(entries)
    units = set(run.units.values_list("pk", flat=True))
    indicators = set(Indicator.objects.filter(indicator_set_id=run.indicator_set_id, kind=IndicatorKind.SUBJECTIVE)
                     .values_list("pk", flat=True))
    changed = 0
    for entry in entries:
        unit_id, indicator_id = entry.get("unit_id"), entry.get("indicator_id")
        if unit_id not in units:
            raise invalid(_gettext("考核对象不在本次考核中。"), field=_("考核对象"))
        if indicator_id not in indicators:
            raise invalid(_gettext("该指标不是本次考核的主观指标。"), field=_("指标"))
        value = entry.get("value")
        key = {"run": run, "unit_id": unit_id, "indicator_id": indicator_id}
        if value is None or value == "":
            changed += SubjectiveEntry.objects.filter(**key).delete()[0]
            continue
        try:
            value = Decimal(str(value)).quantize(Decimal("0.01"))
        except ArithmeticError:
            raise invalid(_gettext("评分应为数字。"), field=_("评分或项数")) from None
        if not 0 <= value <= MAX_POINTS:
            raise invalid(_gettext("评分应在 0 到 %(n)s 之间。") % {"n": MAX_POINTS}, field=_("评分或项数"))
        note = _text(entry.get("note"), _("依据"), 200, required=False)
        SubjectiveEntry.objects.update_or_create(**key, defaults={"value": value, "note": note,
                                                                  "entered_by": actor if getattr(actor, "pk", None) else None})
        changed += 1
    if changed:
        run.computed_at = None
        run.save(update_fields=["computed_at"])
        _audit(actor, run, AssessAuditAction.ENTRY_SAVE, count=changed)
    return changed


@transaction.atomic
def run_compute(*, actor, run_id: int, today: dt.date | None = None) -> EvaluationRun:
    """Compute (again) every score, total, rank and medal of a draft run, freezing its set."""
    run = run_for_change(actor, run_id)
    s = IndicatorSet.objects.select_for_update().get(pk=run.indicator_set_id)
    now = timezone.now()
    if s.frozen_at is None:
        s.frozen_at = now
        s.save(update_fields=["frozen_at"])
        audit_write(action=AssessAuditAction.SET_FREEZE, user=actor, district_id=s.district_id,
                    object_type="assess.set", object_id=s.pk, details={"run": run.pk})
    indicators = list(Indicator.objects.filter(indicator_set=s).order_by("dimension__position", "position", "pk"))
    units = list(run.units.order_by("code"))
    entries = {(e.indicator_id, e.unit_id): e.value for e in SubjectiveEntry.objects.filter(run=run)}
    scores, totals = evaluate(run, indicators, units, entries, findings=findings_of_period(run, s), today=today,
                             actor=actor)
    Score.objects.filter(run=run).delete()
    UnitResult.objects.filter(run=run).delete()
    # COPY on PostgreSQL (core.bulk): a 140-indicator run of 40 units is 5,600 rows of JSON, which bulk_create's
    # UNNEST arrays spent seconds escaping
    table = Table(Score)
    table.write([table.values({
        "run_id": run.pk, "unit_id": sc.unit_id, "indicator_id": sc.indicator_id, "value": sc.value,
        "numerator": sc.numerator, "denominator": sc.denominator, "points": sc.scored.points, "full": sc.full,
        "terms": sc.scored.as_json(), "inputs": sc.inputs}) for sc in scores])
    UnitResult.objects.bulk_create([
        UnitResult(run=run, unit_id=t.unit_id, total=t.total, full=t.full, by_dimension=t.by_dimension, rank=t.rank,
                   medal=t.medal) for t in totals])
    run.computed_at = now
    run.save(update_fields=["computed_at"])
    _audit(actor, run, AssessAuditAction.RUN_COMPUTE, scores=len(scores), units=len(units))
    return run


def findings_of_period(run: EvaluationRun, s: IndicatorSet) -> dict:
    """{(indicator code, street id): [(finding id, severity)]}: the inspection findings of the run's period that
    count against the set's indicators (by the set's code and the indicator's, whatever version they were recorded
    on)."""
    out: dict = {}
    rows = Finding.objects.filter(district_id=run.district_id, set_code=s.code, found_on__gte=run.start,
                                  found_on__lte=run.end).exclude(case__state__in=CANCELLED_CASE_STATES)
    for pk, code, street, severity in rows.values_list("pk", "indicator_code", "street_id", "severity"):
        out.setdefault((code, street), []).append((pk, severity))
    return out


@transaction.atomic
def run_publish(*, actor, run_id: int) -> EvaluationRun:
    """Publish a computed draft: from now on it never changes, and its units' staff read their scorecard."""
    run = run_for_change(actor, run_id)
    if not run_may_publish(run):
        raise CivicError(AssessErrorCode.RUN_NOT_COMPUTED, _("该考核尚未计算，或录入评分后尚未重新计算。"))
    run.state, run.published_at = RunState.PUBLISHED, timezone.now()
    run.save(update_fields=["state", "published_at"])
    _audit(actor, run, AssessAuditAction.RUN_PUBLISH)
    return run
