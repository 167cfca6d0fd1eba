"""The portal's rules about the reporter. Nobody signs in: the reporter proves it is them with the secret printed
with the tracking code or the last four digits of the phone they gave (`services.portal_prove`), and the proof
holds in their browser's session for `PROOF_SECONDS`."""

from __future__ import annotations

import time

from civicloop.cases.constants import CaseState

from .constants import PROOF_SESSION_KEY


def proved(request, case_id: int) -> bool:
    """Has this browser proved, not long ago, that it is the reporter of the case?"""
    until = (request.session.get(PROOF_SESSION_KEY) or {}).get(str(case_id), 0)
    return until > time.time()


def may_rate(case) -> bool:
    """The reporter rates an answer given to them: the case is replied and not yet rated (cases.transitions)."""
    return case.state == CaseState.REPLIED


def reporter_sees_attachment(request, attachment) -> bool:
    """The files rule (civicloop.files) for a case's files: the reporter who proved it is them sees what the
    public sent (their own photos) — not the staff's evidence, whose EXIF may say where a colleague stood."""
    return attachment.uploaded_by_id is None and not attachment.metadata_kept and proved(request, attachment.owner_id)
