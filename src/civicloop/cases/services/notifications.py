"""In-app notifications, written after commit. Idempotent: one row per (event, recipient) by `dedupe_key`."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.core.errors import not_found
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit

from ..constants import Action
from ..models import CaseCoUnit, CaseEvent, Notification

_TO_LEAD_AND_CO = {Action.DISPATCH, Action.DECIDE}
_TO_LEAD = {Action.APPROVE_EXTENSION, Action.DENY_EXTENSION, Action.SUPERVISE, Action.REOPEN}
_TO_DISPATCHER = {Action.RETURN, Action.REQUEST_EXTENSION, Action.RESOLVE, Action.SUPERVISION_REPLY}


_NOTIFYING = _TO_LEAD_AND_CO | _TO_LEAD | _TO_DISPATCHER | {Action.ESCALATE}


def notify_after_commit(event: CaseEvent) -> None:
    """Schedule `notify_event` for after the commit — only for actions that notify anyone (not, e.g., register)."""
    if event.action in _NOTIFYING:
        transaction.on_commit(partial(notify_event, event.pk))


def recipients_for(event: CaseEvent) -> list[int]:
    """Unit ids to notify of `event` (never the acting unit itself)."""
    case = event.case
    units: list[int] = []
    if event.action in _TO_LEAD_AND_CO:
        units = [case.lead_unit_id, *CaseCoUnit.objects.filter(case=case).values_list("unit_id", flat=True)]
    elif event.action in _TO_LEAD:
        units = [case.lead_unit_id]
    elif event.action in _TO_DISPATCHER:
        units = [case.dispatching_unit_id]
    elif event.action == Action.ESCALATE:
        units = list(Unit.objects.filter(district_id=case.district_id, kind=UnitKind.CONSULTATION_BODY, active=True)
                     .values_list("pk", flat=True))
    return sorted({u for u in units if u is not None and u != event.actor_unit_id})


@transaction.atomic
def notify_event(event_id: int) -> int:
    """Create the notifications for one event; safe to run twice. Returns how many recipients it covers."""
    event = CaseEvent.objects.select_related("case").filter(pk=event_id).first()
    if event is None:
        return 0
    units = recipients_for(event)
    text = _("工单 %(code)s：%(action)s") % {"code": event.case.tracking_code, "action": Action(event.action).label}
    if event.note:
        text = f"{text} — {event.note}"[:300]
    Notification.objects.bulk_create(
        [Notification(district_id=event.district_id, unit_id=u, case_id=event.case_id, kind=event.action, text=text,
                      dedupe_key=f"e{event.pk}:u{u}") for u in units],
        ignore_conflicts=True,
    )
    return len(units)


@transaction.atomic
def notification_mark_read(*, actor, notification_id: int) -> Notification:
    """Mark a notification (addressed to the actor or to the actor's unit) as read."""
    from django.db.models import Q

    n = Notification.objects.filter(Q(user_id=actor.pk) | Q(unit_id=actor.unit_id, unit_id__isnull=False),
                                    pk=notification_id).first()
    if n is None:
        raise not_found()
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n
