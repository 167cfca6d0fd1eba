"""The assessment API at /api/assess/: indicator sets and indicators, evaluation runs, entries, scores with
their provenance, comparison of two runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, PageIn, PathId, paged

from . import selectors
from .evaluation import TERM_LABELS
from .inputs import EntriesIn, FindingIn, IndicatorIn, RecheckIn, RoundIn, RunIn, SetIn
from .services import inspections as inspection_services
from .services import runs as run_services
from .services import sets as set_services

router = Router(tags=["assess"])


class SetOut(Schema):
    id: int
    code: str
    version: int
    name: str
    unit_group: str
    frozen: bool


class IndicatorOut(Schema):
    id: int
    dimension: str
    code: str
    name: str
    kind: str
    metric: str
    channel: str
    category_code: str
    weight: Decimal
    rule: str
    direction: str
    target: Decimal | None
    floor: Decimal | None
    cap: Decimal | None
    per_item: Decimal | None
    factor_minor: Decimal = Field(..., description="a deduction: how many items one minor inspection finding counts as")
    factor_major: Decimal
    factor_serious: Decimal

    @staticmethod
    def resolve_dimension(obj) -> str:
        return obj.dimension.name


class SetDetailOut(SetOut):
    indicators: list[IndicatorOut]


class SetPage(Schema):
    count: int
    items: list[SetOut]


@router.get("/sets", response={200: SetPage, **READ_ERRORS})
def set_list(request, page: Query[PageIn]):
    return paged(selectors.sets_for(request.user), page)


@router.post("/sets", response={201: SetOut, **WRITE_ERRORS})
def set_create(request, payload: SetIn):
    """A new set (the next version when the code exists), empty or from a shipped template."""
    return Status(201, set_services.set_create(actor=request.user, **payload.dict()))


def _set_detail(user, s) -> dict:
    fields = ("id", "code", "version", "name", "unit_group", "frozen")
    return {**{f: getattr(s, f) for f in fields}, "indicators": selectors.set_indicators(user, s)}


@router.get("/sets/{set_id}", response={200: SetDetailOut, **READ_ERRORS})
def set_detail(request, set_id: PathId):
    return _set_detail(request.user, selectors.set_get_for(request.user, set_id))


@router.post("/sets/{set_id}/versions", response={201: SetOut, **WRITE_ERRORS})
def set_version(request, set_id: PathId):
    """A copy of the set as its next version (where a frozen set's changes go)."""
    return Status(201, set_services.set_new_version(actor=request.user, set_id=set_id))


@router.post("/sets/{set_id}/indicators", response={201: IndicatorOut, **WRITE_ERRORS})
def indicator_create(request, set_id: PathId, payload: IndicatorIn):
    """409 `set_frozen` once an evaluation was computed on the set."""
    return Status(201, set_services.indicator_save(actor=request.user, set_id=set_id, **payload.dict()))


@router.put("/indicators/{indicator_id}", response={200: IndicatorOut, **WRITE_ERRORS})
def indicator_update(request, indicator_id: PathId, payload: IndicatorIn):
    """409 `set_frozen` once an evaluation was computed on the set."""
    indicator = selectors.indicator_get_for(request.user, indicator_id)
    return set_services.indicator_save(actor=request.user, set_id=indicator.indicator_set_id,
                                       indicator_id=indicator.pk, **payload.dict())


@router.delete("/indicators/{indicator_id}", response={204: None, **WRITE_ERRORS})
def indicator_delete(request, indicator_id: PathId):
    selectors.indicator_get_for(request.user, indicator_id)
    set_services.indicator_delete(actor=request.user, indicator_id=indicator_id)
    return Status(204, None)


# ----- runs


class RunOut(Schema):
    id: int
    set_id: int
    name: str
    start: dt.date
    end: dt.date
    state: str
    computed_at: dt.datetime | None
    published_at: dt.datetime | None

    @staticmethod
    def resolve_set_id(obj) -> int:
        return obj["set_id"] if isinstance(obj, dict) else obj.indicator_set_id


class RunPage(Schema):
    count: int
    items: list[RunOut]


class ResultOut(Schema):
    unit_id: int
    unit: str
    total: Decimal
    full: Decimal
    rank: int
    medal: str
    by_dimension: dict[str, Decimal]

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name


class RunDetailOut(RunOut):
    results: list[ResultOut]


@router.get("/runs", response={200: RunPage, **READ_ERRORS})
def run_list(request, page: Query[PageIn]):
    return paged(selectors.runs_for(request.user), page)


@router.post("/runs", response={201: RunOut, **WRITE_ERRORS})
def run_create(request, payload: RunIn):
    return Status(201, run_services.run_create(actor=request.user, **payload.dict()))


@router.get("/runs/{run_id}", response={200: RunDetailOut, **READ_ERRORS})
def run_detail(request, run_id: PathId):
    """The run and its ranking (a unit's staff: their own unit's result alone)."""
    run = selectors.run_get_for(request.user, run_id)
    fields = ("id", "name", "start", "end", "state", "computed_at", "published_at")
    return {**{f: getattr(run, f) for f in fields}, "set_id": run.indicator_set_id,
            "results": selectors.run_results_for(request.user, run)}


@router.post("/runs/{run_id}/compute", response={200: RunOut, **WRITE_ERRORS})
def run_compute(request, run_id: PathId):
    """Compute every score again (a draft); freezes the set. 409 `run_published` once published."""
    return run_services.run_compute(actor=request.user, run_id=run_id)


@router.post("/runs/{run_id}/publish", response={200: RunOut, **WRITE_ERRORS})
def run_publish(request, run_id: PathId):
    """409 `run_not_computed` before it was computed (or after entries changed); `run_published` a second time."""
    return run_services.run_publish(actor=request.user, run_id=run_id)


class EntriesOut(Schema):
    saved: int


@router.put("/runs/{run_id}/entries", response={200: EntriesOut, **WRITE_ERRORS})
def entries_save(request, run_id: PathId, payload: EntriesIn):
    """Subjective values of a draft run (value null removes one); the run must be computed again."""
    count = run_services.entries_save(actor=request.user, run_id=run_id, entries=[e.dict() for e in payload.entries])
    return {"saved": count}


class TermOut(Schema):
    term: str
    label: str
    points: Decimal


class DrillOut(Schema):
    part: str
    count: int | None
    url: str


class ScoreOut(Schema):
    id: int
    run_id: int
    unit_id: int
    indicator_id: int
    indicator: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    points: Decimal
    full: Decimal
    terms: list[TermOut]
    inputs: dict
    cases: list[DrillOut] = Field(..., description="the dashboard's lists behind the figure (same filters)")


@router.get("/scores/{score_id}", response={200: ScoreOut, **READ_ERRORS})
def score_detail(request, score_id: PathId):
    """A score's provenance: value, parts, the rule's terms (they add up to `points`), inputs, the cases behind."""
    s = selectors.score_get_for(request.user, score_id)
    return {"id": s.pk, "run_id": s.run_id, "unit_id": s.unit_id, "indicator_id": s.indicator_id,
            "indicator": s.indicator.name, "value": s.value, "numerator": s.numerator, "denominator": s.denominator,
            "points": s.points, "full": s.full, "inputs": s.inputs,
            "terms": [{"term": t, "label": str(TERM_LABELS.get(t, t)), "points": Decimal(p)} for t, p in s.terms],
            "cases": [{"part": d["part"], "count": d["count"], "url": d["url"]} for d in selectors.drill_links(s)]}


class CompareOut(Schema):
    unit_id: int
    unit: str
    total: Decimal
    rank: int
    before_total: Decimal | None
    before_rank: int | None
    change: Decimal | None
    rank_change: int | None


@router.get("/runs/{run_id}/compare/{other_id}", response={200: list[CompareOut], **READ_ERRORS})
def run_compare(request, run_id: PathId, other_id: PathId):
    """Each unit of the run beside its result in another run (another period)."""
    run = selectors.run_get_for(request.user, run_id)
    other = selectors.run_get_for(request.user, other_id)
    return [{"unit_id": r["result"].unit_id, "unit": r["result"].unit.name, "total": r["result"].total,
             "rank": r["result"].rank, "before_total": r["before"].total if r["before"] else None,
             "before_rank": r["before"].rank if r["before"] else None, "change": r["change"],
             "rank_change": r["rank_change"]} for r in selectors.compare_runs(request.user, run, other)]


# ----- inspections


class RoundOut(Schema):
    id: int
    name: str
    kind: str
    start: dt.date
    end: dt.date
    state: str
    route: str


class RoundPage(Schema):
    count: int
    items: list[RoundOut]


class FindingOut(Schema):
    id: int
    round_id: int = Field(..., alias="inspection_round_id")
    street_id: int
    place_id: int
    indicator_id: int | None
    severity: str
    description: str
    found_on: dt.date
    case_id: int | None
    status: str
    recheck: str

    @staticmethod
    def resolve_description(obj) -> str:
        return getattr(obj, "shown_description", None) or ""  # masked for a viewer without the right (selectors)


@router.get("/rounds", response={200: RoundPage, **READ_ERRORS})
def round_list(request, page: Query[PageIn]):
    return paged(selectors.rounds_for(request.user), page)


@router.post("/rounds", response={201: RoundOut, **WRITE_ERRORS})
def round_create(request, payload: RoundIn):
    return Status(201, inspection_services.round_create(actor=request.user, **payload.dict()))


@router.post("/rounds/{round_id}/findings", response={201: FindingOut, **WRITE_ERRORS})
def finding_create(request, round_id: PathId, payload: FindingIn):
    """A finding on an open round (its members, the district's administrators); with `rectify`, exactly one
    rectification case is registered (channel citizen_inspection). 409 `round_closed`."""
    finding = inspection_services.finding_record(actor=request.user, round_id=round_id, **payload.dict())
    return Status(201, _finding(request.user, finding.pk))


@router.get("/findings/{finding_id}", response={200: FindingOut, **READ_ERRORS})
def finding_detail(request, finding_id: PathId):
    return _finding(request.user, finding_id)


def _finding(user, finding_id: int):
    return selectors.findings_shown(user, [selectors.finding_get_for(user, finding_id)])[0]


@router.post("/findings/{finding_id}/recheck", response={200: FindingOut, **WRITE_ERRORS})
def finding_recheck(request, finding_id: PathId, payload: RecheckIn):
    """Confirm a fixed finding, or (not passed) reopen its case. 409 `finding_not_rectified` /
    `finding_not_rectifiable`."""
    inspection_services.finding_recheck(actor=request.user, finding_id=finding_id, **payload.dict())
    return _finding(request.user, finding_id)
