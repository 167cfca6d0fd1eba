"""Readings by month: ingestion across a month boundary stays idempotent on both databases; on PostgreSQL each month
has its own partition, made ahead by the periodic task or on demand by ingestion."""

import datetime as dt

import pytest
from django.db import connection

from civicloop.signs.models import Latest, Reading, Rollup
from civicloop.signs.partitions import (
    month_of,
    next_month,
    partition_list,
    partition_name,
    partitions_ahead,
    partitions_ensure,
)
from civicloop.signs.services.ingest import readings_ingest

# 2031: months no migration or earlier test made a partition for
EVE = dt.datetime(2031, 3, 31, 23, 40, tzinfo=dt.UTC)
NOW = EVE + dt.timedelta(hours=2)


def across_the_boundary(code="EL-A1"):
    """Six readings 10 minutes apart from 23:40 on 31 March (UTC): two in March, four in April."""
    return [{"device": code, "metric": "elevator_fault", "at": EVE + dt.timedelta(minutes=10 * i), "value": float(i)}
            for i in range(6)]


def test_months_and_names():
    assert month_of(dt.datetime(2031, 3, 31, 23, 59, 59, tzinfo=dt.UTC)) == dt.date(2031, 3, 1)
    # Shanghai's 1 April 07:00 is 31 March 23:00 in UTC: the month is UTC's
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert month_of(dt.datetime(2031, 4, 1, 7, 0, tzinfo=shanghai)) == dt.date(2031, 3, 1)
    assert next_month(dt.date(2031, 12, 1)) == dt.date(2032, 1, 1)
    assert partition_name(dt.date(2031, 4, 1)) == "signs_reading_y2031m04"


@pytest.mark.django_db
def test_a_batch_across_a_month_boundary_three_times_is_stored_once(world, signs):
    items = across_the_boundary()
    first = readings_ingest(district_id=world.district.pk, items=items, now=NOW, evaluate=False)
    assert [o.status for o in first] == ["stored"] * 6
    state = (sorted(Reading.objects.values_list("device_id", "at", "value")),
             sorted(Rollup.objects.values_list("device_id", "hour", "count", "total")),
             list(Latest.objects.values_list("device_id", "at", "value")))
    for _ in range(2):
        again = readings_ingest(district_id=world.district.pk, items=items, now=NOW, evaluate=False)
        assert [o.status for o in again] == ["repeated"] * 6
        assert (sorted(Reading.objects.values_list("device_id", "at", "value")),
                sorted(Rollup.objects.values_list("device_id", "hour", "count", "total")),
                list(Latest.objects.values_list("device_id", "at", "value"))) == state
    assert Reading.objects.filter(at__lt=dt.datetime(2031, 4, 1, tzinfo=dt.UTC)).count() == 2
    assert Reading.objects.filter(at__gte=dt.datetime(2031, 4, 1, tzinfo=dt.UTC)).count() == 4
    assert [r[2] for r in state[1]] == [2, 4]  # the hours either side of the boundary
    assert state[2] == [(signs.elevator.pk, EVE + dt.timedelta(minutes=50), 5.0)]
    # half of it again, out of order, with one new reading: only the new one is stored
    late = [*reversed(items[2:5]), {**items[0], "at": EVE - dt.timedelta(minutes=5)}]
    out = readings_ingest(district_id=world.district.pk, items=late, now=NOW, evaluate=False)
    assert [o.status for o in out] == ["repeated", "repeated", "repeated", "stored"]
    assert Reading.objects.count() == 7


@pytest.mark.django_db
def test_sqlite_keeps_one_plain_table(world, signs):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's side")
    assert partitions_ensure([dt.date(2031, 3, 1)]) == [] and partition_list() == []


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_ingestion_makes_the_missing_months_and_each_reading_lands_in_its_own(world, signs):
    assert "signs_reading_y2031m03" not in partition_list()
    readings_ingest(district_id=world.district.pk, items=across_the_boundary(), now=NOW, evaluate=False)
    assert {"signs_reading_y2031m03", "signs_reading_y2031m04"} <= set(partition_list())
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text, count(*) FROM signs_reading GROUP BY 1 ORDER BY 1")
        assert cursor.fetchall() == [("signs_reading_y2031m03", 2), ("signs_reading_y2031m04", 4)]
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'signs_reading'")
        assert cursor.fetchone()[0] == "p"  # the parent is partitioned, and has no default partition
    # a second ensure finds them: nothing created
    assert partitions_ensure([dt.date(2031, 3, 1), dt.date(2031, 4, 1)]) == []


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_periodic_task_makes_this_month_and_the_next_two(world):
    made = partitions_ahead(dt.date(2032, 11, 15))
    assert made == [dt.date(2032, 11, 1), dt.date(2032, 12, 1), dt.date(2033, 1, 1)]
    assert partitions_ahead(dt.date(2032, 11, 20)) == []  # idempotent
    names = set(partition_list())
    assert {"signs_reading_y2032m11", "signs_reading_y2032m12", "signs_reading_y2033m01"} <= names
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'signs_reading_y2032m12'")
        bound = cursor.fetchone()[0]
    assert "2032-12-01 00:00:00+00" in bound and "2033-01-01 00:00:00+00" in bound


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_key_is_still_the_partitioned_tables_own(world):
    """The unique key (device, metric, at) is on the parent, so ON CONFLICT finds a repeat in its month."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = 'signs_reading'::regclass AND contype = 'p'")
        assert cursor.fetchone()[0] == "PRIMARY KEY (device_id, metric_id, at)"
