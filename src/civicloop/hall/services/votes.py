"""Votes: opened on a topic for an area, a ballot per household, closed and tallied once.

One ballot per household and vote is the unique constraint's (vote, household): two ballots of one household
racing each other both pass the check before the insert, and the database refuses the second — the service
answers it as ALREADY_VOTED. The vote row is locked by every ballot and by the closing, so no ballot lands after
the tally. A closed vote's result (eligible, yes, no, abstain, passed) is written once and no service changes it.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.places.models import Household
from civicloop.workdays.calendar import SHANGHAI

from ..constants import DEFAULT_RULES, Ballot, Choice, HallAuditAction, Verification, VoteState
from ..error_codes import HallErrorCode
from ..models import SecretCount, Topic, Vote, VoteBallot, VoteRule
from ..permissions import may_verify, topic_open, vote_may_close, vote_taking
from ..rules import Result, Rule, tally
from ._common import area_for, audit, for_write, text_required


def rules_ensure_defaults() -> None:
    """The shipped rules (constants.DEFAULT_RULES), added where missing; an existing row is left as edited."""
    for code, name, (qn, qd), (an, ad), base, strict in DEFAULT_RULES:
        VoteRule.objects.get_or_create(code=code, defaults={
            "name": str(name), "quorum_num": qn, "quorum_den": qd, "approve_num": an, "approve_den": ad,
            "approve_base": base, "approve_strict": strict})


@transaction.atomic
def vote_open(*, actor, topic_id: int, place_id: int, question: str, rule_code: str, closes_at: dt.datetime,
              ballot: str = Ballot.OPEN, proposal: str = "", at: dt.datetime | None = None) -> Vote:
    """A vote of the households of `place` (the topic's community or a compound or building of it) on an open
    topic, under a rule (copied onto the vote), until `closes_at`."""
    topic = for_write(actor, Topic, topic_id, state_ok=topic_open)
    place = area_for(actor, place_id, community_id=topic.community_id)
    rule = VoteRule.objects.filter(code=rule_code, active=True).first()
    if rule is None:
        raise CivicError(ErrorCode.INVALID, _("表决规则无效。"))
    if ballot not in Ballot.values:
        raise CivicError(ErrorCode.INVALID)
    now = at or timezone.now()
    if timezone.is_naive(closes_at):  # a form's local time: Shanghai's
        closes_at = closes_at.replace(tzinfo=SHANGHAI)
    if closes_at <= now:
        raise CivicError(ErrorCode.INVALID, _("截止时间应晚于现在。"))
    vote = Vote.objects.create(
        district_id=topic.district_id, street_id=topic.street_id, community_id=topic.community_id, topic=topic,
        place=place, area_path=place.path, question=text_required(question, _("表决事项")),
        proposal=(proposal or "").strip(), ballot=ballot, rule=rule, rule_name=rule.name,
        quorum_num=rule.quorum_num, quorum_den=rule.quorum_den, approve_num=rule.approve_num,
        approve_den=rule.approve_den, approve_base=rule.approve_base, approve_strict=rule.approve_strict,
        opens_at=now, closes_at=closes_at, opened_by=actor)
    if ballot == Ballot.SECRET:
        SecretCount.objects.bulk_create([SecretCount(vote=vote, choice=c) for c in Choice.values])
    audit(actor, HallAuditAction.VOTE_OPEN, vote, topic=topic.pk, place=place.pk, rule=rule.code, ballot=ballot)
    return vote


def eligible_households(vote):
    """The households of the vote's area (their buildings under its place)."""
    return Household.objects.filter(district_id=vote.district_id, building__path__startswith=vote.area_path)


@transaction.atomic
def ballot_cast(*, vote_id: int, household_code: str, choice: str, actor=None, phone_last4: str = "",
                token: str = "", at: dt.datetime | None = None) -> VoteBallot:
    """One household's ballot. Verified either by `actor`, a grid worker of the community (in person), or by the
    household code with the last four digits of the phone on file (`phone_last4`; the residents' page, reached by
    the vote's `token`, no account). A household outside the area: NOT_ELIGIBLE; a second ballot: ALREADY_VOTED."""
    if choice not in Choice.values:
        raise CivicError(ErrorCode.INVALID, _("请选择同意、反对或弃权。"))
    lookup = Vote.objects.select_for_update().filter(pk=vote_id)
    vote = (lookup.filter(token=token) if actor is None else lookup).first()
    if vote is None or (actor is not None and not _sees(actor, vote)):
        raise not_found()
    if not vote_taking(vote) or (at or timezone.now()) >= vote.closes_at:
        raise CivicError(HallErrorCode.STATE, _("表决已经结束。"))
    household = eligible_households(vote).filter(code=(household_code or "").strip()).first()
    by_grid = actor is not None and may_verify(actor, vote.community_id)
    if by_grid:
        if household is None:
            raise CivicError(HallErrorCode.NOT_ELIGIBLE)
        verification = Verification.GRID_WORKER
    else:
        digits = (phone_last4 or "").strip()
        phone = household.head_phone.strip() if household is not None else ""
        # an unknown code, a household elsewhere and wrong digits answer alike: codes cannot be probed
        if household is None or len(digits) != 4 or len(phone) < 4 or phone[-4:] != digits:
            raise CivicError(HallErrorCode.VERIFICATION)
        verification = Verification.PHONE
    if _already_voted(vote, household):
        raise CivicError(HallErrorCode.ALREADY_VOTED)
    secret = vote.ballot == Ballot.SECRET
    try:
        with transaction.atomic():  # the race the check above cannot see: the constraint answers it
            ballot = VoteBallot.objects.create(
                district_id=vote.district_id, vote=vote, household=household, choice="" if secret else choice,
                verification=verification, verified_by=actor if by_grid else None, cast_at=at or timezone.now())
    except IntegrityError:
        raise CivicError(HallErrorCode.ALREADY_VOTED) from None
    if secret:
        SecretCount.objects.filter(vote=vote, choice=choice).update(count=F("count") + 1)
    details = {"vote": vote.pk, "household": household.pk, "verification": verification}
    if not secret:
        details["choice"] = choice
    audit(actor, HallAuditAction.BALLOT, ballot, **details)
    return ballot


def _already_voted(vote, household) -> bool:
    """The friendly check before the insert (the constraint is the guarantee: a race passes this check)."""
    return VoteBallot.objects.filter(vote=vote, household=household).exists()


def _sees(actor, vote) -> bool:
    from ..permissions import hall_visible_q

    return Vote.objects.filter(hall_visible_q(actor), pk=vote.pk).exists()


def counts_of(vote) -> dict[str, int]:
    """The choices cast so far: from the ballots (open), from the counts (secret)."""
    if vote.ballot == Ballot.SECRET:
        rows = SecretCount.objects.filter(vote=vote).values_list("choice", "count")
    else:
        rows = VoteBallot.objects.filter(vote=vote).values("choice").annotate(n=Count("pk")).values_list("choice", "n")
    counts = dict.fromkeys(Choice.values, 0)
    counts.update(dict(rows))
    return counts


def result_now(vote) -> Result:
    """What the tally would be if the vote closed now (closed: the frozen result)."""
    if vote.state == VoteState.CLOSED:
        return tally(Rule.of(vote), eligible=vote.eligible, yes=vote.yes, no=vote.no, abstain=vote.abstain)
    counts = counts_of(vote)
    return tally(Rule.of(vote), eligible=eligible_households(vote).count(), yes=counts[Choice.YES],
                 no=counts[Choice.NO], abstain=counts[Choice.ABSTAIN])


@transaction.atomic
def vote_close(*, actor, vote_id: int, at: dt.datetime | None = None) -> Vote:
    """Close and tally: at or after the deadline, or earlier once every household of the area has voted. The
    result is written once; nothing changes it afterwards."""
    vote = for_write(actor, Vote, vote_id, state_ok=vote_may_close)
    now = at or timezone.now()
    result = result_now(vote)
    if now < vote.closes_at and result.cast < result.eligible:
        raise CivicError(HallErrorCode.STATE, _("表决截止前，须全部住户投票后才能提前结束。"))
    return _close(actor, vote, result, now)


def votes_close_due(*, at: dt.datetime | None = None) -> int:
    """Close and tally every vote whose deadline has passed (the periodic task `hall.tasks.close_due`), each in its
    own transaction, as the system (the audit row names no one). Idempotent: a vote closed meanwhile is skipped."""
    now = at or timezone.now()
    closed = 0
    for vote_id in Vote.objects.filter(state=VoteState.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            vote = Vote.objects.select_for_update().filter(pk=vote_id, state=VoteState.OPEN).first()
            if vote is not None:
                _close(None, vote, result_now(vote), now)
                closed += 1
    return closed


def _close(actor, vote: Vote, result: Result, now: dt.datetime) -> Vote:
    vote.state, vote.closed_at = VoteState.CLOSED, now
    vote.eligible, vote.yes, vote.no, vote.abstain = result.eligible, result.yes, result.no, result.abstain
    vote.passed = result.passed
    vote.save(update_fields=["state", "closed_at", "eligible", "yes", "no", "abstain", "passed"])
    audit(actor, HallAuditAction.VOTE_CLOSE, vote, eligible=result.eligible, yes=result.yes, no=result.no,
          abstain=result.abstain, quorum_met=result.quorum_met, passed=result.passed)
    return vote
