"""A live feed for a running demo (`civicloop signs simulate`): every device of the district reports its current
values each round, through the ingestion service exactly as a gateway's batch would (batches of BATCH_MAX), and
the rules evaluate the devices that reported — plus, each round, the silence sweep (a meter that stays silent is
noticed only by it). Faults are drawn from the round's random generator: now and then an elevator traps
passengers for a few rounds, a compound's parking fills up, an elderly person's meter stops showing use."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from .constants import BATCH_MAX, DeviceKind
from .demo import _occupancy, _water
from .models import Device
from .services.alarms import evaluate_devices
from .services.ingest import readings_ingest


def simulate_round(*, district_id: int, rng: random.Random, state: dict, now: dt.datetime | None = None) -> dict:
    """One round of readings at `now` for every active device of the district; `state` carries the ongoing
    faults between rounds ({device id: rounds left}). Answers the counts of the ingestion's outcomes."""
    now = (now or timezone.now()).replace(microsecond=0)
    hour = timezone.localtime(now).hour
    items = []
    devices = list(Device.objects.filter(district_id=district_id, active=True).values_list("pk", "code", "kind"))
    for pk, code, kind in devices:
        fault = state.get(pk, 0)
        if fault:
            state[pk] = fault - 1
        elif rng.random() < 0.002:
            state[pk] = fault = rng.randint(2, 5)
        if kind == DeviceKind.ELEVATOR:
            items.append({"device": code, "metric": "elevator_trapped", "at": now, "value": 1.0 if fault else 0.0})
            items.append({"device": code, "metric": "elevator_fault", "at": now,
                          "value": float(rng.choice((11, 23))) if fault and rng.random() < 0.5 else 0.0})
        elif kind == DeviceKind.PARKING:
            value = 99.0 if fault else _occupancy(hour, 1.0, rng)
            items.append({"device": code, "metric": "parking_occupancy", "at": now, "value": value})
        elif kind == DeviceKind.WATER_METER:
            items.append({"device": code, "metric": "water_flow", "at": now, "value": 0.0 if fault else _water(hour, rng)})
    counts = {"stored": 0, "repeated": 0, "refused": 0}
    for start in range(0, len(items), BATCH_MAX):
        for outcome in readings_ingest(district_id=district_id, items=items[start:start + BATCH_MAX], now=now,
                                       evaluate=False):
            counts[outcome.status] += 1
    counts["changed"] = evaluate_devices([pk for pk, _c, _k in devices], now=now)
    return counts
