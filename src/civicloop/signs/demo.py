"""Demo step: a month of Xuhui's vital signs, with believable faults and a few silences.

What it makes (after the cases' own steps; `ctx.rng_for("signs")` only, so other steps are unchanged):
- the metric catalogue and five rules of the district: 电梯困人 (threshold → case, category 物业管理服务, to the
  street's dispatcher inbox), 电梯频繁故障 (five faults in an hour → warning), 车位紧张 (90 % for an hour →
  warning, 98 % for an hour → case to the street office), 独居老人12小时未用水 (silence → case to the household's
  committee), 水表离线 (no reading for 6 hours → warning);
- devices: an elevator in `ELEVATORS` of the buildings by code (the demo's "tall" ones; every street has some),
  a parking sensor in the compounds with the most households, a water meter at elderly-alone households;
- readings every hour for `DAYS` days up to the demo's end (`cases_end`), written as ingestion writes them
  (`services.ingest.readings_store`: readings, hourly rollups, latest values), so each place page draws a month;
- episodes: trapped passengers (a first signal and repeats), fault bursts, evenings over 90 % in busy compounds,
  a meter at zero for 13–16 hours, a meter silent for 8 hours — each evaluated hour by hour through its window
  by the rules' own service (`services.alarms.evaluate_devices`), so alarms, their repeats, clearing, cases and
  case notes are the real ones; then every device once at the end. One trapped-passenger episode is in
  天平路街道 (tpl_dispatcher's inbox) and still open at the end.

Sizes scale with `ctx.scale` (minimums keep a small demo meaningful): about 90 devices and 70,000 readings at the
default `make demo` scale.
"""

from __future__ import annotations

import datetime as dt
import math

from django.db.models import Count
from django.utils import timezone

from civicloop.cases.demo import case_clock, cases_end
from civicloop.cases.models import Case, CaseEvent, Category
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Place

from .constants import AlarmSeverity, Comparison, DeviceKind, RuleKind
from .models import Alarm, Device, Latest, PlaceRollup, Reading, Rollup, Rule, RuleState
from .services.alarms import evaluate_devices
from .services.catalogue import device_fields, metrics_ensure_defaults
from .services.ingest import readings_store

DAYS = 30
ELEVATORS = (400, 24)  # at scale 1, at least
PARKING = (60, 8)
METERS = (200, 16)
TRAPPED_SHARE, FAULTY_SHARE, SILENT_SHARE, OFFLINE_SHARE = 0.1, 0.1, 0.12, 0.08
FEED_STREET = "天平路街道"


def _rules(ctx, metrics) -> dict[str, Rule]:
    category = {c.code: c for c in Category.objects.filter(code__in=("0201", "0302", "0601"))}
    specs = {
        "trapped": dict(name="电梯困人", metric=metrics["elevator_trapped"], kind=RuleKind.THRESHOLD, alarm_level=1,
                        category=category.get("0201")),
        "faults": dict(name="电梯频繁故障", metric=metrics["elevator_fault"], kind=RuleKind.REPETITION, warn_level=1,
                       count=5, window_minutes=60),
        "parking": dict(name="车位紧张", metric=metrics["parking_occupancy"], kind=RuleKind.DURATION, warn_level=90,
                        alarm_level=98, duration_minutes=60, category=category.get("0302")),
        "no_water": dict(name="独居老人12小时未用水", metric=metrics["water_flow"], kind=RuleKind.SILENCE,
                         silence_minutes=12 * 60, activity_above=0.5, severity=AlarmSeverity.ALARM,
                         category=category.get("0601"), to_committee=True),
        "offline": dict(name="水表离线", metric=metrics["water_flow"], kind=RuleKind.SILENCE, silence_minutes=6 * 60,
                        severity=AlarmSeverity.WARN),
    }
    return {key: Rule.objects.create(district=ctx.district, comparison=Comparison.ABOVE, **spec)
            for key, spec in specs.items()}


