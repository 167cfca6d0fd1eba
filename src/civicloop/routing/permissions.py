"""Who sees routing suggestions and disputes. The rules are the cases app's: suggestions help whoever may triage or
dispatch the case (cases.permissions.may, WHO[DISPATCH]); disputes are read by district-level staff who read the
district's consultations (cases.permissions.may_see_meetings) — a consultation settles them."""

from __future__ import annotations

from civicloop.cases.constants import Action
from civicloop.cases.permissions import may, may_see_meetings
from civicloop.cases.transitions import next_state
from civicloop.orgs.scope import scope_for

from .constants import SUGGEST_STATES


def may_see_suggestions(user, case) -> bool:
    """The case (visible to `user`) waits for a triage or a dispatch, and `user` may dispatch it."""
    return case.state in SUGGEST_STATES and may(user, case, Action.DISPATCH)


def may_triage_now(user, case) -> bool:
    return next_state(case.state, Action.TRIAGE) is not None and may(user, case, Action.TRIAGE)


def may_dispatch_now(user, case) -> bool:
    """The table allows a dispatch from the case's state (a registered case is triaged first) and `user` may."""
    return next_state(case.state, Action.DISPATCH) is not None and may(user, case, Action.DISPATCH)


def may_see_disputes(user) -> bool:
    district_id = getattr(user, "district_id", None) or scope_for(user).district_id
    return bool(getattr(user, "pk", None)) and district_id is not None and may_see_meetings(user, district_id)
