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
