"""Who may do what in the visits app (the services enforce these; pages and navigation ask the same).

- a campaign is run (created, started, closed; pairings, teams, topics, assignment) by the district's
  district-level dispatchers and administrators (the research office 区调研办): `may_manage`;
- its coverage and lists are read by those, the district's leaders, and street and committee staff for their
  own territory (`may_see_campaigns`; selectors narrow to the territory);
- a team's members (staff accounts on the team) see the team's field list and record its visits, whatever
  their unit's territory (`has_team`, `may_record`): the team's assignment is their authority.
"""

from __future__ import annotations

from django.db.models import Q

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

MANAGER_ROLES = (Role.DISTRICT_ADMIN, Role.DISPATCHER)
READER_ROLES = (Role.DISTRICT_ADMIN, Role.DISPATCHER, Role.LEADER, Role.VISIT_MEMBER, Role.GRID_WORKER, Role.HANDLER)


def may_manage(actor, district_id: int | None = None) -> bool:
    """Run the district's campaigns: its district-level dispatchers and administrators."""
    scope = scope_for(actor)
    if not scope.has_role(*MANAGER_ROLES):
        return False
    return scope.is_district_level_for(district_id) if district_id is not None else scope.is_district_level


def team_is_working(team, campaign) -> bool:
    """A team whose visits are recorded now (and whose members the team rule binds): active, in a running campaign."""
    from .constants import CampaignState

    return team.active and campaign.state == CampaignState.RUNNING


def working_teams_q(prefix: str = "") -> Q:
    """`team_is_working` as a Q over Team (`prefix`: the path to the team, e.g. "team__")."""
    from .constants import CampaignState

    return Q(**{f"{prefix}active": True, f"{prefix}campaign__state": CampaignState.RUNNING})


def has_team(actor) -> bool:
    """A member (by staff account) of a team of a running campaign."""
    from .models import TeamMember

    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return False
    cached = getattr(actor, "_civicloop_has_team", None)  # asked by the navigation on every page
    if cached is None:
        cached = TeamMember.objects.filter(working_teams_q("team__"), user_id=actor.pk).exists()
        actor._civicloop_has_team = cached
    return cached


def may_see_campaigns(actor) -> bool:
    """Read campaigns and coverage: district-level and territorial staff with a reading role, or a team member."""
    scope = scope_for(actor)
    if scope.has_territory and scope.has_role(*READER_ROLES):
        return True
    return has_team(actor)


# ----- visit records, field lists, subjects

def team_ids_of(actor):
    """The ids of the teams `actor` is on by staff account (a subquery), whatever the campaign's state."""
    from .models import TeamMember

    return TeamMember.objects.filter(user_id=getattr(actor, "pk", None) or 0).values("team_id")


def may_record(actor, subject) -> bool:
    """Record a visit to `subject` (loaded with its team and campaign): a staff member of its current team, an
    active team, a running campaign — what `services.records.visit_record` asks, so the page offers its form
    only then."""
    from .models import TeamMember

    if subject.team_id is None or not getattr(actor, "pk", None):
        return False
    if not team_is_working(subject.team, subject.campaign):
        return False
    return TeamMember.objects.filter(team_id=subject.team_id, user_id=actor.pk).exists()
# ----- campaigns, pairing, teams, assignment (state rules: the services refuse what these deny; pages ask them)


def may_manage_campaign(actor, campaign) -> bool:
    """Change this campaign, its topics, teams and assignment: a manager of its district."""
    return may_manage(actor, campaign.district_id)


def campaign_is_editable(campaign) -> bool:
    """A draft or running campaign may change (name, period, scope, targets, topics, teams); a closed one is
    the record of what was done."""
    from .constants import CampaignState

    return campaign.state in (CampaignState.DRAFT, CampaignState.RUNNING)


def campaign_may_close(campaign) -> bool:
    from .constants import CampaignState

    return campaign.state == CampaignState.RUNNING


def campaign_may_assign(campaign) -> bool:
    """Subjects exist and are assigned while the campaign runs (they are built when it starts)."""
    from .constants import CampaignState

    return campaign.state == CampaignState.RUNNING


def subject_may_unpin(subject, campaign) -> bool:
    """A subject assigned by hand may be released to the assignment runs while its campaign runs (the manager's
    right: `may_manage_campaign`)."""
    return subject.assigned_by_hand and campaign_may_assign(campaign)
