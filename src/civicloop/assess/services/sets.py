"""Indicator sets: create (empty or from a shipped template), a new version of a set, indicators saved and
deleted. Only the district's administrators (`permissions.may_manage`), and only while the set is not frozen
(`permissions.set_is_editable`): a set an evaluation was computed on answers SET_FROZEN — its next version is
where changes go. Each change writes its audit row in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import Channel
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.dashboard.metrics import KPI_BY_CODE
from civicloop.orgs.scope import scope_for

from ..constants import (
    MAX_FACTOR,
    MAX_INDICATORS,
    MAX_POINTS,
    AssessAuditAction,
    Direction,
    IndicatorKind,
    Rule,
    UnitGroup,
)
from ..error_codes import AssessErrorCode
from ..models import Dimension, Indicator, IndicatorSet
from ..permissions import may_manage, set_is_editable
from ..rules import CENT
from ..sources import SOURCE_METRICS
from ..templates_data import LOWER_IS_BETTER, TEMPLATES

FIELDS = ("code", "name", "kind", "metric", "channel", "category_code", "weight", "rule", "direction", "target",
          "floor", "cap", "per_item", "factor_minor", "factor_major", "factor_serious", "criteria")
FACTORS = {"factor_minor": _("一般问题倍数"), "factor_major": _("较重问题倍数"), "factor_serious": _("严重问题倍数")}


def invalid(message, *, field="", code=ErrorCode.INVALID) -> CivicError:
    details = [{"where": "", "field": str(field), "reason": str(message)}] if field else []
    return CivicError(code, message, details=details)


def _text(value, label, max_length: int, *, required: bool = True) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        raise invalid(_gettext("请填写%(field)s。") % {"field": label}, field=label)
    if len(value) > max_length:
        raise invalid(_gettext("%(field)s最多 %(n)s 个字符。") % {"field": label, "n": max_length}, field=label)
    return value


def manager_district(actor, district_id: int | None = None) -> int:
    district_id = district_id if district_id is not None else scope_for(actor).district_id
    if district_id is None or not may_manage(actor, district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    return district_id


def set_for_change(actor, set_id: int, *, editable: bool = True) -> IndicatorSet:
    """The set `actor` may change, locked. Out of sight: NOT_FOUND; in sight, not a manager's: FORBIDDEN;
    frozen (when `editable`): SET_FROZEN."""
    from ..permissions import may_read

    s = IndicatorSet.objects.select_for_update().filter(pk=set_id).first()
    if s is None or not (may_read(actor) and scope_for(actor).is_district_level_for(s.district_id)):
        raise not_found()
    if not may_manage(actor, s.district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if editable and not set_is_editable(s):
        raise CivicError(AssessErrorCode.SET_FROZEN)
    return s


def _audit(actor, s: IndicatorSet, action: str, **details) -> None:
    audit_write(action=action, user=actor, district_id=s.district_id, object_type="assess.set", object_id=s.pk,
                details=details)


# ----- one indicator's fields


def _decimal(value, label, *, required: bool, low=Decimal("-1000000"), high=MAX_POINTS * 100) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise invalid(_gettext("请填写%(field)s。") % {"field": label}, field=label, code=AssessErrorCode.RULE_INVALID)
        return None
    try:
        number = Decimal(str(value)).quantize(CENT)
    except ArithmeticError:
        raise invalid(_gettext("%(field)s应为数字。") % {"field": label}, field=label) from None
    if not low <= number <= high:
        raise invalid(_gettext("%(field)s应在 %(low)s 到 %(high)s 之间。") % {"field": label, "low": low, "high": high},
                      field=label)
    return number


def indicator_clean(data: dict) -> dict:
    """The indicator's fields (`FIELDS`) checked together: what its kind and rule need is there and consistent.
    Returns the values to store; refuses with INVALID (a field) or RULE_INVALID (the rule lacks a value)."""
    out = {"code": _text(data.get("code"), _("指标编码"), 40), "name": _text(data.get("name"), _("指标名称"), 120),
           "criteria": str(data.get("criteria") or "").strip()[:2000]}
    kind = data.get("kind")
    if kind not in IndicatorKind.values:
        raise invalid(_gettext("请选择指标类型。"), field=_("指标类型"))
    rule = data.get("rule")
    if rule not in Rule.values:
        raise invalid(_gettext("请选择计分规则。"), field=_("计分规则"))
    metric = str(data.get("metric") or "")
    channel, category = str(data.get("channel") or ""), _text(data.get("category_code"), _("分类编码"), 20, required=False)
    if kind == IndicatorKind.OBJECTIVE:
        if metric not in KPI_BY_CODE and metric not in SOURCE_METRICS:
            raise invalid(_gettext("请选择指标口径。"), field=_("指标口径"))
        if channel and channel not in Channel.values:
            raise invalid(_gettext("来源渠道无效。"), field=_("来源渠道"))
        if metric in SOURCE_METRICS:  # another app's figure: the cases' channel and category do not apply
            channel = category = ""
    else:
        metric = channel = category = ""
    lower = metric in LOWER_IS_BETTER or (metric in SOURCE_METRICS and SOURCE_METRICS[metric].lower_is_better)
    direction = data.get("direction") or (Direction.LOWER if lower else Direction.HIGHER)
    if direction not in Direction.values:
        raise invalid(_gettext("方向无效。"), field=_("方向"))
    positive = {"low": Decimal("0"), "high": MAX_POINTS}
    weight = _decimal(data.get("weight"), _("分值"), required=rule != Rule.BONUS, **positive) or Decimal("0.00")
    target = _decimal(data.get("target"), _("目标值"), required=rule in (Rule.LINEAR, Rule.THRESHOLD))
    floor = _decimal(data.get("floor"), _("保底值"), required=rule == Rule.LINEAR)
    cap = _decimal(data.get("cap"), _("封顶分"), required=rule == Rule.BONUS, **positive)
    per_item = _decimal(data.get("per_item"), _("每项分值"), required=rule in (Rule.DEDUCTION, Rule.BONUS), **positive)
    if rule == Rule.LINEAR:
        if target == floor or (target > floor) != (direction == Direction.HIGHER):
            raise invalid(_gettext("线性计分：越高越好时保底值应低于目标值，越低越好时应高于目标值。"), field=_("保底值"),
                          code=AssessErrorCode.RULE_INVALID)
    if rule == Rule.THRESHOLD and target < 0:
        raise invalid(_gettext("目标值不能为负数。"), field=_("目标值"), code=AssessErrorCode.RULE_INVALID)
    if rule == Rule.BONUS:
        weight = Decimal("0.00")
    factors = {}
    for name, label in FACTORS.items():  # a deduction's findings by severity; every other rule counts 1
        factor = _decimal(data.get(name), label, required=False, low=Decimal("0"), high=MAX_FACTOR)
        factors[name] = factor if rule == Rule.DEDUCTION and factor is not None else Decimal("1.00")
    keep = {"target": target if rule in (Rule.LINEAR, Rule.THRESHOLD) else None,
            "floor": floor if rule == Rule.LINEAR else None,
            "cap": cap if rule in (Rule.LINEAR, Rule.DEDUCTION, Rule.BONUS) else None,
            "per_item": per_item if rule in (Rule.DEDUCTION, Rule.BONUS) else None}
    return {**out, "kind": kind, "rule": rule, "metric": metric, "channel": channel, "category_code": category,
            "direction": direction, "weight": weight, **keep, **factors}


def _dimension(s: IndicatorSet, name: str) -> Dimension:
    name = _text(name, _("维度"), 60)
    found = Dimension.objects.filter(indicator_set=s, name=name).first()
    if found is None:
        position = (Dimension.objects.filter(indicator_set=s).aggregate(m=Max("position"))["m"] or 0) + 1
        found = Dimension.objects.create(indicator_set=s, name=name, position=position)
    return found


# ----- the services


@transaction.atomic
def set_create(*, actor, code: str, name: str, unit_group: str = UnitGroup.STREETS, description: str = "",
               template: str | None = None, district_id: int | None = None) -> IndicatorSet:
    """A new set (version 1 of `code`, or the next version if the code exists), empty or filled from a shipped
    template (templates_data.TEMPLATES)."""
    district_id = manager_district(actor, district_id)
    if template is not None and template not in TEMPLATES:
        raise invalid(_gettext("模板不存在。"), field=_("模板"))
    if unit_group not in UnitGroup.values:
        raise invalid(_gettext("考核对象无效。"), field=_("考核对象"))
    code = _text(code, _("编码"), 40)
    version = (IndicatorSet.objects.filter(district_id=district_id, code=code).aggregate(m=Max("version"))["m"] or 0) + 1
    s = IndicatorSet.objects.create(district_id=district_id, code=code, version=version, name=_text(name, _("名称"), 100),
                                    unit_group=unit_group, description=str(description or "").strip()[:2000],
                                    created_by=actor if getattr(actor, "pk", None) else None)
    if template is not None:
        _fill(s, TEMPLATES[template])
    _audit(actor, s, AssessAuditAction.SET_CREATE, code=code, version=version, template=template or "")
    return s


def template_rows(template: dict) -> list[tuple[str, dict]]:
    """A shipped template as (dimension, indicator fields) rows: a dimension's points shared evenly by its
    indicators that are not bonuses (the last takes the rounding), codes A01, A02 … by dimension."""
    out = []
    for d_index, (dimension, points, lines) in enumerate(template["dimensions"]):
        scored = [line for line in lines if line[0] != "B"]
        share = (Decimal(points) / len(scored)).quantize(CENT) if scored else Decimal("0")
        given = Decimal("0")
        for i_index, line in enumerate(lines):
            letter, name, *args = line
            fields = {"code": f"{chr(65 + d_index)}{i_index + 1:02d}", "name": name}
            if letter != "B":
                is_last = line is scored[-1]
                fields["weight"] = Decimal(points) - given if is_last else share
                given += fields["weight"]
            if letter in "KTC":
                metric = args[0]
                direction = Direction.LOWER if metric in LOWER_IS_BETTER else Direction.HIGHER
                fields.update(kind=IndicatorKind.OBJECTIVE, metric=metric, direction=direction)
                if letter == "K":
                    fields.update(rule=Rule.LINEAR, target=args[1], floor=args[2], channel=args[3], category_code=args[4])
                elif letter == "T":
                    fields.update(rule=Rule.THRESHOLD, target=args[1])
                else:
                    fields.update(rule=Rule.DEDUCTION, per_item=args[1], cap=args[2])
            elif letter == "S":
                fields.update(kind=IndicatorKind.SUBJECTIVE, rule=Rule.LINEAR, target=100, floor=0)
            elif letter == "D":
                fields.update(kind=IndicatorKind.SUBJECTIVE, rule=Rule.DEDUCTION, per_item=args[0],
                              direction=Direction.LOWER)
            else:
                fields.update(kind=IndicatorKind.SUBJECTIVE, rule=Rule.BONUS, per_item=args[0], cap=args[1])
            out.append((dimension, fields))
    return out


def _fill(s: IndicatorSet, template: dict) -> None:
    dimensions: dict[str, Dimension] = {}
    indicators = []
    for position, (dimension, fields) in enumerate(template_rows(template)):
        if dimension not in dimensions:
            dimensions[dimension] = Dimension.objects.create(indicator_set=s, name=dimension,
                                                             position=len(dimensions) + 1)
        indicators.append(Indicator(indicator_set=s, dimension=dimensions[dimension], position=position,
                                    **indicator_clean(fields)))
    Indicator.objects.bulk_create(indicators)


@transaction.atomic
def set_new_version(*, actor, set_id: int) -> IndicatorSet:
    """A copy of the set as the next version of its code (not frozen): where a frozen set's changes go."""
    s = set_for_change(actor, set_id, editable=False)
    version = IndicatorSet.objects.filter(district_id=s.district_id, code=s.code).aggregate(m=Max("version"))["m"] + 1
    new = IndicatorSet.objects.create(district_id=s.district_id, code=s.code, version=version, name=s.name,
                                      unit_group=s.unit_group, description=s.description,
                                      created_by=actor if getattr(actor, "pk", None) else None)
    dimensions = {}
    for d in s.dimensions.all():
        dimensions[d.pk] = Dimension.objects.create(indicator_set=new, name=d.name, position=d.position)
    Indicator.objects.bulk_create([
        Indicator(indicator_set=new, dimension=dimensions[i.dimension_id], position=i.position,
                  **{f: getattr(i, f) for f in FIELDS}) for i in s.indicators.all()])
    _audit(actor, new, AssessAuditAction.SET_VERSION, copied_from=s.pk, version=version)
    return new


