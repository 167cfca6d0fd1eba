"""Frozen sets, published runs, templates, who may do what, bad input that changes nothing."""

import datetime as dt
from decimal import Decimal as D

import pytest

from civicloop.assess.error_codes import AssessErrorCode
from civicloop.assess.models import Dimension, EvaluationRun, Indicator, IndicatorSet, Score
from civicloop.assess.services import runs as r
from civicloop.assess.services import sets as s
from civicloop.assess.templates_data import CLOSED_LOOP, HUANGPU
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import AuditLog

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def refused(expected, fn, *args, **kwargs):
    with pytest.raises(CivicError) as exc:
        fn(*args, **kwargs)
    assert exc.value.code == expected, exc.value.code
    return exc.value


def test_templates_fill_out_the_eight_dimensions(world):
    huangpu = s.set_create(actor=world.district_admin, code="jyt", name="金银铜", template=HUANGPU["code"])
    names = list(Dimension.objects.filter(indicator_set=huangpu).order_by("position").values_list("name", flat=True))
    assert names == ["城区经济与发展", "城市建设与管理", "社会治安与稳定", "科技教育与文体卫生", "社区建设", "组织建设",
                     "宣传思想与道德建设", "党风廉政与机关作风建设"]
    indicators = Indicator.objects.filter(indicator_set=huangpu)
    assert indicators.count() == 140
    assert sum(i.weight for i in indicators) == D(1000)
    assert indicators.filter(kind="objective").count() >= 20
    loop = s.set_create(actor=world.district_admin, code="bihuan", name="闭环", template=CLOSED_LOOP["code"])
    loop_indicators = Indicator.objects.filter(indicator_set=loop)
    assert sum(i.weight for i in loop_indicators) == D(100)
    assert {i.metric for i in loop_indicators} >= {"accept_rate", "on_time_rate", "satisfaction_rate", "reopen_rate"}
    assert loop_indicators.get(metric="reopen_rate").direction == "lower"


def test_a_computed_set_is_frozen_and_changes_only_in_a_new_version(computed):
    admin = computed.loop.world.district_admin
    k1 = Indicator.objects.get(indicator_set=computed.set, code="K1")
    assert IndicatorSet.objects.get(pk=computed.set.pk).frozen
    before = list(Indicator.objects.filter(indicator_set=computed.set).values())
    refused(AssessErrorCode.SET_FROZEN, s.indicator_save, actor=admin, set_id=computed.set.pk, indicator_id=k1.pk,
            dimension="办理", weight=D(30))
    refused(AssessErrorCode.SET_FROZEN, s.indicator_save, actor=admin, set_id=computed.set.pk, dimension="新",
            code="N1", name="新指标", kind="subjective", rule="deduction", weight=D(1), per_item=D(1))
    refused(AssessErrorCode.SET_FROZEN, s.indicator_delete, actor=admin, indicator_id=k1.pk)
    assert list(Indicator.objects.filter(indicator_set=computed.set).values()) == before
    v2 = s.set_new_version(actor=admin, set_id=computed.set.pk)
    assert (v2.code, v2.version, v2.frozen) == ("small", 2, False)
    k1_v2 = Indicator.objects.get(indicator_set=v2, code="K1")
    s.indicator_save(actor=admin, set_id=v2.pk, indicator_id=k1_v2.pk, dimension="办理", weight=D(30))
    assert Indicator.objects.get(pk=k1_v2.pk).weight == D(30)
    assert Indicator.objects.get(pk=k1.pk).weight == D(25)
    assert AuditLog.objects.filter(action="assess.set_freeze", object_id=str(computed.set.pk)).count() == 1


def test_a_published_run_never_changes(computed):
    admin = computed.loop.world.district_admin
    run = r.run_publish(actor=admin, run_id=computed.run.pk)
    assert run.state == "published"
    before = sorted(Score.objects.filter(run=run).values_list("pk", "points"))
    refused(AssessErrorCode.RUN_PUBLISHED, r.run_compute, actor=admin, run_id=run.pk, today=TODAY)
    refused(AssessErrorCode.RUN_PUBLISHED, r.entries_save, actor=admin, run_id=run.pk,
            entries=[{"unit_id": computed.loop.world.street_b_office.pk, "indicator_id": computed.codes["S1"],
                      "value": D(100)}])
    refused(AssessErrorCode.RUN_PUBLISHED, r.run_publish, actor=admin, run_id=run.pk)
    assert sorted(Score.objects.filter(run=run).values_list("pk", "points")) == before


