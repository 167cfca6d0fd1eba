"""The plans app's rule for a progress report's evidence (civicloop.files, declared in apps.py): whoever may see
the report's task."""

from __future__ import annotations

from .models import ProgressReport
from .selectors import tasks_visible_q


def may_see(request, attachment) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return ProgressReport.objects.filter(tasks_visible_q(user, "task__"), pk=attachment.owner_id).exists()
