"""The vital-signs API at /api/signs/: the metric catalogue, devices, readings in (gateways, with an API key of
scope `signs`), a device's hourly series, alarms (acknowledge, escalate) and rules (administrators)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from civicloop.apikeys.auth import KeyAuth
from civicloop.apikeys.constants import KeyScope
from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, ErrorOut, FilterText, Id, PageIn, PathId, paged
from civicloop.core.errors import CivicError, ErrorCode

from . import selectors
from .constants import BATCH_MAX, CHART_DAYS, AlarmSeverity, Comparison, DeviceKind, RuleKind
from .models import Metric
from .services import alarms as alarm_services
from .services import catalogue
from .services.ingest import readings_ingest

router = Router(tags=["signs"])
KEY_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut,
              429: ErrorOut}


class MetricOut(Schema):
    code: str
    name: str
    unit: str
    device_kind: str
    normal_min: float | None
    normal_max: float | None


@router.get("/metrics", response={200: list[MetricOut], **READ_ERRORS})
def metric_list(request):
    return selectors.metric_list()


# ----- readings (gateways)
class ReadingIn(Schema):
    device: str = Field(..., max_length=60, title=_("设备编码"))
    metric: str = Field(..., max_length=40, title=_("监测指标"))
    at: AwareDatetime = Field(..., title=_("读数时间"))
    value: float = Field(..., title=_("读数"))


class ReadingsIn(Schema):
    readings: list[ReadingIn] = Field(..., min_length=1, max_length=BATCH_MAX, title=_("读数"))


class ItemOut(Schema):
    index: int
    status: str  # stored | repeated | refused
    code: str | None = None
    message: str | None = None


class IngestOut(Schema):
    stored: int
    repeated: int
    refused: int
    items: list[ItemOut]


@router.post("/readings", auth=KeyAuth(KeyScope.SIGNS), response={200: IngestOut, **KEY_ERRORS})
def readings_post(request, body: ReadingsIn):
    """A gateway's batch: every item answered (stored, repeated — already stored, nothing changed — or refused
    with a code and a message). Idempotent: the same batch again answers `repeated` and changes nothing."""
    outcomes = readings_ingest(district_id=request.auth.district_id,
                               items=[r.dict() for r in body.readings])
    items = [ItemOut(index=i, status=o.status, code=o.error.code if o.error else None,
                     message=o.error.message if o.error else None) for i, o in enumerate(outcomes)]
    count = lambda s: sum(1 for i in items if i.status == s)  # noqa: E731
    return {"stored": count("stored"), "repeated": count("repeated"), "refused": count("refused"), "items": items}


# ----- devices
class DeviceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    place_code: str
    place_name: str
    active: bool

    @staticmethod
    def resolve_place_code(obj) -> str:
        return obj.place.code

    @staticmethod
    def resolve_place_name(obj) -> str:
        return obj.place.name


class DevicePage(Schema):
    count: int
    items: list[DeviceOut]


class DeviceFilter(Schema):
    kind: DeviceKind | None = Field(None, title=_("设备类型"))


@router.get("/devices", response={200: DevicePage, **READ_ERRORS})
def device_list(request, filters: Query[DeviceFilter], page: Query[PageIn]):
    return paged(selectors.device_list_for(request.user, kind=filters.kind), page)


class DeviceIn(Schema):
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$", title=_("设备编码"))
    name: str = Field(..., min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$", title=_("名称"))
    kind: DeviceKind = Field(..., title=_("设备类型"))
    place_code: str = Field(..., min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$", title=_("地点编码"))
    household_code: str | None = Field(None, max_length=60, pattern=r"^[A-Za-z0-9_-]+$", title=_("户编码"))


@router.post("/devices", response={201: DeviceOut, **WRITE_ERRORS})
def device_create(request, body: DeviceIn):
    device = catalogue.device_register(actor=request.user, **body.dict())
    return Status(201, selectors.device_get_for(request.user, device.pk))


class PointOut(Schema):
    hour: dt.datetime
    mean: float | None
    low: float
    high: float
    count: int


class SeriesQuery(Schema):
    metric: FilterText = Field(..., title=_("监测指标"))
    days: int = Field(CHART_DAYS, ge=1, le=90, title=_("天数"))


@router.get("/devices/{device_id}/series", response={200: list[PointOut], **READ_ERRORS})
def device_series(request, device_id: PathId, query: Query[SeriesQuery]):
    """The device's hourly points of a metric (from the rollups; never the raw readings)."""
    device = selectors.device_get_for(request.user, device_id)
    metric = Metric.objects.filter(code=query.metric.replace("\x00", "")).first()
    if metric is None:
        raise CivicError(ErrorCode.NOT_FOUND)
    return selectors.series_for([device], metric, days=query.days)


