"""Readings in bulk from gateways: `readings_ingest` checks every item, stores the new ones and their hourly
rollups in one transaction, and answers an outcome per item.

Idempotent by (device, metric, at): the readings table's key refuses a repeat (`ON CONFLICT DO NOTHING`), and
only the rows the insert returns — the ones really new — are added to the rollups and the latest values, so the
same batch sent three times changes nothing the second and third time. A late or out-of-order reading is stored
like any other; the latest value moves only forward, and the evaluation reads the stored series.

The SQL is hand-written (one statement per table, arrays on PostgreSQL, multi-row VALUES on SQLite): the ORM's
bulk_create cannot say which rows a conflict skipped, and it would compile 1,000 objects per batch.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.sql import InIds

from ..constants import BATCH_MAX, LATE_LIMIT_HOURS, VALUE_LIMIT
from ..error_codes import SignsErrorCode
from ..models import Device, Metric
from ..partitions import month_of, partitions_ensure

STORED, REPEATED = "stored", "repeated"
FUTURE_SLACK = dt.timedelta(minutes=5)  # a gateway's clock a little ahead is not an error


@dataclass(frozen=True)
class Outcome:
    """One item's answer: stored, repeated (already stored: nothing changed), or refused (`error`)."""

    status: str
    error: CivicError | None = None


def metric_ids() -> dict[str, tuple[int, str]]:
    """{code: (id, device kind)} of the catalogue (a few rows; read per batch, not cached across requests)."""
    return {code: (pk, kind) for code, pk, kind in Metric.objects.values_list("code", "pk", "device_kind")}


def readings_ingest(*, district_id: int, items: list[dict], now: dt.datetime | None = None,
                    evaluate: bool = True) -> list[Outcome]:
    """Store a batch of readings [{device, metric, at, value}] (codes, an aware datetime, a number) for the
    district's devices. A refused item changes nothing and does not stop the others. After the commit, one
    evaluation task for the devices that got new, recent readings (`evaluate=False`: the caller evaluates)."""
    if not 1 <= len(items) <= BATCH_MAX:
        raise CivicError(ErrorCode.INVALID, _("一次报送 1 至 %(max)d 条读数。"), max=BATCH_MAX)
    now = now or timezone.now()
    metrics = metric_ids()
    # a code with a NUL byte names no device (PostgreSQL refuses it even in a lookup)
    codes = {code for i in items if "\x00" not in (code := str(i.get("device", "")))}
    devices = devices_by_code(district_id, codes)
    out: list[Outcome | None] = [None] * len(items)
    rows: dict[tuple, tuple[int, float]] = {}  # (device id, metric id, at) → (item index, value)
    utc: dict[dt.datetime, dt.datetime] = {}  # a batch's items mostly share a few times: each converted once
    for i, item in enumerate(items):
        device, metric = devices.get(item.get("device")), metrics.get(item.get("metric"))
        at, value = item.get("at"), item.get("value")
        if device is None:
            out[i] = Outcome("refused", CivicError(SignsErrorCode.UNKNOWN_DEVICE))
        elif metric is None or metric[1] != device[1]:
            out[i] = Outcome("refused", CivicError(SignsErrorCode.UNKNOWN_METRIC))
        elif (not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value)
              or abs(value) > VALUE_LIMIT or not isinstance(at, dt.datetime) or at.tzinfo is None
              or at > now + FUTURE_SLACK):
            out[i] = Outcome("refused", CivicError(SignsErrorCode.BAD_VALUE))
        else:
            naive = utc.get(at)
            if naive is None:
                naive = utc[at] = at.astimezone(dt.UTC).replace(tzinfo=None)
            key = (device[0], metric[0], naive)
            if key in rows:
                out[i] = Outcome(REPEATED)  # the same reading twice in one batch: the first one counts
            else:
                rows[key] = (i, float(value))
    if not rows:
        return out
    values = {key: value for key, (_i, value) in rows.items()}
    new, judged = _store(values, {d[0]: d[2] for d in devices.values()})
    for key, (i, _v) in rows.items():
        out[i] = Outcome(STORED if key in new else REPEATED)
    due = devices_due(district_id, new, values, now, judged=judged)
    if evaluate and due:
        from ..tasks import evaluate_devices

        transaction.on_commit(lambda: evaluate_devices.enqueue(due))
    return out


