"""A small data set run through the whole loop with the cases services, on a clock the test moves."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from civicloop.workdays.calendar import SHANGHAI

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday


class Clock:
    def __init__(self, t: dt.datetime = START):
        self.t = t

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, **delta) -> dt.datetime:
        self.t += dt.timedelta(**delta)
        return self.t


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def run_first_half(w, cats, clock) -> SimpleNamespace:
    """Cases 1–13 up to the middle of their lives (the refresh runs between the halves)."""
    from civicloop.cases import services as s
    from civicloop.cases.constants import Channel, Layer

    a, b, c = cats["0201"], cats["0202"], cats["0301"]
    sd, out = w.street_dispatcher, w.outsider

    def reg(actor=sd, place=None, channel=Channel.HOTLINE_12345, **kw):
        return s.case_register(actor=actor, channel=channel, description="楼道堆物，电话13912345678",
                               place_id=(place or w.comm_a1).pk, reporter_name="李四", reporter_phone="13912345678", **kw)

    def dispatched(case, lead, actor=sd, cat=a, days=2):
        s.case_triage(actor=actor, case_id=case.pk, category_id=cat.pk)
        s.case_dispatch(actor=actor, case_id=case.pk, lead_unit_id=lead.pk, time_limit_days=days)
        return case

    n = SimpleNamespace()
    # Monday: intake of the week
    n.c1 = dispatched(reg(), w.housing)
    n.c2 = dispatched(reg(place=w.comm_a2, channel=Channel.PORTAL), w.city_mgmt, cat=b)
    n.c3 = dispatched(reg(actor=out, place=w.comm_b1), w.housing, actor=out, cat=c)
    n.c4 = dispatched(reg(), w.housing)
    n.c5 = dispatched(reg(channel=Channel.GRID_INSPECTION), w.city_mgmt, cat=b, days=1)
    n.c6 = reg()
    n.c7 = dispatched(reg(), w.housing)
    n.c8 = dispatched(reg(place=w.comm_a2), w.city_mgmt)
    n.c9 = reg(actor=out, place=w.comm_b1)
    s.case_triage(actor=out, case_id=n.c9.pk, category_id=c.pk, layer=Layer.CROSS)  # 三跨: escalated at once
    n.c10 = dispatched(reg(), w.housing, cat=b)
    n.c11 = reg(channel=Channel.PORTAL)  # never triaged
    n.c12 = dispatched(reg(actor=w.committee_worker, channel=Channel.GRID_INSPECTION), w.committee_a1, cat=c)
    s.case_accept(actor=w.dept_handler, case_id=n.c1.pk)  # at once
    s.case_accept(actor=w.dept_handler, case_id=n.c7.pk)
    s.case_accept(actor=w.dept_handler, case_id=n.c10.pk)
    s.case_accept(actor=w.committee_worker, case_id=n.c12.pk)
    s.case_merge(actor=sd, case_id=n.c6.pk, into_case_id=n.c7.pk)
    s.case_withdraw(actor=sd, case_id=n.c8.pk, reason="诉求人撤回")
    s.case_return(actor=w.dept_handler, case_id=n.c3.pk, reason="非本单位职责")
    s.case_return(actor=w.dept_handler, case_id=n.c4.pk, reason="非本单位职责")
    # Tuesday
    clock.advance(days=1)
    s.case_dispatch(actor=out, case_id=n.c3.pk, lead_unit_id=w.city_mgmt.pk, time_limit_days=1)  # re-dispatch
    s.case_dispatch(actor=sd, case_id=n.c4.pk, lead_unit_id=w.city_mgmt.pk, time_limit_days=2)
    s.case_accept(actor=w.city_handler, case_id=n.c2.pk)  # a day after its dispatch: still on time (1 working day)
    s.case_resolve(actor=w.dept_handler, case_id=n.c1.pk, result="已清理", measures="物业巡查")
    s.case_reply(actor=w.dept_handler, case_id=n.c1.pk, channel="phone", content="已清理")
    s.case_rate(actor=sd, case_id=n.c1.pk, value="satisfied")
    s.case_add_progress(actor=w.dept_handler, case_id=n.c7.pk, note="已联系物业")
    s.case_resolve(actor=w.committee_worker, case_id=n.c12.pk, result="已修复")
    s.case_resolve(actor=w.dept_handler, case_id=n.c10.pk, result="已处理")
    return n


def run_second_half(w, cats, clock, n: SimpleNamespace) -> None:
    from civicloop.cases import services as s
    from civicloop.cases.models import AgendaItem

    sd, out = w.street_dispatcher, w.outsider
    # Wednesday
    clock.advance(days=1)
    s.case_request_extension(actor=w.city_handler, case_id=n.c2.pk, days=3, reason="需协调")
    s.case_approve_extension(actor=sd, case_id=n.c2.pk)
    s.case_accept(actor=w.city_handler, case_id=n.c3.pk)  # after its (re-)dispatch's day: but the first was Monday
    s.case_return(actor=w.city_handler, case_id=n.c4.pk, reason="仍非本单位职责")  # second return: escalated
    s.case_reopen(actor=sd, case_id=n.c10.pk, reason="未解决")  # the dispatcher rejects the result
    s.case_close(actor=sd, case_id=n.c1.pk)
    s.case_reply(actor=w.committee_worker, case_id=n.c12.pk, channel="visit", content="已上门告知")
    # Thursday: c5's deadline (Tuesday) has passed unaccepted
    clock.advance(days=1)
    s.case_supervise(actor=sd, case_id=n.c5.pk, notice="请尽快办理")
    s.case_resolve(actor=w.city_handler, case_id=n.c3.pk, result="已处理")  # late: its deadline was Wednesday
    s.case_reply(actor=out, case_id=n.c3.pk, channel="phone", content="已处理")
    s.case_rate(actor=out, case_id=n.c3.pk, value="unsatisfied")  # → reopened
    s.case_dispatch(actor=sd, case_id=n.c10.pk, lead_unit_id=w.city_mgmt.pk, time_limit_days=3)  # reopened → re-dispatch
    meeting = s.meeting_create(actor=w.district_admin, body_unit_id=w.consultation.pk, date=clock.t.date(), title="会商")
    for case in (n.c4, n.c9):
        s.meeting_agenda_add(actor=w.district_admin, meeting_id=meeting.pk, case_id=case.pk)
    for item in AgendaItem.objects.filter(meeting=meeting).order_by("pk"):
        s.meeting_decide(actor=w.district_admin, item_id=item.pk, lead_unit_id=w.housing.pk, measures="联合整治",
                         deadline=clock.t + dt.timedelta(days=7))
    # Friday
    clock.advance(days=1)
    s.case_resolve(actor=w.city_handler, case_id=n.c2.pk, result="已处理")  # after the first deadline, in the extension
    s.case_accept(actor=w.city_handler, case_id=n.c3.pk)
    s.case_resolve(actor=w.city_handler, case_id=n.c3.pk, result="再次处理")
    s.case_reply(actor=out, case_id=n.c3.pk, channel="phone", content="已再次处理")
    s.case_rate(actor=out, case_id=n.c3.pk, value="basically")
    s.case_rate(actor=sd, case_id=n.c12.pk, value="basically")
    s.case_accept(actor=w.city_handler, case_id=n.c10.pk)
    s.case_accept(actor=w.dept_handler, case_id=n.c9.pk)
    # the next Monday
    clock.advance(days=3)
    s.case_resolve(actor=w.city_handler, case_id=n.c10.pk, result="已处理")
    s.case_resolve(actor=w.dept_handler, case_id=n.c9.pk, result="已处理")


@pytest.fixture
def loop(world, cats, clock):
    """The whole data set, its rollups refreshed: SimpleNamespace(world, cases, clock)."""
    from civicloop.dashboard.services import rollups_refresh

    n = run_first_half(world, cats, clock)
    rollups_refresh(now=clock.t)
    run_second_half(world, cats, clock, n)
    rollups_refresh(now=clock.t)
    return SimpleNamespace(world=world, cases=n, clock=clock)