# ----- alarms
class AlarmOut(Schema):
    id: int
    rule: str
    metric: str
    device_code: str
    device_name: str
    place_code: str
    severity: int
    severity_label: str
    value: float | None
    count: int
    first_at: dt.datetime
    last_at: dt.datetime
    cleared_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    case_id: int | None

    @staticmethod
    def resolve_rule(obj) -> str:
        return obj.rule.name

    @staticmethod
    def resolve_metric(obj) -> str:
        return obj.rule.metric.code

    @staticmethod
    def resolve_device_code(obj) -> str:
        return obj.device.code

    @staticmethod
    def resolve_device_name(obj) -> str:
        return obj.device.name

    @staticmethod
    def resolve_place_code(obj) -> str:
        return obj.place.code

    @staticmethod
    def resolve_severity_label(obj) -> str:
        return str(AlarmSeverity(obj.severity).label)


class AlarmPage(Schema):
    count: int
    items: list[AlarmOut]


class AlarmFilter(Schema):
    active: bool | None = Field(None, title=_("未解除"))
    acknowledged: bool | None = Field(None, title=_("已确认"))
    severity: AlarmSeverity | None = Field(None, title=_("级别"))


@router.get("/alarms", response={200: AlarmPage, **READ_ERRORS})
def alarm_list(request, filters: Query[AlarmFilter], page: Query[PageIn]):
    """The alarms of the viewer's territory, newest first."""
    return paged(selectors.alarm_list_for(request.user, active=filters.active, acknowledged=filters.acknowledged,
                                          severity=filters.severity), page)


@router.get("/alarms/{alarm_id}", response={200: AlarmOut, **READ_ERRORS})
def alarm_get(request, alarm_id: PathId):
    return selectors.alarm_get_for(request.user, alarm_id)


@router.post("/alarms/{alarm_id}/acknowledge", response={200: AlarmOut, **WRITE_ERRORS})
def alarm_acknowledge(request, alarm_id: PathId):
    alarm_services.alarm_acknowledge(actor=request.user, alarm_id=alarm_id)
    return selectors.alarm_get_for(request.user, alarm_id)


@router.post("/alarms/{alarm_id}/escalate", response={200: AlarmOut, **WRITE_ERRORS})
def alarm_escalate(request, alarm_id: PathId):
    """Open the alarm's one case now (a dispatcher's judgement; the alarm must be open and have none)."""
    alarm_services.alarm_escalate(actor=request.user, alarm_id=alarm_id)
    return selectors.alarm_get_for(request.user, alarm_id)


# ----- rules
class RuleOut(Schema):
    id: int
    name: str
    metric: str
    kind: str
    comparison: str
    warn_level: float | None
    alarm_level: float | None
    duration_minutes: int
    count: int
    window_minutes: int
    silence_minutes: int
    activity_above: float | None
    severity: int
    category_id: int | None
    lead_unit_id: int | None
    to_committee: bool
    active: bool

    @staticmethod
    def resolve_metric(obj) -> str:
        return obj.metric.code


MINUTES = 60 * 24 * 30


class RuleIn(Schema):
    name: str = Field(..., min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$", title=_("名称"))
    metric_id: Id = Field(..., title=_("监测指标"))
    kind: RuleKind = Field(..., title=_("规则类型"))
    comparison: Comparison = Field(Comparison.ABOVE, title=_("比较"))
    warn_level: float | None = Field(None, ge=-1e12, le=1e12, title=_("预警值"))
    alarm_level: float | None = Field(None, ge=-1e12, le=1e12, title=_("报警值"))
    duration_minutes: int = Field(0, ge=0, le=MINUTES, title=_("持续时长（分钟）"))
    count: int = Field(1, ge=1, le=10_000, title=_("次数"))
    window_minutes: int = Field(60, ge=1, le=MINUTES, title=_("时间窗（分钟）"))
    silence_minutes: int = Field(0, ge=0, le=MINUTES, title=_("静默时长（分钟）"))
    activity_above: float | None = Field(None, ge=-1e12, le=1e12, title=_("有效读数下限"))
    severity: int = Field(AlarmSeverity.ALARM, ge=AlarmSeverity.WARN, le=AlarmSeverity.ALARM, title=_("级别"))
    category_id: Id | None = Field(None, title=_("工单分类"))
    lead_unit_id: Id | None = Field(None, title=_("承办单位"))
    to_committee: bool = Field(False, title=_("派住户所在居委"))
    active: bool = Field(True, title=_("启用"))


@router.get("/rules", response={200: list[RuleOut], **READ_ERRORS})
def rule_list(request):
    return list(selectors.rule_list_for(request.user)[:500])


@router.post("/rules", response={201: RuleOut, **WRITE_ERRORS})
def rule_create(request, body: RuleIn):
    rule = catalogue.rule_save(actor=request.user, **_rule_values(body))
    return Status(201, selectors.rule_get_for(request.user, rule.pk))


@router.put("/rules/{rule_id}", response={200: RuleOut, **WRITE_ERRORS})
def rule_update(request, rule_id: PathId, body: RuleIn):
    with transaction.atomic():
        catalogue.rule_save(actor=request.user, rule_id=rule_id, **_rule_values(body))
    return selectors.rule_get_for(request.user, rule_id)



def _rule_values(body: RuleIn) -> dict:
    return body.dict()