def _devices(ctx, rng, start) -> list[Device]:
    district = ctx.district
    buildings = list(Place.objects.filter(district=district, level=PlaceLevel.BUILDING).order_by("code"))
    n_el = min(len(buildings), ctx.scaled(ELEVATORS[0], ELEVATORS[1]))
    chosen = sorted(rng.sample(range(len(buildings)), n_el))
    feed = Place.objects.filter(district=district, level=PlaceLevel.STREET, name=FEED_STREET).first()
    if feed is not None and not any(buildings[i].street_id == feed.pk for i in chosen):
        chosen[0] = next(i for i, b in enumerate(buildings) if b.street_id == feed.pk)
    devices = [Device(code=f"XH-EL-{k + 1:05d}", name=f"{buildings[i].name}1号电梯", kind=DeviceKind.ELEVATOR,
                      **device_fields(buildings[i], None)) for k, i in enumerate(chosen)]
    compounds = list(Place.objects.filter(district=district, level=PlaceLevel.COMPOUND).annotate(
        n=Count("children__households")).order_by("-n", "code")[:ctx.scaled(PARKING[0], PARKING[1])])
    devices += [Device(code=f"XH-PK-{k + 1:05d}", name=f"{c.name}停车场", kind=DeviceKind.PARKING,
                       **device_fields(c, None)) for k, c in enumerate(compounds)]
    alone = list(Household.objects.filter(district=district, tags__code="elderly_alone").select_related(
        "building").order_by("code")[:ctx.scaled(METERS[0], METERS[1])])
    devices += [Device(code=f"XH-WM-{k + 1:05d}", name=f"{h.building.name}{h.room or ''}水表",
                       kind=DeviceKind.WATER_METER, household=h, **device_fields(h.building, h))
                for k, h in enumerate(alone)]
    for d in devices:
        d.district_id = district.pk
    Device.objects.bulk_create(devices, batch_size=2000)
    Device.objects.filter(district=district).update(created_at=start)
    return list(Device.objects.filter(district=district).order_by("code"))


def _water(hour: int, rng) -> float:
    """Litres in an hour of an elderly person living alone: mornings and evenings, a little at night."""
    base = {6: 25, 7: 30, 8: 12, 11: 15, 12: 18, 17: 20, 18: 28, 19: 15, 21: 10}.get(hour, 2 if 7 <= hour <= 22 else 0)
    return round(max(0.0, base * rng.uniform(0.6, 1.4)), 1)


def _occupancy(hour: int, busy: float, rng) -> float:
    """A compound's parking: full at night, emptier by day; `busy` lifts the evening peak."""
    night = 0.5 + 0.5 * math.cos((hour - 1) / 24 * 2 * math.pi)
    return round(min(100.0, max(5.0, 45 + 45 * night * busy + rng.uniform(-4, 4))), 1)


