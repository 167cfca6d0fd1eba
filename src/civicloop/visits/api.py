"""The visits API at /api/visits/: campaigns, pairings, teams, assignment, field lists, visits, coverage."""

import datetime as dt
import uuid

from ninja import Field, Query, Router, Schema, Status

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, PageIn, PathId, paged

from . import selectors
from .services.records import visit_record
from .visit_input import VisitIn

router = Router(tags=["visits"])


class CampaignOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    state: str
    state_label: str
    subject_kinds: list[str]
    targets: dict[str, int]
    themes: list[str]

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS})
def campaign_list(request):
    return list(selectors.campaigns_for(request.user)[:200])


@router.get("/campaigns/{campaign_id}", response={200: CampaignOut, **READ_ERRORS})
def campaign_detail(request, campaign_id: PathId):
    return selectors.campaign_get_for(request.user, campaign_id)


# ----- visit records, field lists, subjects (records)

class CaseRefOut(Schema):
    id: int
    tracking_code: str


class VisitOut(Schema):
    id: int
    client_id: uuid.UUID
    subject_id: int
    created: bool
    cases: list[CaseRefOut]


def _visit_out(visit, created: bool) -> dict:
    cases = [{"id": p.case_id, "tracking_code": p.case.tracking_code}
             for p in visit.problems.select_related("case").order_by("position")]
    return {"id": visit.pk, "client_id": visit.client_id, "subject_id": visit.subject_id, "created": created,
            "cases": cases}


@router.post("/visits", response={200: VisitOut, 201: VisitOut, **WRITE_ERRORS})
def visit_create(request, payload: VisitIn):
    """Record a visit: its problems become cases in the same step, its follow-ups rate the cases awaiting a
    rating. 201 for a new record; 200 with the stored one when `client_id` was sent before (a retry);
    409 `subject_reassigned` when the subject is no longer the recorder's team's (nothing is saved);
    409 `campaign_state` when the campaign is not running."""
    visit, created = visit_record(actor=request.user, **payload.dict())
    return Status(201 if created else 200, _visit_out(visit, created))


class VisitFilterIn(PageIn):
    campaign: PathId | None = Field(None)
    subject: PathId | None = Field(None)
    team: PathId | None = Field(None)


class VisitRowOut(Schema):
    id: int
    client_id: uuid.UUID
    campaign_id: int
    subject_id: int
    team_id: int
    team: str
    visited_on: dt.date
    method: str
    method_label: str
    satisfaction: str
    satisfaction_label: str
    summary: str
    cases: list[CaseRefOut]

    @staticmethod
    def resolve_team(obj) -> str:
        return obj.team.name

    @staticmethod
    def resolve_method_label(obj) -> str:
        return str(obj.get_method_display())

    @staticmethod
    def resolve_satisfaction_label(obj) -> str:
        return str(obj.get_satisfaction_display())

    @staticmethod
    def resolve_cases(obj) -> list[dict]:
        return [{"id": p.case_id, "tracking_code": p.case.tracking_code} for p in obj.problems.all()]


class VisitPage(Schema):
    count: int
    items: list[VisitRowOut]


@router.get("/visits", response={200: VisitPage, **READ_ERRORS})
def visit_list(request, filters: Query[VisitFilterIn]):
    qs = selectors.visits_for(request.user, campaign_id=filters.campaign, subject_id=filters.subject,
                              team_id=filters.team)
    page = paged(qs, filters)
    return {"count": page["count"], "items": selectors.visits_shown(request.user, page["items"])}


class EarlierCaseOut(Schema):
    id: int
    tracking_code: str
    summary: str
    state: str
    state_label: str
    resolved_on: dt.date | None
    awaiting_rating: bool


class MemberOut(Schema):
    id: int
    name: str
    role: str
    role_label: str


class ChoiceOut(Schema):
    value: str
    label: str


class TopicOut(Schema):
    id: int
    title: str


class TeamRefOut(Schema):
    id: int
    name: str
    campaign_id: int
    campaign_name: str


class FieldSubjectOut(Schema):
    id: int
    kind: str
    group: str
    group_label: str
    label: str
    community: str
    compound: str
    building: str
    room: str
    visits_count: int
    last_visited_on: dt.date | None
    earlier_cases: list[EarlierCaseOut]


class FieldListOut(Schema):
    team: TeamRefOut
    members: list[MemberOut]
    topics: list[TopicOut]
    methods: list[ChoiceOut]
    satisfactions: list[ChoiceOut]
    subjects: list[FieldSubjectOut]
    generated_at: dt.datetime


@router.get("/teams/{team_id}/field-list", response={200: FieldListOut, **READ_ERRORS})
def team_field_list(request, team_id: PathId):
    """A team's field list, in walk order, for its members (and readers who may see the team: their territory's
    subjects): what the offline field app caches."""
    return selectors.field_list_for(request.user, team_id)


class CaseOutcomeOut(EarlierCaseOut):
    satisfaction: str
    satisfaction_label: str
    raised_on: dt.date


class ProblemOut(Schema):
    position: int
    description: str
    id: int
    tracking_code: str
    state: str = ""
    state_label: str = ""
    resolved_on: dt.date | None = None
    satisfaction: str = ""


class FollowUpOut(Schema):
    case_id: int
    tracking_code: str
    satisfaction: str
    satisfaction_label: str
    note: str
    rated: bool


class HistoryVisitOut(Schema):
    id: int
    campaign: str
    campaign_id: int
    team: str
    team_id: int
    topic: str
    visited_on: dt.date
    method: str
    method_label: str
    satisfaction: str
    satisfaction_label: str
    summary: str
    members: list[str]
    recorded_by: str
    problems: list[ProblemOut]
    follow_ups: list[FollowUpOut]


class SubjectOut(Schema):
    id: int
    kind: str
    group: str
    group_label: str
    campaign_id: int
    team_id: int | None
    label: str
    community: str
    compound: str
    building: str
    room: str
    head_name: str
    head_phone: str
    visits_count: int
    first_visited_on: dt.date | None
    visits: list[HistoryVisitOut]
    cases: list[CaseOutcomeOut]


@router.get("/subjects/{subject_id}", response={200: SubjectOut, **READ_ERRORS})
def subject_detail(request, subject_id: PathId):
    """A subject's history: every visit to its household or enterprise (all campaigns) and the outcome of every
    case they raised; the head's name and phone masked unless the viewer may see the household's data."""
    h = selectors.subject_history_for(request.user, subject_id)
    s = h["subject"]
    return {"id": s.pk, "kind": s.kind, "group": s.group, "group_label": str(s.get_group_display()),
            "campaign_id": s.campaign_id, "team_id": s.team_id, **h["place"], "head_name": h["head"]["name"],
            "head_phone": h["head"]["phone"], "visits_count": s.visits_count, "first_visited_on": s.first_visited_on,
            "visits": h["visits"], "cases": h["earlier_cases"]}
