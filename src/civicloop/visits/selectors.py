"""Readers for the visits app. Every function takes the acting user; what they may not see answers not found.

- campaigns: the district's, for district-level staff and territorial staff (their territory's subjects only)
  and for the members of its teams;
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civicloop.core.selectors import first_or_not_found
from civicloop.orgs.scope import scope_for

from .models import Campaign
from .permissions import READER_ROLES


def campaigns_for(actor) -> QuerySet[Campaign]:
    """The campaigns `actor` may read: their district's (territorial reader), or those of their teams."""
    scope = scope_for(actor)
    if scope.sees_everything:
        return Campaign.objects.all()
    q = Q(teams__members__user_id=actor.pk) if getattr(actor, "pk", None) else Q(pk__in=[])
    if scope.has_territory and scope.has_role(*READER_ROLES) and scope.district_id is not None:
        q |= Q(district_id=scope.district_id)
    return Campaign.objects.filter(q).distinct()


def campaign_get_for(actor, pk: int) -> Campaign:
    return first_or_not_found(campaigns_for(actor), pk=pk)


# ----- campaigns, pairing, teams, assignment


def campaign_topics(actor, campaign: Campaign) -> QuerySet:
    """The topics of a campaign the actor has already read (`campaign_get_for`)."""
    from .models import Topic

    return Topic.objects.filter(campaign=campaign).select_related("leader").order_by("pk")


def campaign_teams(actor, campaign: Campaign) -> list:
    """The campaign's teams with their members (staff and people loaded), each with `gaps` (what it lacks under
    the campaign's rule and for a recorder: empty when complete) and `subject_count` (in the actor's sight)."""
    from django.db.models import Prefetch

    from .models import Team, TeamMember
    from .team_rule import team_gaps

    members = TeamMember.objects.select_related("user", "person").order_by("pk")
    teams = list(Team.objects.filter(campaign=campaign).select_related("unit")
                 .prefetch_related(Prefetch("members", queryset=members)).order_by("name", "pk"))
    counts = team_subject_counts(actor, campaign)
    for team in teams:
        team.gaps = team_gaps(campaign.team_rule, team.members.all())
        team.subject_count = counts.get(team.pk, 0)
    return teams


def subjects_in_sight(actor, campaign: Campaign) -> QuerySet:
    """The campaign's subjects the actor may count: all for district-level staff (and a superuser), the
    territory's for street and committee staff, their own teams' for a team member without territory."""
    from .models import Subject

    scope = scope_for(actor)
    qs = Subject.objects.filter(campaign=campaign)
    if scope.sees_everything or scope.is_district_level_for(campaign.district_id):
        return qs
    q = scope.territorial_q() if scope.has_territory and scope.district_id == campaign.district_id else Q(pk__in=[])
    if getattr(actor, "pk", None):
        q |= Q(team__members__user_id=actor.pk)
    return qs.filter(q).distinct()


def team_subject_counts(actor, campaign: Campaign) -> dict:
    """{team id (None: unassigned): subjects} in the actor's sight, in one grouped query."""
    from django.db.models import Count

    rows = (subjects_in_sight(actor, campaign).order_by().values("team_id").annotate(n=Count("pk", distinct=True)))
    return {r["team_id"]: r["n"] for r in rows}


def subject_group_counts(actor, campaign: Campaign) -> dict:
    """{SubjectGroup: subjects} in the actor's sight."""
    from django.db.models import Count

    rows = subjects_in_sight(actor, campaign).order_by().values("group").annotate(n=Count("pk", distinct=True))
    return {r["group"]: r["n"] for r in rows}


def team_get_for(actor, pk: int):
    """A team of a campaign the actor may read (else not found), with its campaign and unit."""
    from .models import Team

    return first_or_not_found(Team.objects.filter(campaign__in=campaigns_for(actor)).select_related("campaign", "unit"),
                              pk=pk)


def team_members(team) -> QuerySet:
    from .models import TeamMember

    return TeamMember.objects.filter(team=team).select_related("user", "person").order_by("pk")


def pairings_for(actor) -> QuerySet:
    """Pairings are standing district-level rows: the district's, for those who read its campaigns."""
    from .models import Pairing
    from .permissions import may_see_campaigns

    scope = scope_for(actor)
    qs = Pairing.objects.select_related("party_org", "park_building", "place").order_by("party_org__code", "pk")
    if scope.sees_everything:
        return qs
    if scope.district_id is None or not may_see_campaigns(actor):
        return qs.none()
    return qs.filter(district_id=scope.district_id)


def unpaired_park_buildings_for(actor) -> QuerySet:
    """Park buildings in the actor's sight that no party organisation is paired with."""
    from civicloop.places.selectors import park_building_list_for

    from .models import Pairing

    paired = Pairing.objects.filter(park_building__isnull=False).values("park_building_id")
    return park_building_list_for(actor).exclude(pk__in=paired)


def unpaired_communities_for(actor) -> QuerySet:
    """Communities in the actor's sight paired neither themselves nor through any of their compounds."""
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place
    from civicloop.places.selectors import place_list_for

    from .models import Pairing

    paired_places = Pairing.objects.filter(place__isnull=False).values("place_id")
    partly = Place.objects.filter(pk__in=paired_places, level=PlaceLevel.COMPOUND).values("community_id")
    return (place_list_for(actor, level=PlaceLevel.COMMUNITY).exclude(pk__in=paired_places).exclude(pk__in=partly)
            .select_related("street").order_by("code"))


def party_orgs_for(actor) -> QuerySet:
    """The district's agency party organisations (for pairing forms and the pairings page)."""
    from civicloop.orgs.constants import UnitKind
    from civicloop.orgs.selectors import unit_list_for

    return unit_list_for(actor, kind=UnitKind.PARTY_ORG, active_only=True)
