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


def record_panel(request, obj) -> str | None:
    """On a case's page: the plan tasks it is linked to (as a case or an adopted suggestion), as the viewer sees them."""
    from .constants import LinkKind, TaskStatus
    from .models import Task

    if obj._meta.label_lower != "cases.case" or not getattr(request.user, "pk", None):
        return None
    tasks = list(Task.objects.filter(selectors.tasks_visible_q(request.user),
                                     links__kind__in=(LinkKind.CASE, LinkKind.SUGGESTION), links__object_id=obj.pk)
                 .distinct().select_related("plan").order_by("pk")[:20])
    if not tasks:
        return None
    on = selectors.today()
    from .status import task_status

    rows = [{"task": t, "status_label": TaskStatus(task_status(t, on)).label} for t in tasks]
    return render_to_string("plans/_case_panel.html", {"rows": rows}, request=request)
