"""Monthly partitions of the readings on PostgreSQL (decision: signs2): `signs_reading` is `PARTITION BY RANGE (at)`,
one partition per calendar month in UTC, named `signs_reading_yYYYYmMM`. SQLite keeps the plain table (every
function here does nothing there).

There is no default partition: a reading whose month has no partition would fail, so ingestion asks for its
months' partitions before it inserts (`partitions_ensure`: one catalogue read when they exist — the usual case,
since the periodic task `tasks.partitions_ahead` creates the current and the next months ahead), and creates the
missing ones (a late reading of an old month, a task that did not run). A default partition would make that unsafe:
creating a month's partition fails once the default holds a row of that month.

The key (device, metric, at) contains the partition key, as PostgreSQL requires of a unique constraint on a
partitioned table, so `INSERT … ON CONFLICT DO NOTHING` is still ingestion's idempotence: a repeat lands in the same
partition as its first copy and meets its key there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection

PARENT = "signs_reading"
AHEAD_MONTHS = 2  # the periodic task keeps this month and the next ones ready
LOCK_KEY = 0x5167_0017  # pg_advisory_xact_lock: one creator at a time (two would collide on the catalogue)


def month_of(at: dt.datetime) -> dt.date:
    """The first day of `at`'s month in UTC (naive datetimes are UTC already)."""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC)
    return dt.date(at.year, at.month, 1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{PARENT}_y{month.year:04d}m{month.month:02d}"


def is_partitioned() -> bool:
    return connection.vendor == "postgresql"


def create_sql(month: dt.date) -> str:
    """The statement creating a month's partition (bounds in UTC: [first day, first day of the next month))."""
    return (f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF {PARENT} "
            f"FOR VALUES FROM ('{month:%Y-%m-%d} 00:00:00+00') TO ('{next_month(month):%Y-%m-%d} 00:00:00+00')")


def partitions_ensure(months: Iterable[dt.date]) -> list[dt.date]:
    """Make sure each month has its partition; the months created. One catalogue read when all exist.

    Creating one takes a lock on the parent that waits for the inserts in flight and holds the next ones until this
    transaction ends — why the periodic task creates them ahead and this path is the exception."""
    months = sorted(set(months))
    if not months or not is_partitioned():
        return []
    names = [partition_name(m) for m in months]
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM unnest(%s::text[]) AS n WHERE to_regclass(n) IS NULL", [names])
        missing = {row[0] for row in cursor.fetchall()}
        if not missing:
            return []
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        created = []
        for month in months:
            if partition_name(month) in missing:
                cursor.execute(create_sql(month))  # IF NOT EXISTS: a creator before the lock was taken
                created.append(month)
    return created


def partitions_ahead(today: dt.date | None = None, *, months: int = AHEAD_MONTHS) -> list[dt.date]:
    """This month's partition and the next `months`' (the periodic task's work); the months created."""
    month = month_of(dt.datetime.combine(today, dt.time()) if today else dt.datetime.now(dt.UTC))
    wanted = [month]
    for _ in range(months):
        wanted.append(next_month(wanted[-1]))
    return partitions_ensure(wanted)


def partition_list() -> list[str]:
    """The readings' partitions, oldest first (PostgreSQL; empty on SQLite)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass ORDER BY c.relname", [PARENT])
        return [row[0] for row in cursor.fetchall()]
