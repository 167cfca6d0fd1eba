"""The reporter's details in clear: a write, because every such view is logged (core `UnmaskLog`)."""

from __future__ import annotations

from civicloop.core.selectors import first_or_not_found
from civicloop.core.services import personal_data_reveal

from ..permissions import may_unmask
from ..selectors import cases_visible_to

REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_id_number")


def case_reporter_reveal(*, actor, case_id: int, reason_code: str = "", reason: str = "") -> dict:
    """The reporter of a visible case (else NOT_FOUND) unmasked, in `selectors.case_reporter_for`'s shape, for a
    dispatcher covering the case or a handler of its lead unit (`permissions.may_unmask`, else FORBIDDEN); the
    view is logged with its reason (`reason_code`, a `core.constants.UnmaskReason`, and `reason`, the text:
    refused without them, and past the actor's hourly limit — `core.services.personal_data_reveal`). An anonymous
    reporter has nothing to reveal: nothing is logged."""
    case = first_or_not_found(cases_visible_to(actor), pk=case_id)
    allowed = may_unmask(actor, case)
    if case.reporter_anonymous and allowed:
        return {"name": "", "phone": "", "id_number": "", "anonymous": True, "masked": False}
    clear = personal_data_reveal(actor=actor, obj=case, fields=REPORTER_FIELDS, allowed=allowed,
                                 reason_code=reason_code, reason=reason)
    return {"name": clear["reporter_name"], "phone": clear["reporter_phone"], "id_number": clear["reporter_id_number"],
            "anonymous": False, "masked": False}
