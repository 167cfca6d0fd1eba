"""`core.sql.insert` stores a row exactly as `Model.save(force_insert=True)` would; `core.sql.Prepared` reads
what the queryset it was compiled from reads, for other values."""

import datetime as dt

from django.db import connection

from civicloop.cases.constants import Action, CaseState
from civicloop.cases.models import Case, CaseEvent
from civicloop.core.sql import Prepared, bulk_insert, insert


def _case(world, code, **extra):
    return Case(district=world.district, tracking_code=code, channel="hotline_12345", description="楼道堆物",
                reporter_name="王", street=world.street_a, state=CaseState.REGISTERED, version=1, **extra)


def _stored(model, pk):
    row = model.objects.get(pk=pk)
    return {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if f.attname != "id"}


def test_insert_matches_save(world):
    by_orm, by_sql = _case(world, "XH2026-0000001"), _case(world, "XH2026-0000002")
    by_orm.save(force_insert=True)
    insert(by_sql)
    assert by_sql.pk and by_sql.pk != by_orm.pk and not by_sql._state.adding
    a, b = _stored(Case, by_orm.pk), _stored(Case, by_sql.pk)
    for key in ("tracking_code", "created_at", "updated_at"):
        a.pop(key), b.pop(key)
    assert a == b
    assert abs(Case.objects.get(pk=by_sql.pk).created_at - by_sql.created_at) < dt.timedelta(seconds=1)


def test_insert_round_trips_json_and_datetimes(world):
    case = _case(world, "XH2026-0000003")
    insert(case)
    at = dt.datetime(2026, 10, 1, 8, 30, tzinfo=dt.UTC)
    event = CaseEvent(district=world.district, case=case, seq=1, actor=world.street_dispatcher,
                      actor_unit_id=world.street_a_office.pk, at=at, action=Action.REGISTER, before={},
                      after={"state": "registered", "note": "中文"}, attachments=[{"name": "照片.jpg"}])
    insert(event)
    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.at == at and stored.after == {"state": "registered", "note": "中文"}
    assert stored.attachments == [{"name": "照片.jpg"}] and stored.actor_id == world.street_dispatcher.pk


def test_prepared_reads_what_the_queryset_reads_for_other_values(world):
    """Stand-ins (a list of ids, a datetime — bound as text on SQLite) are replaced by each run's values, and
    the columns come back converted as the queryset converts them (datetimes, JSON)."""
    cases = [_case(world, f"XH2026-00000{n}", deadline=dt.datetime(2026, 11, n, 9, tzinfo=dt.UTC)) for n in (4, 5, 6)]
    for case in cases:
        insert(case)
    never = dt.datetime(2000, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    stand_in_ids = [-9_000_001, -9_000_002]

    def qs(ids, before):
        return Case.objects.filter(pk__in=ids, deadline__lt=before).order_by("id").values_list(
            "id", "deadline", "street__name", "created_at")

    read = Prepared(qs(stand_in_ids, never), ids=stand_in_ids, before=never)
    assert len(read.slots) == 3
    ids, before = [cases[0].pk, cases[2].pk], dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    assert [tuple(row) for row in read.rows(connection, ids=ids, before=before)] == list(qs(ids, before)) != []
    later = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert [tuple(row) for row in read.rows(connection, ids=ids, before=later)] == list(qs(ids, later))
    assert len(list(qs(ids, later))) == 2
    assert Prepared(Case.objects.filter(pk__in=[])).sql is None


def test_bulk_insert_matches_bulk_create_and_leaves_the_sequence_ahead(world):
    """On PostgreSQL through COPY with ids taken from the sequence; the stored rows are what bulk_create stores,
    the instances get their ids, and a later ORM insert takes the next id."""
    by_orm = [_case(world, f"XH2026-10000{n}") for n in range(3)]
    by_copy = [_case(world, f"XH2026-20000{n}", address="徐虹北路 1 号", lat=None) for n in range(3)]
    Case.objects.bulk_create(by_orm)
    bulk_insert(by_copy)
    assert all(c.pk and not c._state.adding for c in by_copy) and len({c.pk for c in by_copy}) == 3
    for a, b in zip(by_orm, by_copy, strict=True):
        x, y = _stored(Case, a.pk), _stored(Case, b.pk)
        for key in ("tracking_code", "created_at", "updated_at", "address"):
            x.pop(key), y.pop(key)
        assert x == y
    assert Case.objects.get(pk=by_copy[1].pk).tracking_code == "XH2026-200001"
    later = _case(world, "XH2026-3000001")
    later.save(force_insert=True)
    assert later.pk > max(c.pk for c in by_copy)
    bulk_insert([])


def test_plan_cache_builds_once_per_key_and_database_and_forgets_the_least_recently_used():
    from civicloop.core.sql import PlanCache

    plans, built = PlanCache(size=2), []

    def build(name):
        return lambda: built.append(name) or name

    assert plans.get(connection, ("a",), build("a")) == "a"
    assert plans.get(connection, ("a",), build("a again")) == "a" and built == ["a"]
    plans.get(connection, ("b",), build("b"))
    plans.get(connection, ("a",), build("a again"))  # a is now the most recently used
    plans.get(connection, ("c",), build("c"))  # b goes
    assert list(plans) == [("a", connection.vendor, connection.alias), ("c", connection.vendor, connection.alias)]
    assert len(plans) == 2 and built == ["a", "b", "c"]
