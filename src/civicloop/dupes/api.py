"""The dupes API at /api/dupes/: the open cases a text being registered, or a case, likely duplicates; folding them
into a case."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, PathId
from civicloop.core.errors import CivicError, ErrorCode

from . import selectors, services
from .inputs import DuplicateCheckIn, DuplicatesMergeIn
from .permissions import may_check_draft

router = Router(tags=["dupes"])


class DuplicateSuggestionOut(Schema):
    id: int
    tracking_code: str
    channel: str
    state: str
    created_at: dt.datetime
    description: str  # masked as a list shows it
    score: float
    text_similarity: float
    place: str  # constants.PlacePart
    days: int
    reason: str  # "同一楼栋，3天前，相似度0.82"
    may_merge_here: bool


def _out(suggestions) -> list[dict]:
    return [{"id": s.case.pk, "tracking_code": s.case.tracking_code, "channel": s.case.channel, "state": s.case.state,
             "created_at": s.case.created_at, "description": s.case.description, "score": s.match.score,
             "text_similarity": s.match.text, "place": s.match.place, "days": s.match.days, "reason": s.reason,
             "may_merge_here": s.may_merge_here} for s in suggestions]


@router.post("/check", response={200: list[DuplicateSuggestionOut], **WRITE_ERRORS})
def check(request, payload: DuplicateCheckIn):
    """Before saving a case: the open cases in the caller's sight this text at this place likely duplicates."""
    if not may_check_draft(request.user):
        raise CivicError(ErrorCode.FORBIDDEN)
    return _out(selectors.duplicates_of_draft(request.user, **payload.dict()))


@router.get("/cases/{case_id}", response={200: list[DuplicateSuggestionOut], **READ_ERRORS})
def of_case(request, case_id: PathId):
    """The open cases a case likely duplicates (never itself; none for a closed, merged or withdrawn case)."""
    _case, suggestions = selectors.duplicates_of_case(request.user, case_id)
    return _out(suggestions)


@router.post("/cases/{case_id}/merge", response={200: list[DuplicateSuggestionOut], **WRITE_ERRORS})
def merge(request, case_id: PathId, payload: DuplicatesMergeIn):
    """Fold the given cases into this one (each through the cases merge service; all or none). Answers what is
    still suggested afterwards."""
    services.duplicates_merge(actor=request.user, case_id=case_id, duplicate_ids=payload.duplicate_ids,
                              note=payload.note)
    _case, suggestions = selectors.duplicates_of_case(request.user, case_id)
    return _out(suggestions)