def generate_signs(ctx) -> None:
    rng = ctx.rng_for("signs")
    end = (ctx.extra.get("cases_end") or cases_end()).replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=DAYS)
    metrics = metrics_ensure_defaults()
    _rules(ctx, metrics)
    devices = _devices(ctx, rng, start)
    hours = [start + dt.timedelta(hours=h) for h in range(DAYS * 24 + 1)]
    local = [timezone.localtime(h).hour for h in hours]
    values: dict[tuple, float] = {}
    windows: list[tuple[int, dt.datetime, dt.datetime]] = []  # (device, from, to): evaluate hour by hour
    m = {code: metric.pk for code, metric in metrics.items()}
    feed_street = Place.objects.filter(district=ctx.district, level=PlaceLevel.STREET, name=FEED_STREET).values_list(
        "pk", flat=True).first()
    feed_done = False
    naive = [h.astimezone(dt.UTC).replace(tzinfo=None) for h in hours]
    for device in devices:
        if device.kind == DeviceKind.ELEVATOR:
            trapped = set()
            fault = {i: 0.0 for i in range(len(hours))}
            extra = []
            feed = not feed_done and device.street_id == feed_street
            if feed or rng.random() < TRAPPED_SHARE:
                at = len(hours) - 3 if feed else rng.randrange(48, len(hours) - 24)
                trapped.update(range(at, at + (3 if feed else rng.randint(1, 3))))
                # the cabin's alarm button, pressed again and again between the hourly reports
                extra += [(naive[at] + dt.timedelta(minutes=mm), 1.0) for mm in (7, 19, 33)]
                windows.append((device.pk, hours[at], hours[min(at + 5, len(hours) - 1)]))
                feed_done = feed_done or feed
            if rng.random() < FAULTY_SHARE:
                at = rng.randrange(24, len(hours) - 2)
                fault[at] = float(rng.choice((11, 23, 35)))
                extra_faults = [(naive[at] + dt.timedelta(minutes=mm), fault[at]) for mm in (9, 21, 34, 48)]
                for at_, v in extra_faults:
                    values[(device.pk, m["elevator_fault"], at_)] = v
                windows.append((device.pk, hours[at], hours[at + 2]))
            for i, at in enumerate(naive):
                values[(device.pk, m["elevator_trapped"], at)] = 1.0 if i in trapped else 0.0
                values[(device.pk, m["elevator_fault"], at)] = fault[i]
            for at, v in extra:
                values[(device.pk, m["elevator_trapped"], at)] = v
        elif device.kind == DeviceKind.PARKING:
            busy = rng.uniform(0.7, 1.15)
            for i, at in enumerate(naive):
                values[(device.pk, m["parking_occupancy"], at)] = _occupancy(local[i], busy, rng)
            if busy > 1.05:  # evenings over 90 %: evaluate the last three evenings
                for day in range(3):
                    evening = end - dt.timedelta(days=day + 1)
                    windows.append((device.pk, evening - dt.timedelta(hours=6), evening + dt.timedelta(hours=2)))
        else:
            silent, offline = set(), set()
            if rng.random() < SILENT_SHARE:
                at = rng.randrange(48, len(hours) - 20)
                silent.update(range(at, at + rng.randint(13, 16)))
                windows.append((device.pk, hours[at + 11], hours[min(max(silent) + 12, len(hours) - 1)]))
            elif rng.random() < OFFLINE_SHARE:
                at = rng.randrange(48, len(hours) - 12)
                offline.update(range(at, at + 8))
                windows.append((device.pk, hours[at + 5], hours[at + 9]))
            for i, at in enumerate(naive):
                if i not in offline:
                    values[(device.pk, m["water_flow"], at)] = 0.0 if i in silent else _water(local[i], rng)
    keys = sorted(values)
    for i in range(0, len(keys), 20_000):
        readings_store({k: values[k] for k in keys[i:i + 20_000]})
    ctx.stats.add("signs.reading", len(values))
    # the rules' own evaluation, hour by hour through each episode's window, then everything once at the end
    steps: dict[dt.datetime, set[int]] = {}
    for device_id, first, last in windows:
        at = first
        while at <= last:
            steps.setdefault(at, set()).add(device_id)
            at += dt.timedelta(hours=1)
    # the cases an alarm opens (and the notes on them) are written at the evaluation's moment, not the generator's
    cases_before = Case.objects.filter(district=ctx.district).count()
    events_before = CaseEvent.objects.filter(district=ctx.district).count()
    for at in sorted(steps):
        with case_clock(at + dt.timedelta(minutes=50)):
            evaluate_devices(sorted(steps[at]), now=at + dt.timedelta(minutes=50))
    with case_clock(end):
        evaluate_devices([d.pk for d in devices], now=end)
    ctx.stats.add("cases.case", Case.objects.filter(district=ctx.district).count() - cases_before)
    ctx.stats.add("cases.case_event", CaseEvent.objects.filter(district=ctx.district).count() - events_before)
    ctx.stats.add("signs.device", len(devices))
    ctx.stats.add("signs.alarm", Alarm.objects.filter(district=ctx.district).count())
    ctx.log(f"  signs: {len(devices):,} devices, {len(values):,} readings, "
            f"{Alarm.objects.filter(district=ctx.district).count():,} alarms, "
            f"{Alarm.objects.filter(district=ctx.district, case__isnull=False).count():,} with a case")


def delete_signs(district) -> None:
    """The reset step: every signs row of `district` (alarms point at cases, places and households)."""
    ids = Device.objects.filter(district=district).values("pk")
    Alarm.objects.filter(district=district).delete()
    RuleState.objects.filter(rule__district=district).delete()
    for model in (Latest, Rollup, Reading):
        model.objects.filter(device_id__in=ids).delete()
    PlaceRollup.objects.filter(place_id__in=Device.objects.filter(district=district).values("place_id")).delete()
    Device.objects.filter(district=district).delete()
    Rule.objects.filter(district=district).delete()
