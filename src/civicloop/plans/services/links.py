"""Tasks linked to objects of other apps: cases, consultation decisions, adopted suggestions (by id, each checked
through its app's selectors as the actor)."""

from __future__ import annotations

from django.db import transaction

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import audit_write

from .. import selectors
from ..constants import LinkKind, PlansAudit
from ..error_codes import PlanErrorCode
from ..linked import linked_object_visible
from ..models import TaskLink
from ..permissions import may_edit_task


@transaction.atomic
def task_link(*, actor, task_id: int, kind: str, object_id: int) -> TaskLink:
    task = selectors.task_get_for(actor, task_id)
    if not may_edit_task(actor, task):
        raise CivicError(ErrorCode.FORBIDDEN)
    if kind not in LinkKind.values:
        raise CivicError(ErrorCode.INVALID)
    if not linked_object_visible(actor, kind, int(object_id)):
        raise CivicError(PlanErrorCode.LINK_INVALID)
    link, created = TaskLink.objects.get_or_create(task=task, kind=kind, object_id=int(object_id),
                                                   defaults={"district_id": task.district_id, "created_by": actor})
    if created:
        audit_write(action=PlansAudit.TASK_LINK, user=actor, district_id=task.district_id, object_type="plans.task",
                    object_id=task.pk, details={"kind": kind, "object_id": int(object_id)})
    return link
