"""The demo's hall: every community's topics and convention; the elevator installation passed the two-thirds rule
and became one case and one plan task; the same seed gives the same hall; `demo --reset` leaves nothing of it."""

import datetime as dt

import pytest

from civicloop.cases import demo as cases_demo
from civicloop.cases.models import Case
from civicloop.demo.generator import generate, preset_district
from civicloop.hall.demo import delete_hall
from civicloop.hall.models import Convention, ConventionVersion, Topic, Vote, VoteBallot, VoteOutcome
from civicloop.plans.models import Task

SCALE = 0.005
END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_world(monkeypatch):
    monkeypatch.setattr(cases_demo, "cases_end", lambda: END)
    monkeypatch.setenv("CIVICLOOP_DEMO_CASES_PER_SCALE", "2000")


def test_the_demo_hall():
    generate("xuhui", scale=SCALE, seed=1, apps=("plans", "hall"))
    d = preset_district("xuhui")
    communities = Topic.objects.filter(district=d).values("community").distinct().count()
    assert communities > 300 and Topic.objects.filter(district=d).count() >= 2 * communities
    assert Convention.objects.filter(district=d).count() >= communities
    elevator = Vote.objects.get(district=d, question__contains="加装电梯")
    assert elevator.state == "closed" and elevator.passed and elevator.rule.code == "major"
    assert elevator.yes * 4 >= 3 * (elevator.yes + elevator.no + elevator.abstain)
    assert (elevator.yes + elevator.no + elevator.abstain) * 3 >= 2 * elevator.eligible
    assert VoteBallot.objects.filter(vote=elevator).count() == elevator.eligible
    outcomes = {o.kind: o for o in VoteOutcome.objects.filter(vote=elevator)}
    assert set(outcomes) == {"case", "task"}
    case = Case.objects.get(pk=outcomes["case"].case_id)
    assert case.channel == "deliberation" and case.external_id == f"HV{elevator.pk}"
    task = Task.objects.get(pk=outcomes["task"].task_id)
    assert (task.source_kind, task.source_id) == ("hall_vote", elevator.pk)
    adopted = ConventionVersion.objects.get(district=d, vote__isnull=False)
    assert adopted.vote.passed and adopted.convention.title == "楼道堆物管理公约"
    delete_hall(d)
    assert not Topic.objects.filter(district=d).exists() and not Vote.objects.filter(district=d).exists()
