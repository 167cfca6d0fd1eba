"""Reads of the hall. Every function takes the viewer: a row outside their halls is not found, like a missing one
(`permissions.hall_visible_q`: the committee its own community, a street office its street's, the district's
offices the district's; departments none). Free text keyed in from residents (posts, proposers) is masked for
whoever does not keep the hall (`core.masking`); households are shown by code and room, never by name."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.core.masking import mask_for_display
from civicloop.core.selectors import first_or_not_found
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from .constants import Ballot, HallMeetingState, OutcomeKind, TopicState, VoteState
from .models import (
    Attendance,
    Convention,
    ConventionVersion,
    HallMeeting,
    Post,
    Topic,
    Vote,
    VoteBallot,
    VoteOutcome,
)
from .permissions import hall_visible_q, may_keep
from .services.votes import result_now

HALL_ROWS = 50


def communities_for(actor):
    """The communities whose halls `actor` may read, each with its open topics and votes counted."""
    from civicloop.orgs.scope import scope_for

    scope = scope_for(actor)
    if scope.is_department:
        return Place.objects.none()
    qs = scope.filter_places(Place.objects.filter(level=PlaceLevel.COMMUNITY)).defer("boundary", "street__boundary")
    open_topics = Topic.objects.filter(community_id=OuterRef("pk"), state=TopicState.OPEN).values("pk")
    open_votes = Vote.objects.filter(community_id=OuterRef("pk"), state=VoteState.OPEN).values("pk")
    return (qs.select_related("street").annotate(open_topics=Exists(open_topics), open_votes=Exists(open_votes))
            .order_by("street__code", "code"))


def hall_for(actor, community_id: int) -> dict:
    """A community's hall: its topics (open first), meetings to come, votes in progress and closed lately, and its
    conventions. A bounded number of statements."""
    community = first_or_not_found(communities_for(actor), pk=community_id)
    keeper = may_keep(actor, community.pk)
    topics = list(Topic.objects.filter(community=community).select_related("place")
                  .annotate(post_count=Count("posts", filter=Q(posts__hidden=False)))
                  .order_by("state", "-opened_at", "-pk")[:HALL_ROWS])
    if not keeper:
        for t in topics:
            mask_for_display(t, "body", "proposer")
    today = timezone.localdate()
    meetings = list(HallMeeting.objects.filter(community=community).select_related("topic")
                    .filter(Q(state=HallMeetingState.PLANNED) | Q(date__gte=today.replace(day=1)))
                    .order_by("-date", "-pk")[:HALL_ROWS])
    if not keeper:
        for m in meetings:
            mask_for_display(m, "minutes")
    votes = list(Vote.objects.filter(community=community).select_related("place", "topic")
                 .annotate(cast=Count("ballots")).order_by("state", "-opens_at", "-pk")[:HALL_ROWS])
    conventions = list(Convention.objects.filter(community=community).select_related("place")
                       .prefetch_related(Prefetch("versions", queryset=ConventionVersion.objects.order_by("-number")))
                       .order_by("title", "pk")[:HALL_ROWS])
    for c in conventions:
        versions = list(c.versions.all())
        c.current = next((v for v in versions if v.effective_from <= today), versions[-1] if versions else None)
    return {"community": community, "keeper": keeper, "topics": topics, "meetings": meetings,
            "votes_open": [v for v in votes if v.state == VoteState.OPEN],
            "votes_closed": [v for v in votes if v.state == VoteState.CLOSED], "conventions": conventions}


def topics_for(actor):
    return Topic.objects.filter(hall_visible_q(actor)).select_related("place", "community").order_by("-opened_at", "-pk")


def topic_get_for(actor, topic_id: int) -> dict:
    """A topic with its discussion (hidden posts: their reason, the words only to keepers), meetings and votes."""
    topic = first_or_not_found(topics_for(actor), pk=topic_id)
    keeper = may_keep(actor, topic.community_id)
    posts = list(Post.objects.filter(topic=topic).select_related("author", "hidden_by").order_by("created_at", "pk"))
    if not keeper:
        mask_for_display(topic, "body", "proposer")
        for p in posts:
            mask_for_display(p, "body", "speaker")
            if p.hidden:
                p.body = p.speaker = ""
    meetings = list(HallMeeting.objects.filter(topic=topic).annotate(households=Count("attendance"))
                    .order_by("-date", "-pk"))
    if not keeper:
        for m in meetings:
            mask_for_display(m, "minutes")
    votes = list(Vote.objects.filter(topic=topic).select_related("place").annotate(cast=Count("ballots"))
                 .order_by("-opens_at", "-pk"))
    return {"topic": topic, "keeper": keeper, "posts": posts, "meetings": meetings, "votes": votes}


def meetings_for(actor):
    return HallMeeting.objects.filter(hall_visible_q(actor)).select_related("topic", "community")


def meeting_get_for(actor, meeting_id: int) -> dict:
    meeting = first_or_not_found(meetings_for(actor), pk=meeting_id)
    keeper = may_keep(actor, meeting.community_id)
    attendance = list(Attendance.objects.filter(meeting=meeting).select_related("household")
                      .only("pk", "household__code", "household__room", "household__building_id")
                      .order_by("household__code"))
    if not keeper:
        mask_for_display(meeting, "minutes")
    return {"meeting": meeting, "keeper": keeper, "attendance": attendance}


def votes_for(actor):
    return Vote.objects.filter(hall_visible_q(actor)).select_related("place", "topic", "community")


def vote_get_for(actor, vote_id: int) -> dict:
    """A vote, its tally (running or frozen), what it became, and — an open ballot — each household's choice."""
    vote = first_or_not_found(votes_for(actor), pk=vote_id)
    return _vote_context(actor, vote)


