"""Votes: one ballot per verified household of the area (a second one, a household outside, wrong digits refused,
even under a race), secret ballots, closing and a result that no longer changes."""

import datetime as dt

import pytest
from django.utils import timezone

from civicloop.core.errors import CivicError
from civicloop.core.models import AuditLog
from civicloop.hall.constants import Choice, VoteState
from civicloop.hall.error_codes import HallErrorCode
from civicloop.hall.models import SecretCount, Vote, VoteBallot
from civicloop.hall.services import ballot_cast, vote_close, vote_open
from civicloop.hall.services import votes as votes_mod

from .conftest import after

pytestmark = pytest.mark.django_db


def refused(code, fn, **kwargs):
    with pytest.raises(CivicError) as exc:
        fn(**kwargs)
    assert exc.value.code == code, exc.value.code
    return exc.value


def by_phone(vote, home, choice=Choice.YES, digits=None):
    return ballot_cast(vote_id=vote.pk, token=vote.token, household_code=home.code, choice=choice,
                       phone_last4=home.head_phone[-4:] if digits is None else digits)


def test_one_ballot_per_household(world, hall, open_vote):
    home = hall.homes[1]
    by_phone(open_vote, home)
    refused(HallErrorCode.ALREADY_VOTED, by_phone, vote=open_vote, home=home, choice=Choice.NO)
    # the grid worker cannot vote for it again either
    refused(HallErrorCode.ALREADY_VOTED, ballot_cast, actor=world.committee_worker, vote_id=open_vote.pk,
            household_code=home.code, choice=Choice.NO)
    assert list(VoteBallot.objects.values_list("household", "choice")) == [(home.pk, Choice.YES)]


def test_second_ballot_refused_under_a_race(world, hall, open_vote, monkeypatch):
    """Both ballots passed the friendly check before either was written: the unique constraint refuses one."""
    home = hall.homes[2]
    by_phone(open_vote, home)
    monkeypatch.setattr(votes_mod, "_already_voted", lambda vote, household: False)
    refused(HallErrorCode.ALREADY_VOTED, by_phone, vote=open_vote, home=home, choice=Choice.NO)
    assert VoteBallot.objects.filter(vote=open_vote).count() == 1
    assert AuditLog.objects.filter(action="hall.ballot").count() == 1


def test_household_outside_the_area_refused(world, hall, open_vote):
    for home in (hall.other[0], hall.outside, hall.far):  # another building, community, street
        refused(HallErrorCode.NOT_ELIGIBLE, ballot_cast, actor=world.committee_worker, vote_id=open_vote.pk,
                household_code=home.code, choice=Choice.YES)
        refused(HallErrorCode.VERIFICATION, by_phone, vote=open_vote, home=home)  # on the phone: no probing
    assert not VoteBallot.objects.exists()


def test_phone_digits_verify(world, hall, open_vote):
    home = hall.homes[3]
    refused(HallErrorCode.VERIFICATION, by_phone, vote=open_vote, home=home, digits="9999")
    refused(HallErrorCode.VERIFICATION, by_phone, vote=open_vote, home=home, digits="")
    with pytest.raises(CivicError) as exc:  # the wrong token: no such vote
        ballot_cast(vote_id=open_vote.pk, token="x", household_code=home.code, choice="yes",
                    phone_last4=home.head_phone[-4:])
    assert exc.value.code == "not_found"
    ballot = by_phone(open_vote, home)
    assert ballot.verification == "phone" and ballot.verified_by is None


def test_only_the_communitys_grid_worker_verifies_in_person(world, hall, open_vote):
    home = hall.homes[0]
    # another committee's grid worker does not see the vote at all
    refused("not_found", ballot_cast, actor=hall.committee_b1_worker, vote_id=open_vote.pk,
            household_code=home.code, choice=Choice.YES)
    # a street dispatcher sees it but is no grid worker: the phone digits are asked
    refused(HallErrorCode.VERIFICATION, ballot_cast, actor=world.street_dispatcher, vote_id=open_vote.pk,
            household_code=home.code, choice=Choice.YES)
    b = ballot_cast(actor=world.committee_worker, vote_id=open_vote.pk, household_code=home.code, choice=Choice.NO)
    assert (b.verification, b.verified_by) == ("grid_worker", world.committee_worker)


