"""The signs app's panel on the dashboard overview (`SignsConfig.dashboard_panels`, read by core.registry): the open
alarms the viewer sees, by street. Counted live on every view (one grouped statement over the open alarms' partial
index), outside the overview's figures kept per rollup version (decision 76) — alarms are not in the rollups, and a
kept figure would miss an alarm raised a minute ago."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors
from .permissions import may_see_alarms


def panel(request, *, street_id: int | None = None) -> str | None:
    user = request.user
    if not getattr(user, "pk", None) or not may_see_alarms(user):
        return None
    streets = selectors.open_alarms_by_street(user, street_id=street_id)
    totals = {k: sum(s[k] for s in streets) for k in ("total", "alarm", "warn", "unacknowledged")}
    return render_to_string("signs/_dashboard_panel.html", {"streets": streets, "totals": totals}, request=request)