def _vote_context(actor, vote) -> dict:
    result = result_now(vote)
    outcomes = list(VoteOutcome.objects.filter(vote=vote).select_related("case", "convention_version__convention"))
    ballots = []
    if vote.ballot == Ballot.OPEN:
        ballots = list(VoteBallot.objects.filter(vote=vote).select_related("household")
                       .only("pk", "choice", "verification", "cast_at", "household__code", "household__room")
                       .order_by("household__code"))
    return {"vote": vote, "result": result, "outcomes": {o.kind: o for o in outcomes}, "ballots": ballots,
            "keeper": actor is not None and may_keep(actor, vote.community_id)}


def vote_by_token(vote_id: int, token: str) -> Vote:
    """The residents' voting page's vote (no account: the address's token is the key)."""
    if "\x00" in token:
        raise not_found()
    vote = Vote.objects.filter(pk=vote_id, token=token).select_related("place", "topic", "community").first()
    if vote is None:
        raise not_found()
    return vote


def notice_for(actor, vote_id: int) -> dict:
    """The public notice of a closed vote's result (counts only, even for an open ballot)."""
    vote = first_or_not_found(votes_for(actor).filter(state=VoteState.CLOSED), pk=vote_id)
    ctx = _vote_context(actor, vote)
    ctx["ballots"] = []
    return ctx


def conventions_for(actor):
    return Convention.objects.filter(hall_visible_q(actor)).select_related("place", "community")


def convention_get_for(actor, convention_id: int) -> dict:
    convention = first_or_not_found(conventions_for(actor), pk=convention_id)
    versions = list(ConventionVersion.objects.filter(convention=convention).select_related("vote")
                    .order_by("-number"))
    return {"convention": convention, "versions": versions}


def vote_of_case(actor, case) -> Vote | None:
    """The vote a case came from (its outcome), if the viewer may read it."""
    outcome = VoteOutcome.objects.filter(kind=OutcomeKind.CASE, case_id=case.pk).only("vote_id").first()
    if outcome is None:
        return None
    return votes_for(actor).filter(pk=outcome.vote_id).first()


def case_ids_visible(actor, ids) -> set[int]:
    from civicloop.cases.selectors import cases_visible_to

    return set(cases_visible_to(actor).filter(pk__in=list(ids)).values_list("pk", flat=True)) if ids else set()
