"""Ingestion: idempotent by (device, metric, at), rollups and latest values, per-item refusals."""

import datetime as dt

import pytest

from civicloop.signs.models import Latest, Reading, Rollup
from civicloop.signs.services.ingest import readings_ingest

T0 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
NOW = T0 + dt.timedelta(days=1)


def batch(code="EL-A1", metric="elevator_fault", n=10, start=T0, value=lambda i: float(i % 3)):
    return [{"device": code, "metric": metric, "at": start + dt.timedelta(minutes=7 * i), "value": value(i)}
            for i in range(n)]


def snapshot():
    return (sorted(Reading.objects.values_list("device_id", "metric_id", "at", "value")),
            sorted(Rollup.objects.values_list("device_id", "hour", "count", "total", "low", "high")),
            sorted(Latest.objects.values_list("device_id", "at", "value")))


@pytest.mark.django_db
def test_the_same_batch_three_times_changes_nothing_after_the_first(world, signs):
    items = batch(n=30)
    first = readings_ingest(district_id=world.district.pk, items=items, now=NOW, evaluate=False)
    assert [o.status for o in first] == ["stored"] * 30
    after_first = snapshot()
    assert sum(r[2] for r in after_first[1]) == 30
    for _ in range(2):
        again = readings_ingest(district_id=world.district.pk, items=items, now=NOW, evaluate=False)
        assert [o.status for o in again] == ["repeated"] * 30
        assert snapshot() == after_first


@pytest.mark.django_db
def test_rollups_sum_the_hour_and_latest_moves_only_forward(world, signs):
    items = batch(n=9, value=lambda i: float(i))  # 08:00 … 08:56: one hour
    readings_ingest(district_id=world.district.pk, items=items[5:], now=NOW, evaluate=False)
    readings_ingest(district_id=world.district.pk, items=items[:5], now=NOW, evaluate=False)  # late ones
    (row,) = Rollup.objects.values_list("count", "total", "low", "high")
    assert row == (9, 36.0, 0.0, 8.0)
    latest = Latest.objects.get()
    assert latest.value == 8.0 and latest.at == items[-1]["at"]


@pytest.mark.django_db
def test_bad_items_are_refused_one_by_one_and_change_nothing(world, signs):
    good = batch(n=1)[0]
    items = [
        {**good, "device": "NO-SUCH"},
        {**good, "device": "EL-A1\x00"},
        {**good, "metric": "water_flow"},  # an elevator reports no water
        {**good, "value": 1e300},
        {**good, "value": float("nan")},
        {**good, "value": True},
        {**good, "at": NOW + dt.timedelta(hours=1)},
        {**good, "device": "CN-OTHER"},
    ]
    out = readings_ingest(district_id=world.district.pk, items=items, now=NOW, evaluate=False)
    assert [o.error.code for o in out] == ["signs_unknown_device", "signs_unknown_device", "signs_unknown_metric",
                                           *["signs_bad_value"] * 4, "signs_unknown_device"]
    assert all(o.error.message for o in out)
    assert not Reading.objects.exists() and not Rollup.objects.exists() and not Latest.objects.exists()


@pytest.mark.django_db
def test_another_districts_device_is_unknown(world, signs):
    from civicloop.places.models import Place
    from civicloop.signs.testing import make_device

    make_device(world, "EL-OTHER", "elevator", Place.objects.filter(district=world.other_district).last())
    out = readings_ingest(district_id=world.district.pk, items=batch(code="EL-OTHER", n=1), now=NOW, evaluate=False)
    assert out[0].error.code == "signs_unknown_device" and not Reading.objects.exists()


@pytest.mark.django_db
def test_batch_size_is_bounded(world, signs):
    from civicloop.core.errors import CivicError

    with pytest.raises(CivicError):
        readings_ingest(district_id=world.district.pk, items=[], now=NOW)
