"""The hall API at /api/hall/: communities' halls, topics and their discussion, residents' meetings, votes and
ballots, what a passed vote became, conventions. The same services and selectors as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, PageIn, PathId, paged

from . import permissions as perms
from . import selectors
from . import services as s
from .constants import HallMeetingState, TopicState, VoteState
from .inputs import (
    BallotIn,
    ConventionIn,
    HallMeetingIn,
    HallTopicIn,
    HideIn,
    MeetingHeldIn,
    OutcomeIn,
    PostIn,
    VoteIn,
)
from .models import VoteRule

router = Router(tags=["hall"])


class CommunityOut(Schema):
    id: int
    name: str
    street_name: str
    open_topics: bool
    open_votes: bool

    @staticmethod
    def resolve_street_name(obj) -> str:
        return obj.street.name if obj.street_id else ""


class CommunityPage(Schema):
    count: int
    items: list[CommunityOut]


class HallTopicOut(Schema):
    id: int
    community_id: int
    place_id: int
    place_name: str
    title: str
    body: str
    origin: str
    proposer: str
    state: str
    state_label: str
    opened_at: dt.datetime

    @staticmethod
    def resolve_place_name(obj) -> str:
        return obj.place.name

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(TopicState(obj.state).label)


class PostOut(Schema):
    id: int
    speaker: str
    body: str
    created_at: dt.datetime
    hidden: bool
    hidden_reason: str


class HallMeetingOut(Schema):
    id: int
    topic_id: int
    title: str
    date: dt.date
    location: str
    agenda: str
    minutes: str
    attendees_other: int
    state: str
    state_label: str

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(HallMeetingState(obj.state).label)


class VoteResultOut(Schema):
    """A secret ballot's choices stay unseen while it runs (`permissions.choices_visible`): yes, no, abstain,
    approved and passed are then null; the turnout (cast, quorum_met) is shown."""
    eligible: int
    yes: int | None
    no: int | None
    abstain: int | None
    cast: int
    quorum_met: bool
    approved: bool | None
    passed: bool | None


class VoteOut(Schema):
    id: int
    topic_id: int
    place_id: int
    place_name: str
    question: str
    proposal: str
    ballot: str
    rule_name: str
    state: str
    state_label: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime | None
    passed: bool | None

    @staticmethod
    def resolve_place_name(obj) -> str:
        return obj.place.name

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(VoteState(obj.state).label)


class OutcomeOut(Schema):
    id: int
    kind: str
    case_id: int | None
    task_id: int | None
    convention_version_id: int | None


class OutcomeMadeOut(OutcomeOut):
    created: bool  # False: made before; nothing new


class BallotOut(Schema):
    household_code: str
    choice: str  # "" for a secret ballot
    verification: str
    cast_at: dt.datetime


class VoteDetailOut(Schema):
    vote: VoteOut
    result: VoteResultOut  # running while open, frozen once closed
    outcomes: list[OutcomeOut]
    ballots: list[BallotOut]  # an open ballot's choices (a secret ballot: none)


class TopicDetailOut(Schema):
    topic: HallTopicOut
    posts: list[PostOut]
    meetings: list[HallMeetingOut]
    votes: list[VoteOut]


class ConventionVersionOut(Schema):
    number: int
    text: str
    effective_from: dt.date
    vote_id: int | None


class ConventionOut(Schema):
    id: int
    title: str
    place_id: int
    community_id: int
    versions: list[ConventionVersionOut]


class HallOut(Schema):
    community: CommunityOut
    topics: list[HallTopicOut]
    meetings: list[HallMeetingOut]
    votes_open: list[VoteOut]
    votes_closed: list[VoteOut]
    conventions: list[ConventionOut]


class VoteRuleOut(Schema):
    code: str
    name: str
    quorum_num: int
    quorum_den: int
    approve_num: int
    approve_den: int
    approve_base: str
    approve_strict: bool


def _result(r, *, choices: bool) -> dict:
    shown = {k: getattr(r, k) if choices else None for k in ("yes", "no", "abstain", "approved", "passed")}
    return {"eligible": r.eligible, "cast": r.cast, "quorum_met": r.quorum_met, **shown}


def _vote_detail(ctx) -> dict:
    choices = perms.choices_visible(ctx["vote"])
    return {"vote": ctx["vote"], "result": _result(ctx["result"], choices=choices), "outcomes": list(ctx["outcomes"].values()),
            "ballots": [{"household_code": b.household.code, "choice": b.choice, "verification": b.verification,
                         "cast_at": b.cast_at} for b in ctx["ballots"]]}


def _convention(c, versions) -> dict:
    return {"id": c.pk, "title": c.title, "place_id": c.place_id, "community_id": c.community_id,
            "versions": [{"number": v.number, "text": v.text, "effective_from": v.effective_from,
                          "vote_id": v.vote_id} for v in versions]}


@router.get("/communities", response={200: CommunityPage, **READ_ERRORS}, summary="The halls the viewer may read")
def community_list(request, page: Query[PageIn]):
    return paged(selectors.communities_for(request.user), page)


@router.get("/communities/{community_id}", response={200: HallOut, **READ_ERRORS}, summary="A community's hall")
def hall(request, community_id: PathId):
    ctx = selectors.hall_for(request.user, community_id)
    return {**ctx, "conventions": [_convention(c, c.versions.all()) for c in ctx["conventions"]]}


@router.get("/rules", response={200: list[VoteRuleOut], **READ_ERRORS}, summary="The quorum and majority rules")
def rule_list(request):
    return list(VoteRule.objects.filter(active=True).order_by("code"))


@router.post("/topics", response={201: HallTopicOut, **WRITE_ERRORS}, summary="Open a topic")
def topic_create(request, payload: HallTopicIn):
    """About the committee's community or a compound or building of it (403 for whoever does not keep that hall)."""
    return Status(201, s.topic_create(actor=request.user, **payload.dict()))