def devices_by_code(district_id: int, codes: set[str]) -> dict[str, tuple[int, str, int]]:
    """{code: (id, kind, place id)} of the district's active devices among `codes` (PostgreSQL: the codes as one array
    parameter — a placeholder per code was a tenth of a batch's time in psycopg's binding)."""
    if not codes:
        return {}
    if _pg():
        with connection.cursor() as cursor:
            cursor.execute("SELECT code, id, kind, place_id FROM signs_device WHERE district_id = %s AND active "
                           "AND code = ANY((SELECT %s)::text[])", [district_id, _text_array(codes)])
            return {code: (pk, kind, place) for code, pk, kind, place in cursor.fetchall()}
    return {code: (pk, kind, place) for code, pk, kind, place in Device.objects.filter(
        district_id=district_id, active=True, code__in=codes).values_list("code", "pk", "kind", "place_id")}


def devices_due(district_id: int, new: set[tuple], values: dict[tuple, float], now: dt.datetime, *,
                judged: set[int] | None = None) -> list[int]:
    """The devices whose new readings can change a verdict: a recent reading past a level of an active rule on
    its metric, or a device some rule already judges past NONE (it may clear). A device judged NONE whose new
    readings are all normal stays NONE under every kind — the newest reading is normal (threshold, duration), no
    hit was added (repetition), a silence clock only moves forward — so it is not evaluated: the evaluation's work
    follows the breaches, not the readings (the periodic sweep still looks at every device)."""
    from ..evaluate import RuleSpec, breach_bounds
    from ..models import Rule, RuleState

    recent = now.astimezone(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=LATE_LIMIT_HOURS)
    fresh = [key for key in new if key[2] >= recent]
    if not fresh:
        return []
    specs: dict[int, list] = defaultdict(list)
    for rule in Rule.objects.filter(district_id=district_id, active=True):
        specs[rule.metric_id].append(RuleSpec.of(rule))
    bounds = {metric_id: breach_bounds(metric_specs) for metric_id, metric_specs in specs.items()}
    none = (math.inf, -math.inf)
    due = set()
    for key in fresh:
        above, below = bounds.get(key[1], none)
        if values[key] >= above or values[key] <= below:
            due.add(key[0])
    fresh_devices = {key[0] for key in fresh}
    if judged is None:  # (PostgreSQL: the store's statement answered it)
        judged = set(RuleState.objects.filter(InIds("device_id", fresh_devices), severity__gt=0).values_list(
            "device_id", flat=True))
    due.update(judged & fresh_devices)
    return sorted(due)


def readings_store(values: dict[tuple, float]) -> set[tuple]:
    """Store checked readings {(device id, metric id, naive UTC at): value}: the new ones with their rollups and
    latest values; answers the keys really stored (the others were stored before). The demo's feed writes
    through here too, so its rollups are the ingestion's."""
    return _store(values)[0]


@transaction.atomic(savepoint=False)  # on PostgreSQL one statement; inside a caller's transaction, no savepoint
def _store(values: dict[tuple, float], places: dict[int, int] | None = None) -> tuple[set[tuple], set[int] | None]:
    """readings_store, and on PostgreSQL the devices of the new readings some rule judges past NONE (the same
    statement reads them; elsewhere None: devices_due asks). `places`: {device id: its place id}, when known."""
    if _pg():
        if places is None:
            places = dict(Device.objects.filter(InIds("id", {k[0] for k in values})).values_list("pk", "place_id"))
        return _store_pg(values, places)
    new = _insert_readings(values)
    if new:
        _add_rollups(new, values)
        _move_latest(new, values)
    return new, None


