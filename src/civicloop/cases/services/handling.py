"""The lead unit's work: accept, return, extensions, progress, resolve."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.workdays.calendar import WorkCalendar

from ..changes import extension_changes, extension_deadline, resolve_changes, return_changes, return_follow_up
from ..constants import Action, ExtensionState
from ..models import Case, ExtensionRequest
from ..preconditions import no_pending_extension, require
from ._core import apply, load_for_update, now, require_text


@transaction.atomic
def case_accept(*, actor, case_id: int, expected_version: int | None = None, note: str = "") -> Case:
    case = load_for_update(actor, case_id, expected_version)
    apply(actor, case, Action.ACCEPT, note=note)
    return case


@transaction.atomic
def case_return(*, actor, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """Not our duty: back to the dispatcher for re-dispatch. The second return escalates (职责不清)."""
    case = load_for_update(actor, case_id, expected_version)
    reason = require_text(reason, _("退单理由"))
    apply(actor, case, Action.RETURN, note=reason, co_unit_ids=[],
          changes=return_changes(return_count=case.return_count))
    if return_follow_up(case.return_count) == Action.ESCALATE:
        apply(actor, case, Action.ESCALATE, permission=False, note=str(_("多次退单，职责不清，提交会商。")))
    return case


@transaction.atomic
def case_request_extension(*, actor, case_id: int, days: int, reason: str,
                           expected_version: int | None = None) -> ExtensionRequest:
    case = load_for_update(actor, case_id, expected_version)
    reason = require_text(reason, _("延期理由"))
    if not 1 <= int(days) <= 60:
        raise CivicError(ErrorCode.INVALID, _("延期天数应为1至60个工作日。"))
    require(actor, case, Action.REQUEST_EXTENSION)
    at = now()
    apply(actor, case, Action.REQUEST_EXTENSION, note=reason, at=at)
    return ExtensionRequest.objects.create(district_id=case.district_id, case=case, days=days, reason=reason,
                                           requested_by=actor, requested_at=at)


def _pending(case: Case, extension_id: int | None) -> ExtensionRequest:
    qs = case.extension_requests.select_for_update().filter(state=ExtensionState.PENDING)
    if extension_id is not None:
        qs = qs.filter(pk=extension_id)
    req = qs.order_by("requested_at").first()
    if req is None:
        asked = case.extension_requests.all() if extension_id is None else case.extension_requests.filter(pk=extension_id)
        raise no_pending_extension(asked)
    return req


@transaction.atomic
def case_approve_extension(*, actor, case_id: int, extension_id: int | None = None,
                           expected_version: int | None = None, note: str = "") -> Case:
    """Approve the pending request: the deadline moves by its days (working days after the old deadline)."""
    case = load_for_update(actor, case_id, expected_version)
    require(actor, case, Action.APPROVE_EXTENSION)
    req = _pending(case, extension_id)
    at = now()
    calendar = WorkCalendar()
    deadline = extension_deadline(case.deadline, req.days, calendar)
    apply(actor, case, Action.APPROVE_EXTENSION, at=at, note=note or str(_("同意延期%(days)s个工作日。") % {"days": req.days}),
          changes=extension_changes(dispatched_at=case.dispatched_at, deadline=deadline,
                                    time_limit_days=case.time_limit_days, days=req.days, calendar=calendar))
    _decide(req, actor, ExtensionState.APPROVED, at, note)
    return case


@transaction.atomic
def case_deny_extension(*, actor, case_id: int, extension_id: int | None = None,
                        expected_version: int | None = None, note: str = "") -> Case:
    case = load_for_update(actor, case_id, expected_version)
    require(actor, case, Action.DENY_EXTENSION)
    req = _pending(case, extension_id)
    at = now()
    apply(actor, case, Action.DENY_EXTENSION, at=at, note=note)
    _decide(req, actor, ExtensionState.DENIED, at, note)
    return case


def _decide(req: ExtensionRequest, actor, state: str, at, note: str) -> None:
    req.state, req.decided_at, req.decision_note = state, at, note
    req.decided_by = actor if getattr(actor, "pk", None) else None
    req.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def case_add_progress(*, actor, case_id: int, note: str, attachments: list | None = None,
                      expected_version: int | None = None) -> Case:
    case = load_for_update(actor, case_id, expected_version)
    apply(actor, case, Action.ADD_PROGRESS, note=require_text(note, _("进展情况")), attachments=attachments)
    return case


@transaction.atomic
def case_sensor_note(*, case_id: int, note: str) -> Case | None:
    """A note by the system on a sensor's case (signs): its alarm repeated, rose or cleared. The state stays; a
    case no longer open (closed, withdrawn …) is left alone and None answered — the alarm's history keeps it."""
    from ..constants import OPEN_STATES
    from ..permissions import SYSTEM

    case = load_for_update(SYSTEM, case_id, None)
    if case.state not in OPEN_STATES:
        return None
    apply(SYSTEM, case, Action.SENSOR_NOTE, note=require_text(note, _("说明")))
    return case


@transaction.atomic
def case_resolve(*, actor, case_id: int, result: str, measures: str = "", attachments: list | None = None,
                 expected_version: int | None = None) -> Case:
    """Done: result (what happened) and measures (what was done). The reporter still has to hear back."""
    case = load_for_update(actor, case_id, expected_version)
    result = require_text(result, _("办理结果"))
    text = f"{result}\n{_('措施')}：{measures.strip()}" if measures.strip() else result
    at = now()
    apply(actor, case, Action.RESOLVE, note=text, attachments=attachments, at=at, changes=resolve_changes(at=at))
    return case
