"""The demo's plans: the civilisation plan, the "三旧变三新" 135 plan with its streets' targets, a 100-day action
with late and done tasks; leader contacts for Xuhui's streets; letters, some acknowledged and one waiting after a
change. The district office opens the 135 plan and sees which streets are late; `demo --reset` leaves nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from civicloop.cases import demo as cases_demo
from civicloop.demo.generator import district_reset, generate, preset_district
from civicloop.orgs.models import User
from civicloop.plans.board import plan_board
from civicloop.plans.constants import PlanKind, TaskStatus
from civicloop.plans.models import LeaderContact, LetterVersion, Plan, Target, Task

SCALE = 0.005
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_world(monkeypatch):
    end = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    monkeypatch.setattr(cases_demo, "cases_end", lambda: end)
    monkeypatch.setenv("CIVICLOOP_DEMO_CASES_PER_SCALE", "100000")


def test_the_plans_of_xuhui(client):
    generate("xuhui", scale=SCALE, seed=1)
    d = preset_district("xuhui")
    plans = {p.kind: p for p in Plan.objects.filter(district=d)}
    assert set(plans) == {PlanKind.ANNUAL, PlanKind.PROGRAM, PlanKind.ACTION}
    admin = User.objects.get(username="xh_admin")
    today = timezone.localdate()
    board = plan_board(admin, plans[PlanKind.PROGRAM], on=today)
    assert len(board["by_unit"]) == 13 and board["late_count"] > 0  # the district sees which streets are late
    action = plan_board(admin, plans[PlanKind.ACTION], on=today)["totals"].counts
    assert action[TaskStatus.LATE] and action[TaskStatus.DONE]
    assert Target.objects.filter(district=d).values("unit").distinct().count() == 13
    per_street = LeaderContact.objects.filter(district=d).values_list("street", flat=True)
    assert all(2 <= list(per_street).count(s) <= 3 for s in set(per_street)) and len(set(per_street)) == 13
    versions = LetterVersion.objects.filter(district=d)
    assert versions.filter(acknowledged_at__isnull=False).exists()
    assert versions.filter(acknowledged_at__isnull=True, number=2).exists()  # a 任务书 that moved on
    client.force_login(admin)
    assert client.get(f"/plans/{plans[PlanKind.PROGRAM].pk}/").status_code == 200

    district_reset(d)
    assert not Plan.objects.filter(district=d).exists() and not Task.objects.exists()
