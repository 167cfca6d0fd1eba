"""A passed vote becomes exactly one case, one plan task, one convention version — linked both ways; a failed or
open vote becomes nothing; moderation is logged; scope."""

import datetime as dt

import pytest
from django.utils import timezone

from civicloop.cases.models import Case
from civicloop.core.errors import CivicError
from civicloop.core.models import AuditLog
from civicloop.hall import selectors
from civicloop.hall.models import ConventionVersion, Post, Topic, VoteOutcome
from civicloop.hall.services import (
    ballot_cast,
    convention_record,
    outcome_make,
    post_add,
    post_hide,
    topic_create,
    vote_close,
    vote_open,
)
from civicloop.plans.models import Task

from .conftest import after

pytestmark = pytest.mark.django_db


def passed(world, hall, vote, yes=5):
    for home in hall.homes[:yes]:
        ballot_cast(vote_id=vote.pk, token=vote.token, household_code=home.code, choice="yes",
                    phone_last4=home.head_phone[-4:])
    return vote_close(actor=world.committee_worker, vote_id=vote.pk, at=after(vote))


def test_passed_vote_becomes_one_case_and_one_task(world, hall, open_vote, client):
    from civicloop.plans.testing import make_plan

    vote = passed(world, hall, open_vote)
    first = outcome_make(actor=world.committee_worker, vote_id=vote.pk, kind="case")
    again = outcome_make(actor=world.committee_worker, vote_id=vote.pk, kind="case")
    assert first.created and not again.created and again.outcome.pk == first.outcome.pk
    case = Case.objects.get(channel="deliberation")
    assert case.external_id == f"HV{vote.pk}" and case.place_id == hall.building.pk
    assert selectors.vote_of_case(world.street_dispatcher, case).pk == vote.pk  # the case → its vote
    plan = make_plan(world)
    kwargs = {"plan_id": plan.pk, "owner_unit_id": world.street_a_office.pk, "due": dt.date(2026, 12, 31)}
    with pytest.raises(CivicError):  # a committee may not add to the district's plan: nothing made
        outcome_make(actor=world.committee_worker, vote_id=vote.pk, kind="task", **kwargs)
    assert not VoteOutcome.objects.filter(kind="task").exists()
    made = outcome_make(actor=world.district_admin, vote_id=vote.pk, kind="task", **kwargs)
    assert outcome_make(actor=world.district_admin, vote_id=vote.pk, kind="task", **kwargs).outcome == made.outcome
    task = Task.objects.get(source_kind="hall_vote")
    assert (task.source_id, made.outcome.task_id) == (vote.pk, task.pk)
    assert Case.objects.count() == 1 and Task.objects.filter(source_kind="hall_vote").count() == 1
    assert AuditLog.objects.filter(action="hall.outcome").count() == 2
    # the vote's page links the task for whom the plans show it (the district), names it for the committee
    client.force_login(world.district_admin)
    assert f'href="/plans/tasks/{task.pk}/"' in client.get(f"/hall/votes/{vote.pk}/").content.decode()
    client.force_login(world.committee_worker)
    page = client.get(f"/hall/votes/{vote.pk}/").content.decode()
    assert 'id="outcome-task"' in page and f'href="/plans/tasks/{task.pk}/"' not in page


def test_failed_or_open_vote_becomes_nothing(world, hall, open_vote):
    for kind in ("case", "convention"):
        with pytest.raises(CivicError) as exc:
            outcome_make(actor=world.committee_worker, vote_id=open_vote.pk, kind=kind, convention_title="x")
        assert exc.value.code == "hall_not_passed"
    vote = passed(world, hall, open_vote, yes=2)
    assert vote.passed is False
    with pytest.raises(CivicError):
        outcome_make(actor=world.committee_worker, vote_id=vote.pk, kind="case")
    assert not Case.objects.exists() and not VoteOutcome.objects.exists()


def test_convention_adopted_by_vote_and_versions(world, hall):
    version1 = convention_record(actor=world.committee_worker, place_id=hall.compound.pk, title="楼道公约",
                                 text="旧条文", effective_from=dt.date(2025, 1, 1))
    assert version1.number == 1 and version1.vote is None
    vote = vote_open(actor=world.committee_worker, topic_id=hall.topic.pk, place_id=hall.building.pk,
                     question="修订楼道公约", rule_code="ordinary", proposal="新条文",
                     closes_at=timezone.now() + dt.timedelta(days=3))
    vote = passed(world, hall, vote)
    made = outcome_make(actor=world.committee_worker, vote_id=vote.pk, kind="convention",
                        convention_id=version1.convention_id, effective_from=dt.date(2026, 12, 1))
    v2 = made.outcome.convention_version
    assert (v2.number, v2.text, v2.vote_id, v2.convention_id) == (2, "新条文", vote.pk, version1.convention_id)
    assert vote.convention_version == v2  # both ways
    outcome_make(actor=world.committee_worker, vote_id=vote.pk, kind="convention",
                 convention_id=version1.convention_id)
    assert ConventionVersion.objects.count() == 2


def test_moderation_hides_with_a_reason_and_logs(world, hall):
    post = post_add(actor=world.committee_worker, topic_id=hall.topic.pk, speaker="居民 13812345678",
                    body="联系我 13812345678")
    with pytest.raises(CivicError):
        post_hide(actor=world.committee_worker, post_id=post.pk, reason=" ")
    with pytest.raises(CivicError) as exc:  # the street reads the hall, does not keep it
        post_hide(actor=world.street_dispatcher, post_id=post.pk, reason="广告")
    assert exc.value.code == "forbidden"
    post_hide(actor=world.committee_worker, post_id=post.pk, reason="含个人信息")
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "含个人信息" and post.hidden_by == world.committee_worker
    log = AuditLog.objects.get(action="hall.post_hide")
    assert log.details["reason"] == "含个人信息" and log.user == world.committee_worker
    seen = selectors.topic_get_for(world.street_dispatcher, hall.topic.pk)["posts"][0]
    assert seen.hidden and seen.body == "" and "13812345678" not in seen.speaker


def test_scope(world, hall):
    t = hall.topic
    for reader in (world.committee_worker, world.street_dispatcher, world.district_admin, world.leader):
        assert selectors.topic_get_for(reader, t.pk)["topic"].pk == t.pk
    for stranger in (hall.committee_b1_worker, world.outsider, world.dept_handler, world.stranger, world.nobody):
        with pytest.raises(CivicError) as exc:
            selectors.topic_get_for(stranger, t.pk)
        assert exc.value.code == "not_found"
        assert not selectors.communities_for(stranger).filter(pk=world.comm_a1.pk).exists()
    assert set(selectors.communities_for(world.committee_worker).values_list("pk", flat=True)) == {world.comm_a1.pk}
    assert set(selectors.communities_for(world.street_dispatcher).values_list("pk", flat=True)) == {
        world.comm_a1.pk, world.comm_a2.pk}
    # committee B1 opens nothing in A1; the street office keeps no hall
    with pytest.raises(CivicError):
        topic_create(actor=hall.committee_b1_worker, place_id=world.comm_a1.pk, title="越权")
    with pytest.raises(CivicError) as exc:
        topic_create(actor=world.street_dispatcher, place_id=world.comm_a1.pk, title="街道")
    assert exc.value.code == "forbidden"
    assert Topic.objects.count() == 1 and Post.objects.count() == 0
