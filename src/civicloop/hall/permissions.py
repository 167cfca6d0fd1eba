"""Who may do what in the hall (the services enforce these; pages and navigation ask the same).

- A community's hall is kept — topics opened and closed, posts keyed in and hidden, meetings, votes opened and
  closed, conventions — by its committee's staff (`may_keep`); a superuser who sees everything keeps any.
- It is read (`hall_visible_q`) by whoever's territory holds the community: the committee, its street office,
  the district's offices. Departments read no hall (their work reaches them as cases and plan tasks).
- A ballot is verified in person by a grid worker of the community (`may_verify`), or by the household itself
  with its code and the last four digits of the phone on file (no account: the residents' voting page).
- What a passed vote becomes is the owning app's rule as well: cases' registration (`may_register`), plans'
  `may_create_task` (checked by `task_create`), the keeper for a convention.
"""

from __future__ import annotations

from django.db.models import Q

from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel

from .constants import HallMeetingState, TopicState, VoteState

KEEPER_ROLES = (Role.GRID_WORKER, Role.HANDLER, Role.DISPATCHER, Role.DISTRICT_ADMIN)
VERIFIER_ROLES = (Role.GRID_WORKER,)


def hall_visible_q(actor, *, community: str = "community") -> Q:
    """The rows of the halls `actor` may read (rows with district/street/community columns)."""
    scope = scope_for(actor)
    if scope.is_department:
        return Q(pk__in=[])
    return scope.territorial_q(community=community)


def may_see_hall(actor) -> bool:
    """The navigation entry: someone with a territory that holds communities (not a department)."""
    scope = scope_for(actor)
    return scope.sees_everything or (scope.root_id is not None and not scope.is_department)


def own_community(actor) -> int | None:
    """The community whose hall a committee's staff keep (None for anyone else)."""
    scope = scope_for(actor)
    if scope.unit_kind == UnitKind.COMMITTEE and scope.root_level == PlaceLevel.COMMUNITY:
        return scope.root_id
    return None


def may_keep(actor, community_id: int) -> bool:
    scope = scope_for(actor)
    if scope.sees_everything:
        return True
    return scope.has_role(*KEEPER_ROLES) and own_community(actor) == community_id


def may_verify(actor, community_id: int) -> bool:
    """Vouch in person for a household of the community (a grid worker of its committee)."""
    scope = scope_for(actor)
    return scope.has_role(*VERIFIER_ROLES) and (scope.sees_everything or own_community(actor) == community_id)


# ----- states (the services refuse what these deny; pages ask them)

def topic_open(topic) -> bool:
    return topic.state == TopicState.OPEN


def meeting_may_hold(meeting) -> bool:
    return meeting.state == HallMeetingState.PLANNED


def meeting_may_close(meeting) -> bool:
    return meeting.state == HallMeetingState.HELD


def vote_taking(vote) -> bool:
    return vote.state == VoteState.OPEN


def choices_visible(vote) -> bool:
    """The counts of yes / no / abstain (and so whether it passes): an open ballot's at any time, a secret ballot's
    only once closed — while it runs, only the turnout (who has voted) is shown, on the page and in the API."""
    from .constants import Ballot

    return vote.ballot == Ballot.OPEN or not vote_taking(vote)


def vote_may_close(vote) -> bool:
    return vote.state == VoteState.OPEN


def outcome_possible(vote) -> bool:
    return vote.state == VoteState.CLOSED and bool(vote.passed)
