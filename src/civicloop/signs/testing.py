"""Test helpers of vital signs: a catalogue, devices in `civicloop.testing.build_world()`'s district and rules."""

from __future__ import annotations

from types import SimpleNamespace

from civicloop.cases.models import Category
from civicloop.cases.services import categories_ensure_defaults
from civicloop.places.models import Household, Place

from .constants import AlarmSeverity, DeviceKind, RuleKind
from .models import Device, Rule
from .services.catalogue import device_fields, metrics_ensure_defaults


def make_device(world, code: str, kind: str, place: Place, household: Household | None = None) -> Device:
    return Device.objects.create(code=code, name=f"{place.name}{DeviceKind(kind).label}", kind=kind,
                                 household=household, **device_fields(place, household))


def make_signs(world) -> SimpleNamespace:
    """Metrics; an elevator in street A's (committee A1) building, one in street B; a water meter at the A1
    household; and the four rule kinds: trapped passenger (threshold, alarm), occupancy (duration), faults
    (repetition), no water for 12 hours (silence, to the household's committee)."""
    metrics = metrics_ensure_defaults()
    categories_ensure_defaults()
    building_a1 = Place.objects.get(code=f"{world.comm_a1.code}-C001-B01")
    building_b1 = Place.objects.get(code=f"{world.comm_b1.code}-C001-B01")
    household = Household.objects.get(community=world.comm_a1)
    rule = lambda **kw: Rule.objects.create(district=world.district, **kw)  # noqa: E731
    return SimpleNamespace(
        metrics=metrics,
        elevator=make_device(world, "EL-A1", DeviceKind.ELEVATOR, building_a1),
        elevator_b=make_device(world, "EL-B1", DeviceKind.ELEVATOR, building_b1),
        meter=make_device(world, "WM-A1", DeviceKind.WATER_METER, building_a1, household),
        parking=make_device(world, "PK-A1", DeviceKind.PARKING, building_a1.parent),
        trapped=rule(name="电梯困人", metric=metrics["elevator_trapped"], kind=RuleKind.THRESHOLD, alarm_level=1,
                     category=Category.objects.get(code="0201")),
        faults=rule(name="电梯频繁故障", metric=metrics["elevator_fault"], kind=RuleKind.REPETITION, warn_level=1,
                    count=5, window_minutes=60),
        occupancy=rule(name="车位紧张", metric=metrics["parking_occupancy"], kind=RuleKind.DURATION, warn_level=90,
                       duration_minutes=30),
        no_water=rule(name="独居老人12小时未用水", metric=metrics["water_flow"], kind=RuleKind.SILENCE,
                      silence_minutes=12 * 60, activity_above=0.5, severity=AlarmSeverity.ALARM,
                      category=Category.objects.get(code="0601"), to_committee=True),
    )
