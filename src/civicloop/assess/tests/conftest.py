"""A small hand-counted world run through the cases services on a clock the test moves, and a small set.

Cases (March 2026, all 12345, category 0201, accepted at once):
  street A: a1 (2 days, resolved Tuesday: on time), a2 (1 day, resolved Thursday: late), a3 (2 days, resolved Tuesday)
  street B: b1 (1 day, resolved Friday: late), b2 (3 days, resolved Wednesday: on time)
So 按时办结率 A = 2/3 (66.67 %), B = 1/2 (50.00 %); 超期件数 A = 1, B = 1; 及时签收率 100 % each.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.utils import timezone

from civicloop.workdays.calendar import SHANGHAI

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday
TODAY = dt.date(2026, 4, 1)  # the evaluation is computed after the period


class Clock:
    def __init__(self, t: dt.datetime = START):
        self.t = t

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, **delta) -> dt.datetime:
        self.t += dt.timedelta(**delta)
        return self.t


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def loop(world, clock):
    from civicloop.cases import services as s
    from civicloop.cases.constants import Channel
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults
    from civicloop.dashboard.services import rollups_refresh

    categories_ensure_defaults()
    cat = Category.objects.get(code="0201")
    w = world

    def case(actor, place, lead, days):
        c = s.case_register(actor=actor, channel=Channel.HOTLINE_12345, description="楼道堆物",
                            place_id=place.pk, reporter_name="李四", reporter_phone="13912345678")
        s.case_triage(actor=actor, case_id=c.pk, category_id=cat.pk)
        s.case_dispatch(actor=actor, case_id=c.pk, lead_unit_id=lead.pk, time_limit_days=days)
        return c

    sd, out = w.street_dispatcher, w.outsider
    n = SimpleNamespace()
    n.a1 = case(sd, w.comm_a1, w.housing, 2)
    n.a2 = case(sd, w.comm_a1, w.housing, 1)
    n.a3 = case(sd, w.comm_a2, w.housing, 2)
    n.b1 = case(out, w.comm_b1, w.city_mgmt, 1)
    n.b2 = case(out, w.comm_b1, w.city_mgmt, 3)
    for c in (n.a1, n.a2, n.a3):
        s.case_accept(actor=w.dept_handler, case_id=c.pk)
    for c in (n.b1, n.b2):
        s.case_accept(actor=w.city_handler, case_id=c.pk)
    clock.advance(days=1)  # Tuesday
    s.case_resolve(actor=w.dept_handler, case_id=n.a1.pk, result="已处理")
    s.case_resolve(actor=w.dept_handler, case_id=n.a3.pk, result="已处理")
    clock.advance(days=1)  # Wednesday
    s.case_resolve(actor=w.city_handler, case_id=n.b2.pk, result="已处理")
    clock.advance(days=1)  # Thursday
    s.case_resolve(actor=w.dept_handler, case_id=n.a2.pk, result="已处理")
    clock.advance(days=1)  # Friday
    s.case_resolve(actor=w.city_handler, case_id=n.b1.pk, result="已处理")
    rollups_refresh(now=clock.t)
    return SimpleNamespace(world=w, cases=n, clock=clock)


INDICATORS = [
    # (dimension, fields)
    ("办理", {"code": "K1", "name": "按时办结率", "kind": "objective", "metric": "on_time_rate", "rule": "linear",
             "weight": D(25), "target": D(100), "floor": D(0)}),
    ("办理", {"code": "C1", "name": "超期件数", "kind": "objective", "metric": "overdue", "rule": "deduction",
             "weight": D(5), "per_item": D(1)}),
    ("评价", {"code": "S1", "name": "群众满意度测评", "kind": "subjective", "rule": "linear", "weight": D(10),
             "target": D(100), "floor": D(0)}),
    ("评价", {"code": "D1", "name": "暗查问题", "kind": "subjective", "rule": "deduction", "weight": D(5),
             "per_item": D(1)}),
    ("评价", {"code": "B1", "name": "获评示范", "kind": "subjective", "rule": "bonus", "per_item": D(2), "cap": D(6)}),
]


@pytest.fixture
def small_set(world):
    from civicloop.assess.services.sets import indicator_save, set_create

    s = set_create(actor=world.district_admin, code="small", name="小指标体系")
    for dimension, fields in INDICATORS:
        indicator_save(actor=world.district_admin, set_id=s.pk, dimension=dimension, **fields)
    return s


@pytest.fixture
def computed(loop, small_set):
    """A March run of the small set over both streets, entries A: S1 80, D1 2, B1 1 — computed."""
    from civicloop.assess.models import Indicator
    from civicloop.assess.services.runs import entries_save, run_compute, run_create

    w = loop.world
    run = run_create(actor=w.district_admin, set_id=small_set.pk, name="2026年3月", start=dt.date(2026, 3, 1),
                     end=dt.date(2026, 3, 31), medal_rule="top_n", gold=1, silver=1, bronze=0)
    by_code = {i.code: i.pk for i in Indicator.objects.filter(indicator_set=small_set)}
    a = w.street_a_office.pk
    entries_save(actor=w.district_admin, run_id=run.pk, entries=[
        {"unit_id": a, "indicator_id": by_code["S1"], "value": D(80)},
        {"unit_id": a, "indicator_id": by_code["D1"], "value": D(2), "note": "暗查两处"},
        {"unit_id": a, "indicator_id": by_code["B1"], "value": D(1)},
    ])
    run_compute(actor=w.district_admin, run_id=run.pk, today=TODAY)
    run.refresh_from_db()
    return SimpleNamespace(run=run, codes=by_code, loop=loop, set=small_set)
