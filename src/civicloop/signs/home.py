"""The signs app's panel on the home page (`SignsConfig.home_panels`): for a person whose territory has open alarms,
their count by severity, how many wait for an acknowledgement, and the newest few — linking to the alarm list."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors
from .permissions import may_see_alarms

PANEL_ALARMS = 5


def panel(request) -> str | None:
    user = request.user
    if not getattr(user, "pk", None) or not may_see_alarms(user):
        return None
    summary = selectors.open_alarm_summary(user, newest=PANEL_ALARMS)
    if not summary["total"]:
        return None
    return render_to_string("signs/_home_panel.html", summary, request=request)
