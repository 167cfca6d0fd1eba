"""Can this actor take this action on this case now? One predicate per action, used by the services, the case page
and the API's `allowed_actions` alike — so a page offers only what the service will accept.

`refusal(actor, case, action)` answers with the error the service would raise (or None): FORBIDDEN when the rule
of `permissions.may` says no, TRANSITION_NOT_ALLOWED when the table has no such step from the case's state, and
then the action's own precondition (`PRECONDITIONS`): a pending extension request to approve or deny, none to ask a
second one, an open supervision to answer, a reply before closing, no consultation after a 满意 rating, another
open case to merge into, a consultation not yet dispatched to answer on the spot. `services._core.apply` calls `require` for every step, so no service can drift from it.
Input checks of the submitted values (blank reasons, the merge target named) stay with the services.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.orgs.scope import scope_for

from .constants import FINAL_STATES, Action, AppealType, CaseState, ExtensionState, Satisfaction
from .error_codes import CaseErrorCode
from .permissions import is_system, may, visible_q
from .steps import target_state
from .transitions import WHO, Who

FORBIDDEN_MESSAGE = _("您无权对该工单执行「%(action)s」。")
LAPSED_MESSAGE = _("该延期申请已失效（工单已不在办理中），无需再审批。")


def _extension_pending(actor, case) -> CivicError | None:
    if case.extension_requests.filter(state=ExtensionState.PENDING).exists():
        return None
    return no_pending_extension(case.extension_requests.all())


def no_pending_extension(asked) -> CivicError:
    """The refusal for deciding a request that is not pending: says so when the last one asked lapsed."""
    last = asked.order_by("-requested_at", "-pk").values_list("state", flat=True).first()
    if last == ExtensionState.LAPSED:
        return CivicError(CaseErrorCode.NO_EXTENSION_PENDING, LAPSED_MESSAGE)
    return CivicError(CaseErrorCode.NO_EXTENSION_PENDING)


def _no_extension_pending(actor, case) -> CivicError | None:
    if case.extension_requests.filter(state=ExtensionState.PENDING).exists():
        return CivicError(CaseErrorCode.EXTENSION_PENDING)
    return None


def _supervision_open(actor, case) -> CivicError | None:
    from .models import Supervision

    if case.supervisions.filter(Supervision.OPEN).exists():
        return None
    return CivicError(CaseErrorCode.SUPERVISION_NOT_OPEN)


def _replied(actor, case) -> CivicError | None:
    if case.state == CaseState.RESOLVED and case.replied_at is None:
        return CivicError(CaseErrorCode.REPLY_REQUIRED)
    return None


def _not_satisfied(actor, case) -> CivicError | None:
    if case.state == CaseState.RATED and case.satisfaction == Satisfaction.SATISFIED:
        return CivicError(CaseErrorCode.TRANSITION_NOT_ALLOWED, _("诉求人已表示满意，不能再升级会商。"))
    return None


def _answerable(actor, case) -> CivicError | None:
    """直接答复办结: only a consultation, and only before any dispatch (a returned case re-triaged was dispatched)."""
    if case.appeal_type == AppealType.CONSULTATION and case.dispatched_at is None:
        return None
    return CivicError(CaseErrorCode.NOT_A_CONSULTATION)


def merge_targets_q(actor, case):
    """Q over Case: the cases `case` may be merged into — open, same district, visible to the actor, not itself."""
    from django.db.models import Q

    q = Q(district_id=case.district_id) & ~Q(pk=case.pk) & ~Q(state__in=FINAL_STATES)
    return q if is_system(actor) else q & visible_q(scope_for(actor))


def _merge_target_exists(actor, case) -> CivicError | None:
    from .models import Case

    if Case.objects.filter(merge_targets_q(actor, case)).exists():
        return None
    return CivicError(CaseErrorCode.MERGE_INVALID, _("没有可合并到的未结工单。"))


PRECONDITIONS: dict[str, Callable] = {
    Action.REQUEST_EXTENSION: _no_extension_pending,
    Action.APPROVE_EXTENSION: _extension_pending,
    Action.DENY_EXTENSION: _extension_pending,
    Action.SUPERVISION_REPLY: _supervision_open,
    Action.CLOSE: _replied,
    Action.ESCALATE: _not_satisfied,
    Action.MERGE: _merge_target_exists,
    Action.ANSWER: _answerable,
}

# asked before the table: "the request lapsed" says more than "not in this state"
_BEFORE_TABLE = frozenset({Action.APPROVE_EXTENSION, Action.DENY_EXTENSION})


def forbidden(action: str) -> CivicError:
    return CivicError(ErrorCode.FORBIDDEN, FORBIDDEN_MESSAGE, action=Action(action).label)


def refusal(actor, case, action: str, *, permission: bool = True) -> CivicError | None:
    """The error the service would answer `action` with now, or None when it can succeed (given valid input).
    `permission=False`: a follow-up step the system takes on the actor's behalf (who is not asked)."""
    if permission and not may(actor, case, action):
        return forbidden(action)
    check = PRECONDITIONS.get(action)
    early = action in _BEFORE_TABLE  # its own precondition answers before the table (e.g. "lapsed")
    if early and (error := check(actor, case)) is not None:
        return error
    try:
        target_state(case.state, action)
    except CivicError as exc:
        return exc
    return check(actor, case) if check is not None and not early else None


def can(actor, case, action: str) -> bool:
    """May `actor` take `action` on `case` now, with every precondition met? Never true for system-only steps."""
    if WHO[action] == Who.SYSTEM and not is_system(actor):
        return False
    return refusal(actor, case, action) is None


def require(actor, case, action: str, *, permission: bool = True) -> None:
    """Raise the refusal, if any (the services' check before a step)."""
    error = refusal(actor, case, action, permission=permission)
    if error is not None:
        raise error