@transaction.atomic
def indicator_save(*, actor, set_id: int, dimension: str, indicator_id: int | None = None, **fields) -> Indicator:
    """Create (no `indicator_id`) or change an indicator of a set that is not frozen. `dimension` names its
    dimension (created when new); the code is unique within the set."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"indicator_save: unknown fields {sorted(unknown)}")
    s = set_for_change(actor, set_id)
    if indicator_id is not None:
        indicator = Indicator.objects.filter(pk=indicator_id, indicator_set=s).first()
        if indicator is None:
            raise not_found()
        merged = {f: getattr(indicator, f) for f in FIELDS} | fields
    else:
        if Indicator.objects.filter(indicator_set=s).count() >= MAX_INDICATORS:
            raise invalid(_gettext("一个指标体系最多 %(n)s 项指标。") % {"n": MAX_INDICATORS}, field=_("指标"))
        indicator, merged = Indicator(indicator_set=s), fields
    values = indicator_clean(merged)
    if Indicator.objects.filter(indicator_set=s, code=values["code"]).exclude(pk=indicator.pk).exists():
        raise invalid(_gettext("本指标体系已有该指标编码。"), field=_("指标编码"), code=ErrorCode.DUPLICATE)
    for name, value in values.items():
        setattr(indicator, name, value)
    indicator.dimension = _dimension(s, dimension)
    if indicator.pk is None:
        indicator.position = (Indicator.objects.filter(indicator_set=s).aggregate(m=Max("position"))["m"] or 0) + 1
    indicator.save()
    _audit(actor, s, AssessAuditAction.INDICATOR_SAVE, indicator=indicator.code, created=indicator_id is None)
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator_id: int) -> None:
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise not_found()
    s = set_for_change(actor, indicator.indicator_set_id)
    code = indicator.code
    indicator.delete()
    Dimension.objects.filter(indicator_set=s, indicators__isnull=True).delete()
    _audit(actor, s, AssessAuditAction.INDICATOR_DELETE, indicator=code)