@router.get("/topics/{topic_id}", response={200: TopicDetailOut, **READ_ERRORS}, summary="A topic and its discussion")
def topic_get(request, topic_id: PathId):
    return selectors.topic_get_for(request.user, topic_id)


@router.post("/topics/{topic_id}/close", response={200: HallTopicOut, **WRITE_ERRORS}, summary="Close a topic")
def topic_close(request, topic_id: PathId):
    return s.topic_close(actor=request.user, topic_id=topic_id)


@router.post("/topics/{topic_id}/posts", response={201: PostOut, **WRITE_ERRORS}, summary="Add to the discussion")
def post_add(request, topic_id: PathId, payload: PostIn):
    return Status(201, s.post_add(actor=request.user, topic_id=topic_id, **payload.dict()))


@router.post("/posts/{post_id}/hide", response={200: PostOut, **WRITE_ERRORS}, summary="Hide a post, with a reason")
def post_hide(request, post_id: PathId, payload: HideIn):
    return s.post_hide(actor=request.user, post_id=post_id, **payload.dict())


@router.post("/topics/{topic_id}/meetings", response={201: HallMeetingOut, **WRITE_ERRORS},
             summary="Plan a residents' meeting")
def meeting_plan(request, topic_id: PathId, payload: HallMeetingIn):
    return Status(201, s.meeting_plan(actor=request.user, topic_id=topic_id, **payload.dict()))


@router.get("/meetings/{meeting_id}", response={200: HallMeetingOut, **READ_ERRORS}, summary="A residents' meeting")
def meeting_get(request, meeting_id: PathId):
    return selectors.meeting_get_for(request.user, meeting_id)["meeting"]


@router.post("/meetings/{meeting_id}/hold", response={200: HallMeetingOut, **WRITE_ERRORS},
             summary="The meeting took place: attendance and minutes")
def meeting_hold(request, meeting_id: PathId, payload: MeetingHeldIn):
    return s.meeting_hold(actor=request.user, meeting_id=meeting_id, **payload.dict())


@router.post("/meetings/{meeting_id}/close", response={200: HallMeetingOut, **WRITE_ERRORS},
             summary="The minutes are final")
def meeting_close(request, meeting_id: PathId):
    return s.meeting_close(actor=request.user, meeting_id=meeting_id)


@router.post("/topics/{topic_id}/votes", response={201: VoteOut, **WRITE_ERRORS}, summary="Open a household vote")
def vote_open(request, topic_id: PathId, payload: VoteIn):
    return Status(201, s.vote_open(actor=request.user, topic_id=topic_id, **payload.dict()))


@router.get("/votes/{vote_id}", response={200: VoteDetailOut, **READ_ERRORS}, summary="A vote and its tally")
def vote_get(request, vote_id: PathId):
    return _vote_detail(selectors.vote_get_for(request.user, vote_id))


@router.post("/votes/{vote_id}/ballots", response={201: BallotOut, **WRITE_ERRORS}, summary="Cast a household's ballot")
def ballot_cast(request, vote_id: PathId, payload: BallotIn):
    """A grid worker of the community vouches for the household in person; anyone else gives the last four digits
    of the household's phone. 409 `hall_already_voted` for a second ballot of the household, 400
    `hall_not_eligible` for a household outside the vote's area."""
    b = s.ballot_cast(actor=request.user, vote_id=vote_id, **payload.dict())
    return Status(201, {"household_code": b.household.code, "choice": b.choice, "verification": b.verification,
                        "cast_at": b.cast_at})


@router.post("/votes/{vote_id}/close", response={200: VoteDetailOut, **WRITE_ERRORS}, summary="Close and tally")
def vote_close(request, vote_id: PathId):
    """At or after the deadline, or once every household has voted (else 409 `hall_state`). The result is final."""
    s.vote_close(actor=request.user, vote_id=vote_id)
    return _vote_detail(selectors.vote_get_for(request.user, vote_id))


@router.post("/votes/{vote_id}/outcomes", response={200: OutcomeMadeOut, 201: OutcomeMadeOut, **WRITE_ERRORS},
             summary="Make a passed vote into a case, a plan task or a convention")
def outcome_make(request, vote_id: PathId, payload: OutcomeIn):
    """201 with what was made; 200 with the stored outcome when that kind was made before (nothing more)."""
    made = s.outcome_make(actor=request.user, vote_id=vote_id, **payload.dict())
    o = made.outcome
    return Status(201 if made.created else 200, {"id": o.pk, "kind": o.kind, "case_id": o.case_id,
                                                 "task_id": o.task_id,
                                                 "convention_version_id": o.convention_version_id,
                                                 "created": made.created})


@router.post("/conventions", response={201: ConventionOut, **WRITE_ERRORS},
             summary="Record a convention adopted before (from paper)")
def convention_record(request, payload: ConventionIn):
    version = s.convention_record(actor=request.user, **payload.dict())
    ctx = selectors.convention_get_for(request.user, version.convention_id)
    return Status(201, _convention(ctx["convention"], ctx["versions"]))


@router.get("/conventions/{convention_id}", response={200: ConventionOut, **READ_ERRORS},
            summary="A convention and its versions")
def convention_get(request, convention_id: PathId):
    ctx = selectors.convention_get_for(request.user, convention_id)
    return _convention(ctx["convention"], ctx["versions"])



