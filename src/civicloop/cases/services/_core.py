"""The machinery every case service shares: load-and-lock in scope, check, apply with a conditional UPDATE,
write the event, schedule notifications after commit."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.orgs.scope import scope_for

from ..constants import FINAL_STATES, Action, CaseState, ExtensionState
from ..events import event_write, snapshot
from ..models import Case, CaseCoUnit, CaseEvent, Supervision
from ..permissions import is_system, visible_q
from ..preconditions import require
from ..steps import step
from ..transitions import states_allowing

CONFLICT_MESSAGE = _("该工单已被他人修改，请刷新后重试。")


# The demo generator's clock (`cases.demo.case_clock`): another app's demo step that goes through these services (a
# meeting's decision registering a case, a sensor alarm opening one) writes the moment it stages — the meeting's
# day — not the moment the generator runs; unset (always, outside a demo step) it is the real time.
_DEMO_CLOCK: ContextVar[dt.datetime | None] = ContextVar("civicloop_cases_demo_clock", default=None)


def now() -> dt.datetime:
    return _DEMO_CLOCK.get() or timezone.now()


def load_for_update(actor, case_id: int, expected_version: int | None = None) -> Case:
    """The case locked FOR UPDATE, if `actor` may see it (else NOT_FOUND, as if missing); version checked."""
    qs = Case.objects.select_for_update()
    if not is_system(actor):
        qs = qs.filter(visible_q(scope_for(actor)))
    case = qs.filter(pk=case_id).first()
    if case is None:
        if expected_version is not None and _lost_sight(actor, case_id, expected_version):
            raise CivicError(ErrorCode.CONFLICT, CONFLICT_MESSAGE)
        raise not_found()
    if expected_version is not None and case.version != expected_version:
        raise CivicError(ErrorCode.CONFLICT, CONFLICT_MESSAGE)
    case._before = snapshot(case)
    return case


def _lost_sight(actor, case_id: int, expected_version: int) -> bool:
    """Did a concurrent change take the case out of the actor's sight (e.g. another handler returned it)?

    Only when the actor's unit was assigned to the case at the version they acted on: then the honest answer is
    CONFLICT ("reload"), and it reveals nothing they had not seen. Everyone else still gets NOT_FOUND.
    """
    unit_id = getattr(actor, "unit_id", None)
    if unit_id is None or not Case.objects.filter(pk=case_id).exclude(version=expected_version).exists():
        return False
    lead, co = None, []
    for after in CaseEvent.objects.filter(case_id=case_id, seq__lte=expected_version).order_by("seq").values_list(
            "after", flat=True):
        lead = after.get("lead_unit_id", lead)
        co = after.get("co_unit_ids", co)
    return unit_id == lead or unit_id in co



# The handling states: where an extension request can be decided (accepted, in progress).
EXTENSION_STATES = states_allowing(Action.APPROVE_EXTENSION)


def extensions_lapse(case: Case, *, at=None) -> int:
    """A pending extension request dies with the handling. Once a step has taken the case out of the handling
    states (resolve, return, escalate, merge, withdraw), its pending requests become LAPSED with the reason —
    in the step's transaction. `apply` calls it for every step that leaves those states."""
    if case.state in EXTENSION_STATES:
        return 0
    note = str(_("工单状态变为「%(state)s」，延期申请自动失效。") % {"state": CaseState(case.state).label})
    return case.extension_requests.filter(state=ExtensionState.PENDING).update(
        state=ExtensionState.LAPSED, decided_by=None, decided_at=at or now(), decision_note=note)


def supervisions_lapse(case: Case, *, at=None) -> int:
    """A supervision notice still unanswered when its case ends (closed, merged, withdrawn: no answer can come any
    more) is closed with it (销号): `lapsed_at`, in the step's transaction. `apply` calls it for every step that
    ends a case, so the open notices (`Supervision.OPEN`) are only those of cases still in the loop."""
    if case.state not in FINAL_STATES:
        return 0
    return case.supervisions.filter(Supervision.OPEN).update(lapsed_at=at or now())


def apply(actor, case: Case, action: str, *, changes: dict | None = None, co_unit_ids=None, note: str = "",
          attachments: list | None = None, permission: bool = True, at: dt.datetime | None = None) -> CaseEvent:
    """Check (`preconditions.require`: who, the table, the action's precondition) and apply one table step: set fields, bump the version with a conditional UPDATE, append the event.

    The step itself (next state, field values, event before/after) is `steps.step`; this adds the permission
    check, the co-unit rows, the UPDATE, the event row and notifications. `changes` are model field values;
    `co_unit_ids` (a list) replaces the co-units. Raises CONFLICT when the row's version moved under us (0 rows
    updated) — the lock makes that rare, the check makes it impossible.
    """
    require(actor, case, action, permission=permission)  # the predicate the page and the API offer actions by
    st = step(case._before, action, changes=changes, co_unit_ids=co_unit_ids)
    old_version, state_before = case.version, case.state
    for field, value in st.values.items():
        setattr(case, field, value)
    if st.co_unit_ids is not None:
        CaseCoUnit.objects.filter(case=case).exclude(unit_id__in=st.co_unit_ids).delete()
        existing = set(CaseCoUnit.objects.filter(case=case).values_list("unit_id", flat=True))
        CaseCoUnit.objects.bulk_create([CaseCoUnit(district_id=case.district_id, case=case, unit_id=u)
                                        for u in st.co_unit_ids if u not in existing])
    fields = {f: getattr(case, f) for f in st.after if f != "co_unit_ids"}
    at = at or now()  # one moment for the row and its event (the demo's clock too)
    case.updated_at = at
    updated = Case.objects.filter(pk=case.pk, version=old_version).update(updated_at=case.updated_at, **fields)
    if updated != 1:
        raise CivicError(ErrorCode.CONFLICT, CONFLICT_MESSAGE)
    event = event_write(case=case, actor=actor, action=action, before=st.before, after=st.after, note=note,
                        attachments=attachments, at=at)
    case._before = st.snapshot
    if state_before in EXTENSION_STATES and case.state not in EXTENSION_STATES:
        extensions_lapse(case, at=at)
    if state_before not in FINAL_STATES and case.state in FINAL_STATES:
        supervisions_lapse(case, at=at)
    from .notifications import notify_after_commit

    notify_after_commit(event)
    return event


def require_text(value: str | None, label) -> str:
    value = (value or "").strip()
    if not value:
        raise CivicError(ErrorCode.INVALID, _("请填写%(field)s。"), field=label)
    return value
