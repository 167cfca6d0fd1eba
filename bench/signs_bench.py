"""Vital-signs bench (issue 17), PostgreSQL, in-process against the database in DATABASE_URL (migrated):

1. a bench district (its own codes: nothing of the demo is needed) with BENCH_SIGNS_DEVICES (10,000) elevators over
   100 buildings, and a threshold rule and a repetition rule on their fault code;
2. BENCH_SIGNS_READINGS (10,000,000; the issue states 100,000,000 — set it so, given the disk and the time) stored
   readings spread evenly over the last 30 days, and their hourly rollups, written by SQL (INSERT … SELECT from
   generate_series — the prefill is not what is measured);
3. ingestion: BENCH_SIGNS_BATCHES (300) batches of 1,000 new readings (one per device, as 10,000 sensors reporting
   each minute send them) through `services.ingest.readings_ingest`, one after the other → readings/s
   (goal ≥ 20,000/s), then the same batches again (all repeated: nothing written);
4. rule evaluation of the devices each batch touched (`services.alarms.evaluate_devices`, 1,000 devices and the two
   rules per call) → devices/s beside the ingestion rate;
5. a place's 30-day chart: `selectors.place_series_for` for a building (100 devices) and for the compound (every
   device), from the place rollups, and `series_for` for one device, from its rollups → p50 / p95 of BENCH_SIGNS_CHARTS (50) reads (goal ≤ 100 ms).
Prints one JSON line: a list of {name, seconds, rows, note}.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

from kit import Laps, bench_district, django_setup, emit, p50_p95

django_setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from civicloop.places.constants import PlaceLevel  # noqa: E402
from civicloop.places.models import Place  # noqa: E402
from civicloop.signs.constants import DeviceKind, RuleKind  # noqa: E402
from civicloop.signs.models import Device, Rule  # noqa: E402
from civicloop.signs.partitions import month_of, partitions_ensure  # noqa: E402
from civicloop.signs.selectors import place_series_for, series_for  # noqa: E402
from civicloop.signs.services.alarms import evaluate_devices  # noqa: E402
from civicloop.signs.services.catalogue import device_fields, metrics_ensure_defaults  # noqa: E402
from civicloop.signs.services.ingest import readings_ingest  # noqa: E402

DEVICES = int(os.environ.get("BENCH_SIGNS_DEVICES", "10000"))
READINGS = int(os.environ.get("BENCH_SIGNS_READINGS", "10000000"))
BATCHES = int(os.environ.get("BENCH_SIGNS_BATCHES", "300"))
CHARTS = int(os.environ.get("BENCH_SIGNS_CHARTS", "50"))
SENDERS = int(os.environ.get("BENCH_SIGNS_SENDERS", "4"))  # concurrent gateways for the second ingestion figure
BUILDINGS = 100
DISTRICT = "319999000000"


def world():
    district, _made = bench_district(DISTRICT, "基准区", "BQ", street="基准街道", communities=["基准居委"],
                                     compound="基准小区", buildings=BUILDINGS)
    if not Device.objects.filter(district=district).exists():
        buildings = list(Place.objects.filter(district=district, level=PlaceLevel.BUILDING).order_by("code"))
        Device.objects.bulk_create([Device(code=f"BQ-EL-{k:06d}", name=f"{k}号电梯", kind=DeviceKind.ELEVATOR,
                                           **device_fields(buildings[k % BUILDINGS], None)) for k in range(DEVICES)],
                                   batch_size=5000)
    metrics = metrics_ensure_defaults()
    if not Rule.objects.filter(district=district).exists():
        Rule.objects.create(district=district, name="故障", metric=metrics["elevator_fault"],
                            kind=RuleKind.THRESHOLD, alarm_level=50)
        Rule.objects.create(district=district, name="频繁故障", metric=metrics["elevator_fault"],
                            kind=RuleKind.REPETITION, warn_level=1, count=5, window_minutes=60)
    return district, metrics


def prefill(metric_id: int, end: dt.datetime) -> float:
    """READINGS readings over the 30 days before `end` (evenly per device) and their rollups, by SQL."""
    t = time.perf_counter()
    per_device = max(1, READINGS // DEVICES)
    step = dt.timedelta(days=30) / per_device
    months, day = set(), end - dt.timedelta(days=31)
    while day <= end:
        months.add(month_of(day))
        day += dt.timedelta(days=1)
    partitions_ensure(months | {month_of(end)})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM signs_reading")
        if cursor.fetchone()[0] >= READINGS:
            return 0.0
        cursor.execute("""
            INSERT INTO signs_reading (device_id, metric_id, at, value)
            SELECT d.id, %s, %s - ((n + 1) * %s::interval) - ((d.id %% 60) * interval '1 second'),
                   CASE WHEN random() < 0.002 THEN 23 ELSE 0 END
            FROM signs_device d CROSS JOIN generate_series(0, %s - 1) AS n
            WHERE d.code LIKE 'BQ-%%' ON CONFLICT DO NOTHING""", [metric_id, end, step, per_device])
        cursor.execute("""
            INSERT INTO signs_rollup (device_id, metric_id, hour, count, total, low, high)
            SELECT device_id, metric_id, date_trunc('hour', at), count(*), sum(value), min(value), max(value)
            FROM signs_reading GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING""")
        cursor.execute("""
            INSERT INTO signs_placerollup (place_id, metric_id, hour, count, total, low, high)
            SELECT d.place_id, r.metric_id, r.hour, sum(r.count), sum(r.total), min(r.low), max(r.high)
            FROM signs_rollup r JOIN signs_device d ON d.id = r.device_id GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING""")
        cursor.execute("ANALYZE signs_placerollup")
        cursor.execute("ANALYZE signs_reading")
        cursor.execute("ANALYZE signs_rollup")
    return time.perf_counter() - t


def _send(args):
    district_id, batches, now = args
    from django.db import connection as conn

    conn.close()  # a connection of its own (this is a forked process)
    for batch in batches:
        readings_ingest(district_id=district_id, items=batch, now=now, evaluate=False)
    conn.close()
    return sum(len(b) for b in batches)


def concurrent(district_id: int, devices, now) -> dict:
    """SENDERS processes sending BATCHES batches of 1,000 between them at once (new minutes after the sequential
    ones): the aggregate readings/s of several gateways."""
    import multiprocessing

    per_minute = max(1, DEVICES // 1000)
    jobs = [[] for _ in range(SENDERS)]
    for b in range(BATCHES):
        minute, part = divmod(b, per_minute)
        at = now - dt.timedelta(seconds=30) + dt.timedelta(milliseconds=minute + 1)
        chunk = devices[part * 1000:(part + 1) * 1000]
        jobs[b % SENDERS].append([{"device": code, "metric": "elevator_fault", "at": at, "value": 0.0}
                                  for _pk, code in chunk])
    connection.close()
    t = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(SENDERS) as pool:
        n = sum(pool.map(_send, [(district_id, job, now) for job in jobs]))
    return {"name": f"signs: ingest batches of 1,000, {SENDERS} senders at once", "seconds": time.perf_counter() - t,
            "rows": n, "note": "goal ≥ 20,000 readings/s (aggregate); each sender a process with its connection"}


def main():
    district, metrics = world()
    devices = list(Device.objects.filter(district=district).order_by("pk").values_list("pk", "code"))
    now = timezone.now().replace(second=0, microsecond=0)
    per_minute = max(1, DEVICES // 1000)  # batches of 1,000 devices a minute (fewer devices: one batch a minute)
    seconds = prefill(metrics["elevator_fault"].pk, now - dt.timedelta(hours=BATCHES // per_minute + 2))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM signs_reading")
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
                       "WHERE inhparent = 'signs_reading'::regclass")
        size = cursor.fetchone()[0]
    results = [{"name": f"signs: prefill {stored:,} readings + rollups (SQL)", "seconds": seconds, "rows": stored,
                "note": f"signs_reading {size} (not a goal: the stored size the others run at)"}]
    # batches of 1,000: device i's reading at minute m (one per device and minute, each batch a slice of devices)
    batches = []
    for b in range(BATCHES):
        minute, part = divmod(b, per_minute)
        at = now - dt.timedelta(minutes=BATCHES // per_minute + 1 - minute)
        chunk = devices[part * 1000:(part + 1) * 1000]
        batches.append([{"device": code, "metric": "elevator_fault", "at": at,
                         "value": 23.0 if (pk + minute) % 97 == 0 else 0.0} for pk, code in chunk])
    laps = Laps()
    for batch in batches:
        with laps, transaction.atomic():  # as a request does: the evaluation task is enqueued when it commits
            out = readings_ingest(district_id=district.pk, items=batch, now=now)
        assert all(o.status == "stored" for o in out), out[0]
    total = sum(laps.wall)
    n = sum(len(b) for b in batches)
    b50, b95 = p50_p95(laps.wall)
    results.append({"name": "signs: ingest batches of 1,000 (sequential, in-process)", "seconds": total, "rows": n,
                    "note": f"goal ≥ 20,000 readings/s; a batch p50 {b50 * 1000:.0f} ms, p95 {b95 * 1000:.0f} ms; "
                            f"{stored:,} readings stored before"})
    if SENDERS > 1:
        results.append(concurrent(district.pk, devices, now))
    t = time.perf_counter()
    for batch in batches[:50]:
        out = readings_ingest(district_id=district.pk, items=batch, now=now, evaluate=False)
        assert all(o.status == "repeated" for o in out)
    results.append({"name": "signs: the same batches again (all repeated)", "seconds": time.perf_counter() - t,
                    "rows": 50 * 1000, "note": "idempotent: nothing written"})
    # the evaluation tasks the batches enqueued, run as the worker runs them (devices with a breach, or judged
    # past NONE already: ~1 % of the readings here), then the periodic sweep over every device
    from django_tasks_db.models import DBTaskResult

    queued = [r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(
        task_path="civicloop.signs.tasks.evaluate_devices", status="READY")]
    t = time.perf_counter()
    for ids in queued:
        evaluate_devices(ids, now=now)
    due = sum(len(ids) for ids in queued)
    results.append({"name": "signs: rule evaluation of what the batches enqueued", "seconds": time.perf_counter() - t,
                    "rows": n, "note": f"rows = readings ingested; {len(queued)} tasks, {due:,} devices evaluated "
                                       f"(2 rules); keeps up when this takes less than the ingestion"})
    DBTaskResult.objects.filter(task_path="civicloop.signs.tasks.evaluate_devices").delete()
    sweep = Laps()
    for part in range(min(per_minute, 10)):
        ids = [pk for pk, _c in devices[part * 1000:(part + 1) * 1000]]
        with sweep:
            evaluate_devices(ids, now=now + dt.timedelta(seconds=30))
    results.append({"name": "signs: periodic sweep, every device (2 rules, 1,000 a call)", "seconds": sum(sweep.wall),
                    "rows": len(sweep.wall) * 1000, "note": "rows = devices evaluated; the silence sweep runs every 5 min"})
    from civicloop.orgs.models import User

    viewer = User.objects.filter(username="bench_signs").first() or User.objects.create_superuser(
        "bench_signs", password=None)
    building = Place.objects.get(code="319999001001-C001-B000")
    compound = Place.objects.get(code="319999001001-C001")
    one = list(Device.objects.filter(place=building)[:1])
    metric = metrics["elevator_fault"]
    charts = (
        (f"a building ({Device.objects.filter(place=building).count()} devices)",
         lambda: place_series_for(viewer, building, metric, days=30)),
        (f"a compound ({DEVICES:,} devices in {BUILDINGS} buildings)",
         lambda: place_series_for(viewer, compound, metric, days=30)),
        ("one device", lambda: series_for(one, metric, days=30)),
    )
    for label, read in charts:
        read()  # warm
        chart = Laps()
        for _ in range(CHARTS):
            with chart:
                points = read()
        c50, c95 = p50_p95(chart.wall)
        results.append({"name": f"signs: 30-day hourly chart, {label}", "seconds": c95, "rows": len(points),
                        "note": f"p50 {c50 * 1000:.1f} ms, p95 {c95 * 1000:.1f} ms (goal ≤ 100 ms); rows = points; "
                                f"{stored:,} readings stored; seconds = p95"})
    emit(results)


if __name__ == "__main__":
    sys.exit(main())
