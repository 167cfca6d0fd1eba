"""The volunteer's own proof for the self-service pages (no account, as the portal's reporters): their member code
(the person record's code on their card) and the last four digits of the phone on file, limited per code and per
client address, held in the browser's session for PROOF_SECONDS (the session key cycled)."""

from __future__ import annotations

import re
import time

from civicloop.core.errors import CivicError
from civicloop.core.ratelimit import rate_limit_hit

from ..constants import (
    PROOF_LIMIT_CLIENT,
    PROOF_LIMIT_CODE,
    PROOF_SECONDS,
    PROOF_SESSION_KEY,
    VolunteerAuditAction,
)
from ..error_codes import VolunteerErrorCode
from ..models import Member
from ._common import audit


def volunteer_prove(*, request, client: str, code: str, phone_last4: str) -> Member:
    code = code.strip().upper()
    rate_limit_hit(f"volunteers:proof:code:{code}", limit=PROOF_LIMIT_CODE[0], window=PROOF_LIMIT_CODE[1])
    rate_limit_hit(f"volunteers:proof:ip:{client}", limit=PROOF_LIMIT_CLIENT[0], window=PROOF_LIMIT_CLIENT[1])
    member = Member.objects.select_related("person").filter(person__code=code, active=True).first()
    digits = re.sub(r"\D", "", member.person.phone) if member is not None else ""
    if member is None or len(digits) < 4 or digits[-4:] != phone_last4:
        raise CivicError(VolunteerErrorCode.PROOF_FAILED)  # an unknown code answers the same
    request.session[PROOF_SESSION_KEY] = {str(member.pk): int(time.time()) + PROOF_SECONDS}
    request.session.cycle_key()
    audit(None, VolunteerAuditAction.PROOF, member, member=member)
    return member


def volunteer_forget(*, request) -> None:
    request.session.pop(PROOF_SESSION_KEY, None)
