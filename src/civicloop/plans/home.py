"""The plans app's panel on the home page (`PlansConfig.home_panels`): the viewer's unit's tasks that are late or at
risk, the letters waiting for their acknowledgement, and — for a contact leader — their streets' red items."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors
from .board import my_tasks
from .constants import ATTENTION_STATUSES
from .permissions import ACK_ROLES, may_see_plans

PANEL_TASKS = 5


def panel(request) -> str | None:
    user = request.user
    if not getattr(user, "pk", None) or not may_see_plans(user):
        return None
    from civicloop.orgs.scope import scope_for

    on = selectors.today()
    tasks = [t for t in my_tasks(user, on=on) if t["status"] in ATTENTION_STATUSES]
    waiting = 0
    if scope_for(user).has_role(*ACK_ROLES) and scope_for(user).unit_id is not None:
        from .models import LetterVersion

        current = {}
        for letter_id, _number, acked in (LetterVersion.objects.filter(letter__unit_id=scope_for(user).unit_id)
                                         .order_by("letter_id", "number")
                                         .values_list("letter_id", "number", "acknowledged_at")):
            current[letter_id] = acked
        waiting = sum(1 for acked in current.values() if acked is None)
    red = sum(len(s["late_tasks"]) + len(s["late_milestones"]) for s in selectors.contact_red_items(user, on=on))
    if not tasks and not waiting and not red:
        return None
    return render_to_string("plans/_home_panel.html", {"tasks": tasks[:PANEL_TASKS], "task_count": len(tasks),
                                                       "waiting": waiting, "red": red}, request=request)