# PostgreSQL: one statement, one round trip — the insert's RETURNING rows (only the really new readings) feed the
# rollups and the latest values in the same statement. Rollups grouped and latest values picked per series, so no
# row is updated twice by one command; sorted, so concurrent batches lock rollup rows in the same order. The batch
# travels as four array literals written here (ids, epoch microseconds — exact, unlike a float of seconds — and
# values in their shortest exact form): psycopg's client-side binding quoted 4,000 elements one by one, a fifth of a
# batch's time. The answer is the input's positions of the new readings (no time to parse back), then the devices
# of the new readings some rule judges past NONE (they may clear: devices_due). The devices' places come
# with the batch (ingestion read them with the devices), not from a join with every device.
STORE_PG = """
WITH places AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS p(device_id, place_id)),
input AS (SELECT device_id, metric_id, timestamptz 'epoch' + us * interval '1 microsecond' AS at, value, n
               FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::float8[]) WITH ORDINALITY
                    AS t(device_id, metric_id, us, value, n)),
ins AS (INSERT INTO signs_reading (device_id, metric_id, at, value)
        SELECT device_id, metric_id, at, value FROM input
        ON CONFLICT DO NOTHING RETURNING device_id, metric_id, at, value),
roll AS (INSERT INTO signs_rollup AS r (device_id, metric_id, hour, count, total, low, high)
         SELECT device_id, metric_id, date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*),
                sum(value), min(value), max(value)
         FROM ins GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
         ON CONFLICT (device_id, metric_id, hour) DO UPDATE SET count = r.count + excluded.count,
            total = r.total + excluded.total, low = LEAST(r.low, excluded.low), high = GREATEST(r.high, excluded.high)),
proll AS (INSERT INTO signs_placerollup AS r (place_id, metric_id, hour, count, total, low, high)
          SELECT d.place_id, i.metric_id, date_trunc('hour', i.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*),
                 sum(i.value), min(i.value), max(i.value)
          FROM ins i JOIN places d USING (device_id) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (place_id, metric_id, hour) DO UPDATE SET count = r.count + excluded.count,
             total = r.total + excluded.total, low = LEAST(r.low, excluded.low), high = GREATEST(r.high, excluded.high)),
lat AS (INSERT INTO signs_latest AS l (device_id, metric_id, at, value)
        SELECT DISTINCT ON (device_id, metric_id) device_id, metric_id, at, value FROM ins
        ORDER BY device_id, metric_id, at DESC
        ON CONFLICT (device_id, metric_id) DO UPDATE SET at = excluded.at, value = excluded.value
        WHERE excluded.at > l.at)
SELECT input.n, NULL::bigint FROM input JOIN ins USING (device_id, metric_id, at)
UNION ALL
SELECT DISTINCT NULL::bigint, device_id FROM signs_rulestate WHERE severity > 0 AND device_id IN (SELECT device_id FROM ins)"""
EPOCH = dt.datetime(1970, 1, 1)


def _array(numbers) -> str:
    return "{" + ",".join(map(repr, numbers)) + "}"


