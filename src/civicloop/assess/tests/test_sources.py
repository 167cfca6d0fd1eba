"""An objective indicator on another app's figure (sources.SOURCE_METRICS): 重点人群走访覆盖率 from the visits
selectors, on the visits app's own hand-counted world (visits/tests/test_coverage.py):

    street A: key-group subjects h1 (first visited 03-02), h2 (never), h5 (03-03), e1 (key enterprise, 03-03)
    street B: key-group subject h7 (never); the other subjects are not key groups
So by 31 March: A 3/4 = 75.00 %, B 0/1 = 0.00 %; by 2 March: A 1/4 = 25.00 %.
Indicator: 10 points, linear from 0 (floor) to 100 (target) → A 7.50, B 0.00; by 2 March A 2.50.
A draft campaign counts nothing."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from civicloop.assess.models import Indicator, Score
from civicloop.assess.services.runs import run_compute, run_create
from civicloop.assess.services.sets import indicator_save, set_create
from civicloop.visits.constants import CampaignState
from civicloop.visits.testing import make_campaign
from civicloop.visits.tests.test_coverage import build_coverage_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage_set(world):
    s = set_create(actor=world.district_admin, code="visits", name="走访考核")
    indicator_save(actor=world.district_admin, set_id=s.pk, dimension="社区建设", code="V1", name="重点人群走访覆盖率",
                   kind="objective", metric="key_group_visit_coverage", weight="10", rule="linear", target="100",
                   floor="0", channel="hotline_12345", category_code="01")
    return s


def compute(world, s, end):
    run = run_create(actor=world.district_admin, set_id=s.pk, name="走访", start=dt.date(2026, 3, 1), end=end)
    run_compute(actor=world.district_admin, run_id=run.pk, today=dt.date(2026, 4, 1))
    return run


def test_key_group_visit_coverage_against_the_hand_count(world, coverage_set):
    cw = build_coverage_world(world)
    make_campaign(world, state=CampaignState.DRAFT, name="草拟的走访")  # no subjects, and not counted anyway
    indicator = Indicator.objects.get(indicator_set=coverage_set, code="V1")
    assert (indicator.direction, indicator.channel, indicator.category_code) == ("higher", "", "")  # not the cases'
    run = compute(world, coverage_set, dt.date(2026, 3, 31))
    a = Score.objects.get(run=run, unit=world.street_a_office)
    b = Score.objects.get(run=run, unit=world.street_b_office)
    assert (a.numerator, a.denominator, a.value, a.points) == (3, 4, D("75.00"), D("7.50"))
    assert (b.numerator, b.denominator, b.value, b.points) == (0, 1, D("0.00"), D("0.00"))
    assert a.inputs["campaigns"] == [cw.campaign.pk] and a.inputs["filters"] == {"street": world.street_a.pk}
    assert sum(D(p) for _t, p in a.terms) == a.points
    # as it stood at the period's end
    early = compute(world, coverage_set, dt.date(2026, 3, 2))
    a = Score.objects.get(run=early, unit=world.street_a_office)
    assert (a.numerator, a.denominator, a.points) == (1, 4, D("2.50"))


def test_the_score_page_names_the_metric_and_links_to_the_coverage(world, coverage_set, client):
    cw = build_coverage_world(world)
    run = compute(world, coverage_set, dt.date(2026, 3, 31))
    score = Score.objects.get(run=run, unit=world.street_a_office)
    client.force_login(world.district_admin)
    body = client.get(reverse("assess:score", args=[score.pk])).content.decode()
    assert "重点人群走访覆盖率" in body and "75.00" in body
    assert reverse("visits:coverage", args=[cw.campaign.pk]) + f"?street={world.street_a.pk}" in body


def test_without_a_campaign_there_is_no_data(world, coverage_set):
    run = compute(world, coverage_set, dt.date(2026, 3, 31))
    a = Score.objects.get(run=run, unit=world.street_a_office)
    assert (a.value, a.denominator, a.inputs["campaigns"]) == (None, 0, [])


def test_milestone_on_time_rate_against_the_hand_count(world):
    """节点按时完成率 from the plans selectors. Street A's tasks (its office's and a committee's): m1 due 03-10 done
    03-09 (on time), m2 due 03-20 done 03-25 (late), m3 due 03-25 not done (late by 04-01), m4 due 04-20 (not yet
    due on 04-01: not counted), m0 due 02-10 (before the period); street B: m5 due 03-15 done that day. So on 04-01:
    A 1/3 = 33.33 %, B 1/1 = 100 %. Indicator: 10 points linear 0 → 100: A 3.33, B 10.00."""
    from civicloop.plans.models import Milestone
    from civicloop.plans.testing import make_plan, make_task

    plan = make_plan(world)
    a = make_task(world, plan, title="甲", owner=world.street_a_office)
    a_committee = make_task(world, plan, title="甲居委", owner=world.committee_a1)
    b = make_task(world, plan, title="乙", owner=world.street_b_office)
    day = lambda m, d: dt.date(2026, m, d)  # noqa: E731
    for task, title, due, done in ((a, "m0", day(2, 10), None), (a, "m1", day(3, 10), day(3, 9)),
                                   (a, "m2", day(3, 20), day(3, 25)), (a_committee, "m3", day(3, 25), None),
                                   (a, "m4", day(4, 20), None), (b, "m5", day(3, 15), day(3, 15))):
        Milestone.objects.create(district_id=task.district_id, task=task, title=title, due=due, done_at=done)
    s = set_create(actor=world.district_admin, code="plans", name="计划考核")
    indicator_save(actor=world.district_admin, set_id=s.pk, dimension="组织建设", code="P1", name="节点按时完成率",
                   kind="objective", metric="milestone_on_time_rate", weight="10", rule="linear", target="100",
                   floor="0")
    run = run_create(actor=world.district_admin, set_id=s.pk, name="节点", start=dt.date(2026, 3, 1),
                     end=dt.date(2026, 6, 30))
    run_compute(actor=world.district_admin, run_id=run.pk, today=dt.date(2026, 4, 1))
    sa = Score.objects.get(run=run, unit=world.street_a_office)
    sb = Score.objects.get(run=run, unit=world.street_b_office)
    assert (sa.numerator, sa.denominator, sa.value, sa.points) == (1, 3, D("33.33"), D("3.33"))
    assert (sb.numerator, sb.denominator, sb.value, sb.points) == (1, 1, D("100.00"), D("10.00"))
    assert sa.inputs["metric"] == "milestone_on_time_rate" and sa.inputs["milestones_until"] == "2026-04-01"
