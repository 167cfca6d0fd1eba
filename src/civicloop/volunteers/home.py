"""The volunteers panel on the home page (`VolunteersConfig.home_panels`): for a committee's staff, the open needs,
the members on the roster and today's sign-ups waiting for check-in. Three statements; None for anyone else."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from civicloop.workdays.calendar import SHANGHAI

from .constants import SignUpState
from .models import Member, ServiceNeed, SignUp
from .permissions import own_community
from .selectors import open_q


def panel(request) -> str | None:
    user = request.user
    community = own_community(user) if getattr(user, "pk", None) else None
    if community is None:
        return None
    now = timezone.now()
    start = dt.datetime.combine(now.astimezone(SHANGHAI).date(), dt.time(0), tzinfo=SHANGHAI)
    open_needs = ServiceNeed.objects.filter(open_q(now), community_id=community).count()
    members = Member.objects.filter(community_id=community, active=True).count()
    today = SignUp.objects.filter(community_id=community, state=SignUpState.SIGNED_UP, need__starts_at__gte=start,
                                  need__starts_at__lt=start + dt.timedelta(days=1)).count()
    if not open_needs and not members:
        return None
    return render_to_string("volunteers/_home_panel.html", {"open_needs": open_needs, "members": members,
                                                            "today": today}, request=request)
