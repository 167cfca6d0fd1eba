"""Every read of vital signs takes the viewer and applies their scope (orgs.scope): devices, readings and alarms
by their district / street / community columns, rules by district. Out of scope answers NOT_FOUND, like missing.

Device names and codes carry no personal data (a water meter is named by its building, not by its resident), so
nothing here needs masking; a device's household is given by id only to pages that ask places for it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.orgs.scope import scope_for
from civicloop.places.models import Place

from .constants import CHART_DAYS, AlarmSeverity
from .models import Alarm, Device, Latest, Metric, PlaceRollup, Rollup, Rule

DEVICES_ON_A_PAGE = 200


def metric_list() -> list[Metric]:
    """The catalogue (reference data: every signed-in person may read it)."""
    return list(Metric.objects.all())


def _people(scope, qs):
    """A device at a household says something of its residents (a water meter of an elderly person living alone):
    department staff, who see households only through their cases and duties (places.permissions), do not see
    household devices or their alarms here — the cases those alarms opened reach them by dispatch."""
    return qs.filter(household__isnull=True) if scope.sees_people_by_duty else qs


def device_list_for(actor, *, kind: str | None = None, place: Place | None = None):
    scope = scope_for(actor)
    qs = _people(scope, scope.filter_territorial(Device.objects.select_related("place")))
    if kind:
        qs = qs.filter(kind=kind)
    if place is not None:
        qs = qs.filter(Q(place=place) | Q(place__path__startswith=place.path))
    return qs.order_by("code")


def device_get_for(actor, device_id: int) -> Device:
    device = device_list_for(actor).filter(pk=device_id).first()
    if device is None:
        raise not_found()
    return device


def latest_for(devices) -> dict[int, list[Latest]]:
    """The newest reading of each series of `devices` (already the viewer's), by device id."""
    out: dict[int, list[Latest]] = {}
    for row in Latest.objects.filter(device_id__in=[d.pk for d in devices]).select_related("metric").order_by(
            "device_id", "metric_id"):
        out.setdefault(row.device_id, []).append(row)
    return out


def series_for(devices, metric: Metric, *, days: int = CHART_DAYS, now: dt.datetime | None = None) -> list[dict]:
    """Hourly points [{hour, mean, low, high, count}] of `metric` over `devices` (already the viewer's) for the
    last `days`, from the rollups: at most 24 × days rows per device, however many readings were stored."""
    now = now or timezone.now()
    rows = (Rollup.objects.filter(device_id__in=[d.pk for d in devices], metric=metric,
                                  hour__gte=now - dt.timedelta(days=days))
            .values("hour").annotate(total=Sum("total"), n=Sum("count"), low=Min("low"), high=Max("high"))
            .order_by("hour"))
    return [{"hour": r["hour"], "mean": r["total"] / r["n"] if r["n"] else None, "low": r["low"], "high": r["high"],
             "count": r["n"]} for r in rows]


def place_series_for(actor, place: Place, metric: Metric, *, days: int = CHART_DAYS,
                     now: dt.datetime | None = None) -> list[dict]:
    """A place's hourly points of `metric` — its devices and those of every place below it — from the place
    rollups: 24 × days rows per place that has devices, however many devices and readings."""
    now = now or timezone.now()
    places = device_list_for(actor, place=place).values("place_id")
    rows = (PlaceRollup.objects.filter(place_id__in=places, metric=metric, hour__gte=now - dt.timedelta(days=days))
            .values("hour").annotate(total=Sum("total"), n=Sum("count"), low=Min("low"), high=Max("high"))
            .order_by("hour"))
    return [{"hour": r["hour"], "mean": r["total"] / r["n"] if r["n"] else None, "low": r["low"], "high": r["high"],
             "count": r["n"]} for r in rows]


def alarm_list_for(actor, *, active: bool | None = None, acknowledged: bool | None = None,
                   severity: int | None = None, place: Place | None = None, device_id: int | None = None):
    scope = scope_for(actor)
    qs = _people(scope, scope.filter_territorial(Alarm.objects.select_related("rule__metric", "device", "place")))
    if active is not None:
        qs = qs.filter(cleared_at__isnull=active)
    if acknowledged is not None:
        qs = qs.filter(acknowledged_at__isnull=not acknowledged)
    if severity is not None:
        qs = qs.filter(severity=severity)
    if place is not None:
        qs = qs.filter(Q(place=place) | Q(place__path__startswith=place.path))
    if device_id is not None:
        qs = qs.filter(device_id=device_id)
    return qs.order_by("-last_at", "-id")


def _severity_counts() -> dict:
    return {"total": Count("pk"), "alarm": Count("pk", filter=Q(severity=AlarmSeverity.ALARM)),
            "warn": Count("pk", filter=Q(severity=AlarmSeverity.WARN)),
            "unacknowledged": Count("pk", filter=Q(acknowledged_at__isnull=True))}


def open_alarms_by_street(actor, *, street_id: int | None = None) -> list[dict]:
    """The open alarms the viewer sees, counted per street (one grouped statement on the open alarms' own index):
    [{street_id, street_name, street_code, total, alarm, warn, unacknowledged}], the most alarms first. An alarm
    of a device bound to the district itself has no street (street_id None)."""
    qs = alarm_list_for(actor, active=True).order_by()
    if street_id is not None:
        qs = qs.filter(street_id=street_id)
    rows = qs.values("street_id", "street__name", "street__code").annotate(**_severity_counts())
    return [{"street_id": r["street_id"], "street_name": r["street__name"], "street_code": r["street__code"],
             **{k: r[k] for k in ("total", "alarm", "warn", "unacknowledged")}}
            for r in sorted(rows, key=lambda r: (-r["alarm"], -r["total"], r["street__code"] or ""))]


def open_alarm_summary(actor, *, newest: int = 5) -> dict:
    """The viewer's open alarms: counts by severity (and not yet acknowledged) and the newest few (two statements)."""
    counts = alarm_list_for(actor, active=True).order_by().aggregate(**_severity_counts())
    latest = list(alarm_list_for(actor, active=True)[:newest]) if counts["total"] else []
    return {**counts, "newest": latest}


def alarm_get_for(actor, alarm_id: int) -> Alarm:
    alarm = alarm_list_for(actor).filter(pk=alarm_id).first()
    if alarm is None:
        raise not_found()
    return alarm


def rule_list_for(actor):
    return scope_for(actor).filter_district(Rule.objects.select_related("metric", "category", "lead_unit")).order_by(
        "metric__device_kind", "name", "id")


def rule_get_for(actor, rule_id: int) -> Rule:
    rule = rule_list_for(actor).filter(pk=rule_id).first()
    if rule is None:
        raise not_found()
    return rule