def _text_array(texts) -> str:
    """A text[] literal: every element quoted, its backslashes and quotes escaped (no NUL: the caller left those out)."""
    return "{" + ",".join('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in texts) + "}"


def _store_pg(values: dict[tuple, float], places: dict[int, int]) -> tuple[set[tuple], set[int]]:
    keys = sorted(values)
    partitions_ensure({month_of(at) for at in {k[2] for k in keys}})  # one catalogue read; creates a missing one
    devices = sorted({k[0] for k in keys})
    with connection.cursor() as cursor:
        cursor.execute(STORE_PG, [_array(devices), _array(places[d] for d in devices), _array(k[0] for k in keys), _array(k[1] for k in keys),
                                  _array((k[2] - EPOCH) // MICROSECOND for k in keys),
                                  _array(float(values[k]) for k in keys)])
        new, judged = set(), set()
        for n, device_id in cursor.fetchall():
            if n is None:
                judged.add(device_id)
            else:
                new.add(keys[n - 1])
        return new, judged


MICROSECOND = dt.timedelta(microseconds=1)


# ----- SQL. Times travel as naive UTC: the key compares equal however the database hands a time back.
def _utc(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _aware(naive: dt.datetime) -> dt.datetime:
    return naive.replace(tzinfo=dt.UTC)


def _sqlite_time(naive: dt.datetime) -> str:
    return naive.isoformat(sep=" ")


def _chunks(seq: list, size: int):
    for start in range(0, len(seq), size):
        yield seq[start:start + size]


def _insert_readings(rows: dict) -> set[tuple]:
    """SQLite: insert the rows; the keys of those really inserted (a conflict with a stored reading skips it)."""
    keys = sorted(rows)
    new: set[tuple] = set()
    with connection.cursor() as cursor:
        for chunk in _chunks(keys, 500):
            cursor.execute(
                "INSERT INTO signs_reading (device_id, metric_id, at, value) VALUES "
                + ",".join(["(%s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT DO NOTHING RETURNING device_id, metric_id, at",
                [v for k in chunk for v in (k[0], k[1], _sqlite_time(k[2]), rows[k])])
            new.update((d, m, _utc(at)) for d, m, at in cursor.fetchall())
    return new


def _add_rollups(new: set[tuple], rows: dict) -> None:
    """SQLite: add the new readings to their hours, per device and per the device's place: count, sum, minimum,
    maximum (sorted, as on PostgreSQL)."""
    from ..models import Device

    place_of = dict(Device.objects.filter(pk__in={key[0] for key in new}).values_list("pk", "place_id"))
    for table, owner, of in (("signs_rollup", "device_id", lambda d: d), ("signs_placerollup", "place_id", place_of.get)):
        hours: dict[tuple, list] = defaultdict(lambda: [0, 0.0, math.inf, -math.inf])
        for key in new:
            value = rows[key]
            acc = hours[(of(key[0]), key[1], key[2].replace(minute=0, second=0, microsecond=0))]
            acc[0] += 1
            acc[1] += value
            acc[2] = min(acc[2], value)
            acc[3] = max(acc[3], value)
        keys = sorted(hours)
        with connection.cursor() as cursor:
            for chunk in _chunks(keys, 400):
                cursor.execute(
                    f"INSERT INTO {table} AS r ({owner}, metric_id, hour, count, total, low, high) VALUES "
                    + ",".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                    + f" ON CONFLICT ({owner}, metric_id, hour) DO UPDATE SET count = r.count + excluded.count, "
                    "total = r.total + excluded.total, low = min(r.low, excluded.low), high = max(r.high, excluded.high)",
                    [v for k in chunk for v in (k[0], k[1], _sqlite_time(k[2]), *hours[k])])


def _move_latest(new: set[tuple], rows: dict) -> None:
    """Each series' newest new reading replaces the stored latest one only when it is newer (a late reading
    does not)."""
    newest: dict[tuple, tuple] = {}
    for key in new:
        series = (key[0], key[1])
        if series not in newest or key[2] > newest[series][0]:
            newest[series] = (key[2], rows[key])
    keys = sorted(newest)
    with connection.cursor() as cursor:
        for chunk in _chunks(keys, 500):
            cursor.execute(
                "INSERT INTO signs_latest AS l (device_id, metric_id, at, value) VALUES "
                + ",".join(["(%s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (device_id, metric_id) DO UPDATE SET at = excluded.at, value = excluded.value "
                "WHERE excluded.at > l.at",
                [v for k in chunk for v in (k[0], k[1], _sqlite_time(newest[k][0]), newest[k][1])])
