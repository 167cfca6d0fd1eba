"""The routing API at /api/routing/: a case's suggestions and "use this", the jurisdiction disputes, the acceptance
rate and the district's current model."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from civicloop.cases.selectors import case_get_for
from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, ErrorOut, PathId
from civicloop.core.errors import CivicError, ErrorCode

from . import selectors, services
from .period import window
from .schemas import UseIn, WindowIn

router = Router(tags=["routing"])


class RankedOut(Schema):
    id: int
    name: str
    p: float  # the model's confidence, 0–1


class SuggestionOut(Schema):
    suggestion_id: int | None  # what "use" names; None: nothing to suggest
    model_version: int
    categories: list[RankedOut]
    units: list[RankedOut]


@router.get("/cases/{case_id}/suggestions", response={200: SuggestionOut, 409: ErrorOut, **READ_ERRORS})
def case_suggestions(request, case_id: PathId):
    """The top categories and lead units for a case waiting for triage or dispatch, for who may dispatch it (else
    404, like a case not visible). Showing it is recorded (the acceptance rate compares it with the dispatch)."""
    case = case_get_for(request.user, case_id)
    suggested = selectors.suggestions_for(request.user, case)
    if suggested is None:
        raise CivicError(ErrorCode.NOT_FOUND)
    row = services.suggestion_show(actor=request.user, case=case, suggested=suggested)
    return {"suggestion_id": row.pk if row else None, "model_version": suggested["version"],
            "categories": [{"id": c.pk, "name": str(c), "p": p} for c, p in suggested["categories"]],
            "units": [{"id": u.pk, "name": u.name, "p": p} for u, p in suggested["units"]]}


class RoutedCaseOut(Schema):
    id: int
    tracking_code: str
    state: str
    version: int
    category_id: int | None
    lead_unit_id: int | None


@router.post("/cases/{case_id}/use", response={200: RoutedCaseOut, **WRITE_ERRORS})
def case_use(request, case_id: PathId, body: UseIn):
    """"Use this": triage with the suggested category and/or dispatch to the suggested lead unit, through the cases
    services (their checks hold: scope, permission, state, dispatch targets, `expected_version`)."""
    return services.suggestion_use(actor=request.user, case_id=case_id, **body.dict())


class DisputeCaseOut(Schema):
    id: int
    tracking_code: str
    state: str
    returns: int
    redispatches: int
    units: list[str]


class JurisdictionDisputeOut(Schema):
    category_id: int | None
    category: str
    place_id: int | None
    place: str
    bounces: int
    returns: int
    redispatches: int
    case_count: int
    units: list[str]
    cases: list[DisputeCaseOut]


@router.get("/disputes", response={200: list[JurisdictionDisputeOut], 400: ErrorOut, **READ_ERRORS})
def dispute_list(request, query: Query[WindowIn]):
    """Categories and places whose cases bounced between units (returns, re-dispatches to another unit) in the
    window (default: the last 180 days), with the cases behind them — the viewer's visible cases only."""
    start, end = window(query.start, query.end)
    return selectors.disputes_for(request.user, start, end)


class AcceptanceOut(Schema):
    start: dt.date
    end: dt.date
    shown: int  # cases a suggestion was shown on
    decided: int  # dispatches that followed a suggestion
    first: int  # … to the first suggested unit
    top3: int  # … to one of the suggested units
    used: int  # … through "use this"
    rate: float | None  # first ÷ decided, %
    rate_top3: float | None


@router.get("/acceptance", response={200: AcceptanceOut, 400: ErrorOut, **READ_ERRORS})
def acceptance(request, query: Query[WindowIn]):
    """The acceptance rate of the suggestions shown in the window (default: the last 30 days) on visible cases."""
    start, end = window(query.start, query.end, default_days=30)
    return {"start": start, "end": end, **selectors.acceptance_for(request.user, start, end)}


class ModelOut(Schema):
    version: int
    fitted_at: dt.datetime
    cases: int
    seconds: float
    quality: dict


@router.get("/model", response={200: ModelOut, **READ_ERRORS})
def current_model(request):
    """The viewer's district's current model (its version, size and held-out accuracy)."""
    model = selectors.model_info(getattr(request.user, "district_id", None))
    if model is None:
        raise CivicError(ErrorCode.NOT_FOUND)
    return model
