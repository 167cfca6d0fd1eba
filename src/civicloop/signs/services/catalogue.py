"""The catalogue: metrics (reference data), devices bound to places, and the district's alarm rules."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civicloop.cases.models import Category
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.orgs.models import Unit
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Place

from ..constants import AlarmAction, AlarmSeverity, DeviceKind, RuleKind
from ..error_codes import SignsErrorCode
from ..models import Device, Metric, Rule
from ..permissions import may_manage

# code, name, unit, device kind, normal min, normal max — the catalogue a new installation starts with
DEFAULT_METRICS = [
    ("elevator_fault", "电梯故障代码", "", DeviceKind.ELEVATOR, 0, 0),
    ("elevator_trapped", "电梯困人信号", "", DeviceKind.ELEVATOR, 0, 0),
    ("parking_occupancy", "停车位占用率", "%", DeviceKind.PARKING, 0, 90),
    ("water_flow", "独居老人用水量", "L/h", DeviceKind.WATER_METER, 0, 200),
    ("bin_fill", "垃圾箱满溢度", "%", DeviceKind.BIN, 0, 80),
    ("manhole_tilt", "井盖倾斜角", "°", DeviceKind.MANHOLE, 0, 5),
    ("smoke", "烟雾浓度", "dB/m", DeviceKind.SMOKE, 0, 0.1),
]


def metrics_ensure_defaults() -> dict[str, Metric]:
    """Create the default metrics that are missing (a metric already there keeps its edited range)."""
    have = {m.code: m for m in Metric.objects.all()}
    missing = [Metric(code=c, name=n, unit=u, device_kind=k, normal_min=lo, normal_max=hi)
               for c, n, u, k, lo, hi in DEFAULT_METRICS if c not in have]
    Metric.objects.bulk_create(missing)
    return {m.code: m for m in Metric.objects.all()}


def device_fields(place: Place, household: Household | None) -> dict:
    """The denormalised scope columns of a device at `place` (or at the household's building)."""
    if household is not None:
        place = household.building
    return {"place_id": place.pk, "district_id": place.district_id if place.level != PlaceLevel.DISTRICT else place.pk,
            "street_id": place.pk if place.level == PlaceLevel.STREET else place.street_id,
            "community_id": place.pk if place.level == PlaceLevel.COMMUNITY else place.community_id}


@transaction.atomic
def device_register(*, actor, code: str, name: str, kind: str, place_code: str,
                    household_code: str | None = None) -> Device:
    """Register a device at a place of the administrator's district (and a household there). A code already
    registered is refused (DUPLICATE)."""
    if not may_manage(actor):
        raise CivicError(ErrorCode.FORBIDDEN)
    if kind not in DeviceKind.values:
        raise CivicError(ErrorCode.INVALID, _("设备类型无效。"))
    scope = scope_for(actor)
    place = Place.objects.filter(code=place_code).first()
    if place is None or not scope.covers_place(place):
        raise not_found()
    household = None
    if household_code:
        household = Household.objects.select_related("building").filter(code=household_code).first()
        if household is None or household.district_id != place.district_id:
            raise not_found()
    if Device.objects.filter(code=code).exists():
        raise CivicError(ErrorCode.DUPLICATE, _("设备编码已登记。"))
    device = Device.objects.create(code=code, name=name, kind=kind,
                                   household=household, **device_fields(place, household))
    audit_write(action=AlarmAction.DEVICE_REGISTER, user=actor, district_id=device.district_id,
                object_type="signs.device", object_id=device.pk, details={"code": code})
    return device


RULE_FIELDS = ("name", "metric_id", "kind", "comparison", "warn_level", "alarm_level", "duration_minutes", "count",
               "window_minutes", "silence_minutes", "activity_above", "severity", "category_id", "lead_unit_id",
               "to_committee", "active")


def rule_check(values: dict) -> None:
    """A rule's fields fit its kind: a level for the level kinds, a duration / window / silence length."""
    kind = values["kind"]
    if kind != RuleKind.SILENCE and values.get("warn_level") is None and values.get("alarm_level") is None:
        raise CivicError(SignsErrorCode.RULE_INVALID)
    if (kind == RuleKind.DURATION and not values.get("duration_minutes")) or (
            kind == RuleKind.REPETITION and not (values.get("count") and values.get("window_minutes"))) or (
            kind == RuleKind.SILENCE and not values.get("silence_minutes")):
        raise CivicError(SignsErrorCode.RULE_INVALID)
    if values.get("severity", AlarmSeverity.ALARM) not in (AlarmSeverity.WARN, AlarmSeverity.ALARM):
        raise CivicError(SignsErrorCode.RULE_INVALID)


@transaction.atomic
def rule_save(*, actor, rule_id: int | None = None, **values) -> Rule:
    """Create (rule_id None) or change a rule of the administrator's district. Its state and open alarms stay:
    the next evaluation judges them by the new levels."""
    if not may_manage(actor):
        raise CivicError(ErrorCode.FORBIDDEN)
    district_id = scope_for(actor).district_id
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(unknown)
    if rule_id is not None:
        rule = Rule.objects.select_for_update().filter(pk=rule_id, district_id=district_id).first()
        if rule is None:
            raise not_found()
        for field, value in values.items():
            setattr(rule, field, value)
    else:
        rule = Rule(district_id=district_id, **values)
    if not Metric.objects.filter(pk=rule.metric_id).exists():
        raise CivicError(SignsErrorCode.UNKNOWN_METRIC)
    if rule.category_id is not None and not Category.objects.filter(pk=rule.category_id, active=True).exists():
        raise CivicError(ErrorCode.INVALID, _("分类不存在。"))
    if rule.lead_unit_id is not None and not Unit.objects.filter(
            pk=rule.lead_unit_id, district_id=district_id, active=True).exists():
        raise CivicError(ErrorCode.INVALID, _("承办单位无效。"))
    rule_check({f: getattr(rule, f) for f in RULE_FIELDS})
    rule.save()
    audit_write(action=AlarmAction.RULE_SAVE, user=actor, district_id=district_id, object_type="signs.rule",
                object_id=rule.pk, details={f: getattr(rule, f) for f in RULE_FIELDS if f != "name"})
    return rule