def test_publish_needs_a_computation_after_the_last_entries(computed):
    admin, w = computed.loop.world.district_admin, computed.loop.world
    r.entries_save(actor=admin, run_id=computed.run.pk, entries=[
        {"unit_id": w.street_b_office.pk, "indicator_id": computed.codes["S1"], "value": D(90)}])
    refused(AssessErrorCode.RUN_NOT_COMPUTED, r.run_publish, actor=admin, run_id=computed.run.pk)
    r.run_compute(actor=admin, run_id=computed.run.pk, today=TODAY)
    assert Score.objects.get(run=computed.run, unit=w.street_b_office, indicator_id=computed.codes["S1"]).points == D("9.00")
    assert r.run_publish(actor=admin, run_id=computed.run.pk).state == "published"


def test_only_the_district_s_administrators_keep_sets_and_runs(world, small_set):
    for actor in (world.street_dispatcher, world.leader, world.dept_handler):
        refused(ErrorCode.FORBIDDEN, s.set_create, actor=actor, code="x", name="x")
    refused(ErrorCode.FORBIDDEN, s.indicator_save, actor=world.leader, set_id=small_set.pk, dimension="d", code="Z",
            name="z", kind="subjective", rule="deduction", weight=D(1), per_item=D(1))
    refused(ErrorCode.NOT_FOUND, s.indicator_save, actor=world.stranger, set_id=small_set.pk, dimension="d",
            code="Z", name="z", kind="subjective", rule="deduction", weight=D(1), per_item=D(1))
    refused(ErrorCode.NOT_FOUND, r.run_create, actor=world.stranger, set_id=small_set.pk, name="x",
            start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert not EvaluationRun.objects.exists()


@pytest.mark.parametrize("fields, expected", [
    ({"rule": "linear", "target": D(95)}, AssessErrorCode.RULE_INVALID),  # no floor
    ({"rule": "linear", "target": D(95), "floor": D(99)}, AssessErrorCode.RULE_INVALID),  # floor above target, higher
    ({"rule": "deduction"}, AssessErrorCode.RULE_INVALID),  # no per-item points
    ({"rule": "linear", "target": D(95), "floor": D(70), "metric": "no_such_kpi"}, ErrorCode.INVALID),
    ({"rule": "linear", "target": D(95), "floor": D(70), "weight": D(-1)}, ErrorCode.INVALID),
])
def test_an_incomplete_rule_is_refused(world, small_set, fields, expected):
    base = {"code": "X1", "name": "新指标", "kind": "objective", "metric": "on_time_rate", "weight": D(5)}
    err = refused(expected, s.indicator_save, actor=world.district_admin, set_id=small_set.pk, dimension="办理",
                  **(base | fields))
    assert err.message
    assert not Indicator.objects.filter(indicator_set=small_set, code="X1").exists()


def test_a_duplicate_code_is_refused(world, small_set):
    refused(ErrorCode.DUPLICATE, s.indicator_save, actor=world.district_admin, set_id=small_set.pk, dimension="办理",
            code="K1", name="again", kind="subjective", rule="deduction", weight=D(1), per_item=D(1))


def test_run_units_must_be_the_set_s_kind_of_unit(world, small_set):
    refused(ErrorCode.INVALID, r.run_create, actor=world.district_admin, set_id=small_set.pk, name="x",
            start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), unit_ids=[world.housing.pk])
    refused(ErrorCode.INVALID, r.run_create, actor=world.district_admin, set_id=small_set.pk, name="x",
            start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 31))
    run = r.run_create(actor=world.district_admin, set_id=small_set.pk, name="x", start=dt.date(2026, 1, 1),
                       end=dt.date(2026, 1, 31))
    assert set(run.units.values_list("pk", flat=True)) == {world.street_a_office.pk, world.street_b_office.pk}


def test_entries_must_be_the_run_s(computed):
    admin, w = computed.loop.world.district_admin, computed.loop.world
    refused(ErrorCode.INVALID, r.entries_save, actor=admin, run_id=computed.run.pk,
            entries=[{"unit_id": w.housing.pk, "indicator_id": computed.codes["S1"], "value": D(1)}])
    refused(ErrorCode.INVALID, r.entries_save, actor=admin, run_id=computed.run.pk,  # an objective indicator
            entries=[{"unit_id": w.street_a_office.pk, "indicator_id": computed.codes["K1"], "value": D(1)}])
    assert EvaluationRun.objects.get(pk=computed.run.pk).computed_at is not None
