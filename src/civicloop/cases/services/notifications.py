"""In-app notifications, written after commit by the task queue. Personal: one row per (event, person) — each with its own `read_at` —
idempotent by `dedupe_key` `e{event}:p{user}`.

Who gets one: the event is routed to units (the lead unit and co-units for a dispatch, the dispatching unit for a
return …) and, inside each unit, to the active staff who can take the *next* step — the roles of the rule
`transitions.WHO` names for that step (a dispatch → `accept` → handlers; a return → `dispatch` → dispatchers).
A unit without any such person gets it for all its active staff, so nothing lands nowhere. The actor never
notifies themselves.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from civicloop.core.errors import not_found
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit, User, UserRole

from .. import permissions
from ..constants import Action
from ..models import CaseCoUnit, CaseEvent, Notification
from ..transitions import WHO

log = logging.getLogger(__name__)

# Which units hear of an action.
_LEAD_AND_CO, _LEAD, _DISPATCHING, _CONSULTATION = "lead_and_co", "lead", "dispatching", "consultation"

# action → (units to notify, the step they are expected to take next: its WHO rule picks the roles).
ROUTES: dict[str, tuple[str, str]] = {
    Action.DISPATCH: (_LEAD_AND_CO, Action.ACCEPT),
    Action.DECIDE: (_LEAD_AND_CO, Action.ACCEPT),
    Action.APPROVE_EXTENSION: (_LEAD, Action.RESOLVE),
    Action.DENY_EXTENSION: (_LEAD, Action.RESOLVE),
    Action.SUPERVISE: (_LEAD, Action.SUPERVISION_REPLY),
    Action.REOPEN: (_LEAD, Action.ACCEPT),
    Action.RETURN: (_DISPATCHING, Action.DISPATCH),
    Action.REQUEST_EXTENSION: (_DISPATCHING, Action.APPROVE_EXTENSION),
    Action.RESOLVE: (_DISPATCHING, Action.CLOSE),
    Action.SUPERVISION_REPLY: (_DISPATCHING, Action.SUPERVISE),
    Action.ESCALATE: (_CONSULTATION, Action.DECIDE),
    Action.RECOUNT: (_LEAD, Action.RESOLVE),  # only when the deadline moved (`TOLD_ONLY_IF`)
    Action.SENSOR_NOTE: (_LEAD, Action.RESOLVE),  # the alarm behind the case repeated or cleared (signs)
}

# Steps worth telling only when they changed this field: a recount that only made the deadline final (the
# （暂定） mark gone) changes nothing anyone has to do.
TOLD_ONLY_IF: dict[str, str] = {Action.RECOUNT: "deadline"}


def notifies(event: CaseEvent) -> bool:
    """Does `event` notify anyone (its action is routed, and it changed what makes it worth telling)?"""
    if event.action not in ROUTES:
        return False
    field = TOLD_ONLY_IF.get(event.action)
    return field is None or field in (event.after or {})



def notify_after_commit(event: CaseEvent) -> None:
    """After the commit, hand `event` to the task queue (`tasks.deliver_notifications`; the worker of `civicloop
    serve` runs it) — only for actions that notify anyone (not, e.g., register). The write has committed by
    then: nothing about delivering may turn it into an error (decision 37), so a failure is logged, not raised."""
    if notifies(event):
        transaction.on_commit(partial(_enqueue_delivery, event.pk))


def _enqueue_delivery(event_id: int) -> None:
    try:
        from ..tasks import deliver_notifications  # tasks imports the services: imported when first needed

        result = deliver_notifications.enqueue(event_id)
    except Exception:
        log.exception("notifications of case event %s not enqueued", event_id)
        return
    if result.errors:  # a backend that runs the task at once (tests, development) records the failure here
        log.error("notifications of case event %s not delivered: %s", event_id, result.errors[-1].traceback)


def recipient_units(event: CaseEvent) -> list[int]:
    """Unit ids `event` is routed to (the acting unit too: its other staff may have to act)."""
    if not notifies(event):
        return []
    route = ROUTES[event.action]
    case = event.case
    units: list[int | None] = []
    if route[0] == _LEAD_AND_CO:
        units = [case.lead_unit_id, *CaseCoUnit.objects.filter(case=case).values_list("unit_id", flat=True)]
    elif route[0] == _LEAD:
        units = [case.lead_unit_id]
    elif route[0] == _DISPATCHING:
        units = [case.dispatching_unit_id]
    elif route[0] == _CONSULTATION:
        units = list(Unit.objects.filter(district_id=case.district_id, kind=UnitKind.CONSULTATION_BODY, active=True)
                     .values_list("pk", flat=True))
    return sorted({u for u in units if u is not None})


def recipients_for(event: CaseEvent) -> list[tuple[int, int]]:
    """`(user_id, unit_id)` pairs to notify of `event`: per unit, the active staff holding a role that acts on
    the next step (all its active staff if none does) — never the actor."""
    units = recipient_units(event)
    if not units:
        return []
    roles = permissions.ROLES_FOR_RULE.get(WHO[ROUTES[event.action][1]], ())
    staff = (User.objects.filter(unit_id__in=units, is_active=True)
             .annotate(acts=Exists(UserRole.objects.filter(user_id=OuterRef("pk"), role__in=roles)))
             .values_list("pk", "unit_id", "acts"))
    by_unit: dict[int, list[tuple[int, bool]]] = {}
    for user_id, unit_id, acts in staff:
        by_unit.setdefault(unit_id, []).append((user_id, acts))
    pairs = []
    for unit_id, people in by_unit.items():
        chosen = [u for u, acts in people if acts] or [u for u, _acts in people]
        pairs += [(u, unit_id) for u in chosen if u != event.actor_id]
    return sorted(pairs)


@transaction.atomic
def notify_event(event_id: int) -> int:
    """Create the notifications for one event; safe to run twice. Returns how many people it covers."""
    event = CaseEvent.objects.select_related("case").filter(pk=event_id).first()
    if event is None:
        return 0
    pairs = recipients_for(event)
    # the parts, not the sentence: `Notification.text` renders it in each reader's language when read
    Notification.objects.bulk_create(
        [Notification(district_id=event.district_id, user_id=user_id, unit_id=unit_id, case_id=event.case_id,
                      actor_id=event.actor_id, actor_unit_id=event.actor_unit_id, kind=event.action,
                      note=event.note[:300], dedupe_key=f"e{event.pk}:p{user_id}")
         for user_id, unit_id in pairs],
        ignore_conflicts=True,
    )
    return len(pairs)


@transaction.atomic
def notification_mark_read(*, actor, notification_id: int) -> Notification:
    """Mark the actor's own notification as read; anyone else's answers NOT_FOUND (as if missing)."""
    user_id = getattr(actor, "pk", None)
    n = Notification.objects.filter(pk=notification_id, user_id=user_id).first() if user_id else None
    if n is None:
        raise not_found()
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return n
