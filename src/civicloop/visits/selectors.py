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


# ----- offline (the field app)


def field_teams_for(actor) -> QuerySet:
    """The teams whose field list and visit form the offline field app offers `actor`: those they sit on by
    staff account, active, in a running campaign (a visit can be recorded for nothing else)."""
    from .constants import CampaignState
    from .models import Team

    if not getattr(actor, "pk", None):
        return Team.objects.none()
    return (Team.objects.filter(members__user_id=actor.pk, active=True, campaign__state=CampaignState.RUNNING)
            .select_related("campaign").order_by("campaign__start", "name", "pk").distinct())
