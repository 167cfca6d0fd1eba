"""`core.sql.insert` stores a row exactly as `Model.save(force_insert=True)` would."""

import datetime as dt

from civicloop.cases.constants import Action, CaseState
from civicloop.cases.models import Case, CaseEvent
from civicloop.core.sql import insert


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