def test_close_tallies_once_and_the_result_stays(world, hall, open_vote):
    for home, choice in zip(hall.homes, ["yes", "yes", "yes", "no", "yes"], strict=False):
        by_phone(open_vote, home, choice)
    # before the deadline, with a household still to vote: not yet
    refused(HallErrorCode.STATE, vote_close, actor=world.committee_worker, vote_id=open_vote.pk)
    vote = vote_close(actor=world.committee_worker, vote_id=open_vote.pk, at=after(open_vote))
    assert (vote.eligible, vote.yes, vote.no, vote.abstain, vote.passed) == (6, 4, 1, 0, True)  # 5/6 voted, 4/5 yes
    frozen = Vote.objects.values("eligible", "yes", "no", "abstain", "passed", "closed_at").get(pk=vote.pk)
    refused(HallErrorCode.STATE, by_phone, vote=vote, home=hall.homes[5])
    refused(HallErrorCode.STATE, vote_close, actor=world.committee_worker, vote_id=vote.pk)
    assert Vote.objects.values("eligible", "yes", "no", "abstain", "passed", "closed_at").get(pk=vote.pk) == frozen
    assert VoteBallot.objects.filter(vote=vote).count() == 5


def test_the_periodic_task_closes_votes_past_their_deadline_once(world, hall, open_vote):
    from civicloop.hall.services import votes_close_due

    for home, choice in zip(hall.homes, ["yes", "yes", "yes", "no", "yes"], strict=False):
        by_phone(open_vote, home, choice)
    assert votes_close_due() == 0  # before the deadline nothing closes
    assert Vote.objects.get(pk=open_vote.pk).state == VoteState.OPEN
    assert votes_close_due(at=after(open_vote)) == 1
    vote = Vote.objects.get(pk=open_vote.pk)
    assert (vote.state, vote.eligible, vote.yes, vote.no, vote.passed) == (VoteState.CLOSED, 6, 4, 1, True)
    assert votes_close_due(at=after(open_vote, days=9)) == 0  # closed once; the result stays
    row = AuditLog.objects.filter(object_type="hall.vote", object_id=str(vote.pk)).order_by("-pk").first()
    assert row.user_id is None and row.details["passed"] is True


def test_every_household_voted_closes_early_and_fails_quorum_otherwise(world, hall):
    t = hall.topic
    vote = vote_open(actor=world.committee_worker, topic_id=t.pk, place_id=hall.building2.pk, question="2号楼",
                     rule_code="major", closes_at=timezone.now() + dt.timedelta(days=3))
    for home in hall.other:
        by_phone(vote, home)
    assert vote_close(actor=world.committee_worker, vote_id=vote.pk).passed is True
    low = vote_open(actor=world.committee_worker, topic_id=t.pk, place_id=hall.building.pk, question="低参与",
                    rule_code="major", closes_at=timezone.now() + dt.timedelta(days=3))
    for home in hall.homes[:3]:  # 3 of 6 vote yes: below the two-thirds quorum
        by_phone(low, home)
    assert vote_close(actor=world.committee_worker, vote_id=low.pk, at=after(low)).passed is False


def test_secret_ballot_keeps_no_choice_per_household(world, hall):
    vote = vote_open(actor=world.committee_worker, topic_id=hall.topic.pk, place_id=hall.building.pk,
                     question="不记名", rule_code="ordinary", ballot="secret",
                     closes_at=timezone.now() + dt.timedelta(days=3))
    for home, choice in zip(hall.homes[:5], ["yes", "no", "yes", "abstain", "yes"], strict=True):
        by_phone(vote, home, choice)
    assert set(VoteBallot.objects.filter(vote=vote).values_list("choice", flat=True)) == {""}
    assert not any("choice" in a.details for a in AuditLog.objects.filter(action="hall.ballot"))
    assert dict(SecretCount.objects.filter(vote=vote).values_list("choice", "count")) == {
        "yes": 3, "no": 1, "abstain": 1}
    vote = vote_close(actor=world.committee_worker, vote_id=vote.pk, at=after(vote))
    assert (vote.yes, vote.no, vote.abstain, vote.passed) == (3, 1, 1, True)


def test_vote_area_must_be_the_topics_community(world, hall):
    refused("not_found", vote_open, actor=world.committee_worker, topic_id=hall.topic.pk,
            place_id=world.street_a.pk, question="街道", rule_code="major",
            closes_at=timezone.now() + dt.timedelta(days=3))
    refused("not_found", vote_open, actor=world.committee_worker, topic_id=hall.topic.pk,
            place_id=world.comm_b1.pk, question="别处", rule_code="major",
            closes_at=timezone.now() + dt.timedelta(days=3))
    refused("invalid", vote_open, actor=world.committee_worker, topic_id=hall.topic.pk,
            place_id=hall.building.pk, question="规则", rule_code="nope",
            closes_at=timezone.now() + dt.timedelta(days=3))
    assert not Vote.objects.exists()


def test_the_rule_is_copied_when_the_vote_opens(world, hall, open_vote):
    from civicloop.hall.models import VoteRule

    VoteRule.objects.filter(code="major").update(approve_num=1, approve_den=2)
    open_vote.refresh_from_db()
    assert open_vote.state == VoteState.OPEN and (open_vote.approve_num, open_vote.approve_den) == (3, 4)
