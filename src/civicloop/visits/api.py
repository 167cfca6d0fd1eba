"""The visits API at /api/visits/: campaigns, pairings, teams, assignment, field lists, visits, coverage."""

import datetime as dt
import hashlib
import json
import uuid

import pydantic_core
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from ninja import Field, Query, Router, Schema, Status

from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, PageIn, PathId, paged, plain, plain_json

from . import field_list_cache, selectors
from . import permissions as visit_permissions
from .campaign_inputs import (
    AssignByHandIn,
    CampaignIn,
    CampaignUpdateIn,
    MemberIn,
    PairingIn,
    TeamIn,
    TeamUpdateIn,
    TopicIn,
    TopicUpdateIn,
)
from .constants import CampaignState
from .coverage import CoverageQuery, UnvisitedPageQuery
from .services import assignment as assignment_services
from .services import campaigns as campaign_services
from .services import pairing as pairing_services
from .services import teams as team_services
from .services.records import visit_record
from .team_rule import team_gaps
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

class VisitCaseRefOut(Schema):
    id: int
    tracking_code: str


class VisitOut(Schema):
    id: int
    client_id: uuid.UUID
    subject_id: int
    created: bool
    cases: list[VisitCaseRefOut]


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
    cases: list[VisitCaseRefOut]

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


class FieldMemberOut(Schema):
    id: int
    name: str
    role: str
    role_label: str


class ChoiceOut(Schema):
    value: str
    label: str


class FieldTopicOut(Schema):
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
    members: list[FieldMemberOut]
    topics: list[FieldTopicOut]
    methods: list[ChoiceOut]
    satisfactions: list[ChoiceOut]
    subjects: list[FieldSubjectOut]
    generated_at: dt.datetime


def _field_list_body(actor, team) -> tuple[bytes, str]:
    """The field list's body without `generated_at`, and its weak ETag."""
    data = selectors.field_list_for(actor, team.pk, team=team)
    # Thousands of subjects: written out from the selector's plain rows. Validating each row again through the
    # schema took longer than reading them (docs/benchmarks.md); the schema documents the body, and
    # tests/test_field_list.py holds the body to it.
    body = plain(FieldListOut, data)
    body.pop("generated_at")
    payload = pydantic_core.to_json(body)  # UTF-8, dates in ISO 8601 (as DjangoJSONEncoder wrote), ~10× faster
    # weak: the bytes differ by `generated_at`, the list is the same
    return payload, f'W/"{hashlib.blake2b(payload, digest_size=16).hexdigest()}"'


@router.get("/teams/{team_id}/field-list", response={200: FieldListOut, 304: None, **READ_ERRORS})
def team_field_list(request, team_id: PathId):
    """A team's field list, in walk order, for its members (and readers who may see the team: their territory's
    subjects): what the offline field app caches.

    Conditional: the answer carries an `ETag` (a digest of the list as this viewer reads it, in their language,
    `generated_at` left out); a request whose `If-None-Match` names it gets 304 Not Modified and no body — the
    phone keeps its copy, as fresh as a new one. The body is kept on the server per team, viewer's view and
    language while the team's version (kept by database triggers) stays the same (`field_list_cache`)."""
    # out of sight: not found, before anything kept is read
    payload, etag = field_list_cache.body(request.user, team_id,
                                          team_get=lambda: selectors.team_get_for(request.user, team_id),
                                          build=lambda team: _field_list_body(request.user, team))
    generated_at = timezone.now()  # the list is as it stands now: the version it was built at is the current one
    stamp = json.dumps(DjangoJSONEncoder().default(generated_at)).encode()
    response = HttpResponse(payload[:-1] + b',"generated_at":' + stamp + b"}", content_type="application/json")
    response["ETag"] = etag
    # personal data: kept by this browser only, and asked again (If-None-Match) before each use
    response["Cache-Control"] = "private, no-cache"
    return get_conditional_response(request, etag=etag, response=response)


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


# ----- campaigns, pairing, teams, assignment





class NamedOut(Schema):
    id: int
    name: str


class SeatOut(Schema):
    seat: str
    label: str
    roles: list[str]
    min: int


class CampaignDetailOut(CampaignOut):
    """A campaign with its scope and rule, and what the viewer may do now (the services' own predicates)."""

    units: list[NamedOut]
    areas: list[NamedOut]
    team_rule: list[SeatOut]
    may_manage: bool
    may_start: bool
    start_blocked_by: list[str]  # why it cannot start (empty when it can, or when it is not a draft)
    may_close: bool
    may_assign: bool

    @staticmethod
    def resolve_units(obj) -> list[dict]:
        return [{"id": u.pk, "name": u.name} for u in obj.units.all()]

    @staticmethod
    def resolve_areas(obj) -> list[dict]:
        return [{"id": p.pk, "name": p.name} for p in obj.areas.all()]


def _campaign_detail(request, campaign) -> object:
    manager = visit_permissions.may_manage_campaign(request.user, campaign)
    gaps = campaign_services.campaign_start_gaps(campaign) if manager and campaign.state == CampaignState.DRAFT else []
    campaign.may_manage = manager
    campaign.may_start = manager and campaign.state == CampaignState.DRAFT and not gaps
    campaign.start_blocked_by = gaps
    campaign.may_close = manager and visit_permissions.campaign_may_close(campaign)
    campaign.may_assign = manager and visit_permissions.campaign_may_assign(campaign)
    return campaign


class AssignmentOut(Schema):
    """The counts of an assignment run (also kept in its audit row)."""

    subjects: int
    created: int
    deleted: int
    regrouped: int
    kept: int  # visited or assigned by hand: left where they were
    moved: int
    rewalked: int  # given their walk key again (a room renumbered, an enterprise renamed or moved)
    unassigned: int


class TopicOut(Schema):
    id: int
    campaign_id: int
    title: str
    leader_id: int
    leader: str
    description: str

    @staticmethod
    def resolve_leader(obj) -> str:
        return str(obj.leader)


class MemberOut(Schema):
    id: int
    team_id: int
    role: str
    role_label: str
    name: str
    user_id: int | None
    person_id: int | None
    recorder: bool

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user or obj.person)


class TeamOut(Schema):
    id: int
    campaign_id: int
    name: str
    unit_id: int
    unit: str
    active: bool
    complete: bool  # fills the campaign's team rule and has its recorder
    missing: list[str]  # what it lacks, one text per seat ("律师 1 名")
    subject_count: int  # its subjects in the viewer's sight
    members: list[MemberOut]

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_complete(obj) -> bool:
        return not obj.gaps

    @staticmethod
    def resolve_missing(obj) -> list[str]:
        return obj.gaps

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())


def _team_out(request, team):
    """One team as TeamOut wants it (its gaps and subject count computed)."""
    team.gaps = team_gaps(team.campaign.team_rule, selectors.team_member_rows(team))
    team.subject_count = selectors.team_subject_counts(request.user, team.campaign).get(team.pk, 0)
    return team


class PairingOut(Schema):
    id: int
    party_org_id: int
    party_org: str
    target: str
    target_label: str
    target_id: int
    target_code: str
    target_name: str

    @staticmethod
    def resolve_party_org(obj) -> str:
        return obj.party_org.name

    @staticmethod
    def resolve_target_label(obj) -> str:
        return str(obj.get_target_display())

    @staticmethod
    def resolve_target_id(obj) -> int:
        return obj.park_building_id or obj.place_id

    @staticmethod
    def resolve_target_code(obj) -> str:
        return (obj.park_building or obj.place).code

    @staticmethod
    def resolve_target_name(obj) -> str:
        return (obj.park_building or obj.place).name


class PairingPage(Schema):
    count: int
    items: list[PairingOut]


class UnpairedItemOut(Schema):
    id: int
    code: str
    name: str
    street: str

    @staticmethod
    def resolve_street(obj) -> str:
        return obj.street.name if obj.street_id else ""


class UnpairedOut(Schema):
    """Park buildings and communities in the viewer's sight that no party organisation is paired with (a
    community counts as paired when one of its compounds is). Lists hold at most 500 of each; counts are all."""

    park_buildings_count: int
    park_buildings: list[UnpairedItemOut]
    communities_count: int
    communities: list[UnpairedItemOut]


class AssignedOut(Schema):
    assigned: int


@router.post("/campaigns", response={201: CampaignOut, **WRITE_ERRORS}, summary="Create a draft campaign")
def campaign_create(request, payload: CampaignIn):
    return Status(201, campaign_services.campaign_create(actor=request.user, **payload.dict()))


@router.get("/campaigns/{campaign_id}/detail", response={200: CampaignDetailOut, **READ_ERRORS},
            summary="A campaign with its scope, rule and the steps the viewer may take now")
def campaign_detail_full(request, campaign_id: PathId):
    campaign = selectors.campaign_get_for(request.user, campaign_id)
    return _campaign_detail(request, campaign)


@router.post("/campaigns/{campaign_id}", response={200: CampaignOut, **WRITE_ERRORS}, summary="Change a campaign")
def campaign_update(request, campaign_id: PathId, payload: CampaignUpdateIn):
    return campaign_services.campaign_update(actor=request.user, campaign_id=campaign_id,
                                             **payload.dict(exclude_unset=True))


@router.post("/campaigns/{campaign_id}/start", response={200: AssignmentOut, **WRITE_ERRORS},
             summary="Start a draft campaign: subjects built and assigned")
def campaign_start(request, campaign_id: PathId):
    return campaign_services.campaign_start(actor=request.user, campaign_id=campaign_id)


@router.post("/campaigns/{campaign_id}/close", response={200: CampaignOut, **WRITE_ERRORS}, summary="Close a running campaign")
def campaign_close(request, campaign_id: PathId):
    return campaign_services.campaign_close(actor=request.user, campaign_id=campaign_id)


@router.post("/campaigns/{campaign_id}/assign", response={200: AssignmentOut, **WRITE_ERRORS},
             summary="Run the assignment again (visits and hand assignments kept)")
def assignment_run(request, campaign_id: PathId):
    return assignment_services.assignment_run(actor=request.user, campaign_id=campaign_id)


@router.post("/campaigns/{campaign_id}/assign-by-hand", response={200: AssignedOut, **WRITE_ERRORS},
             summary="Give subjects to a team by hand (pinned)")
def assign_by_hand(request, campaign_id: PathId, payload: AssignByHandIn):
    return {"assigned": assignment_services.assign_by_hand(actor=request.user, campaign_id=campaign_id,
                                                           **payload.dict())}


class UnpinnedOut(Schema):
    id: int
    team_id: int | None
    assigned_by_hand: bool


@router.post("/subjects/{subject_id}/unpin", response={200: UnpinnedOut, **WRITE_ERRORS},
             summary="Release a subject assigned by hand to the assignment runs")
def subject_unpin(request, subject_id: PathId):
    return assignment_services.subject_unpin(actor=request.user, subject_id=subject_id)


@router.get("/campaigns/{campaign_id}/topics", response={200: list[TopicOut], **READ_ERRORS}, summary="Research topics")
def topic_list(request, campaign_id: PathId):
    campaign = selectors.campaign_get_for(request.user, campaign_id)
    return list(selectors.campaign_topics(request.user, campaign))


@router.post("/campaigns/{campaign_id}/topics", response={201: TopicOut, **WRITE_ERRORS}, summary="Add a research topic")
def topic_create(request, campaign_id: PathId, payload: TopicIn):
    return Status(201, campaign_services.topic_create(actor=request.user, campaign_id=campaign_id, **payload.dict()))


@router.post("/topics/{topic_id}", response={200: TopicOut, **WRITE_ERRORS}, summary="Change a research topic")
def topic_update(request, topic_id: PathId, payload: TopicUpdateIn):
    return campaign_services.topic_update(actor=request.user, topic_id=topic_id, **payload.dict(exclude_unset=True))


@router.get("/campaigns/{campaign_id}/teams", response={200: list[TeamOut], **READ_ERRORS},
            summary="A campaign's teams, their members and composition status")
def team_list(request, campaign_id: PathId):
    campaign = selectors.campaign_get_for(request.user, campaign_id)
    return selectors.campaign_teams(request.user, campaign)


@router.post("/campaigns/{campaign_id}/teams", response={201: TeamOut, **WRITE_ERRORS}, summary="Form a team")
def team_create(request, campaign_id: PathId, payload: TeamIn):
    team = team_services.team_create(actor=request.user, campaign_id=campaign_id, **payload.dict())
    return Status(201, _team_out(request, selectors.team_get_for(request.user, team.pk)))


@router.get("/teams/{team_id}", response={200: TeamOut, **READ_ERRORS}, summary="One team")
def team_detail(request, team_id: PathId):
    return _team_out(request, selectors.team_get_for(request.user, team_id))


@router.post("/teams/{team_id}", response={200: TeamOut, **WRITE_ERRORS}, summary="Rename, change unit, switch on or off")
def team_update(request, team_id: PathId, payload: TeamUpdateIn):
    team_services.team_update(actor=request.user, team_id=team_id, **payload.dict(exclude_unset=True))
    return _team_out(request, selectors.team_get_for(request.user, team_id))


@router.post("/teams/{team_id}/members", response={201: MemberOut, **WRITE_ERRORS}, summary="Add a member")
def member_add(request, team_id: PathId, payload: MemberIn):
    return Status(201, team_services.member_add(actor=request.user, team_id=team_id, **payload.dict()))


@router.post("/members/{member_id}/remove", response={204: None, **WRITE_ERRORS}, summary="Take a member off a team")
def member_remove(request, member_id: PathId):
    team_services.member_remove(actor=request.user, member_id=member_id)
    return Status(204, None)


@router.post("/members/{member_id}/recorder", response={200: MemberOut, **WRITE_ERRORS},
             summary="Make this member the team's recorder")
def member_set_recorder(request, member_id: PathId):
    return team_services.member_set_recorder(actor=request.user, member_id=member_id)


@router.get("/pairings", response={200: PairingPage, **READ_ERRORS}, summary="The district's pairings (结对)")
def pairing_list(request, page: Query[PageIn]):
    return paged(selectors.pairings_for(request.user), page)


@router.get("/pairings/unpaired", response={200: UnpairedOut, **READ_ERRORS},
            summary="Park buildings and communities nobody is paired with")
def pairing_unpaired(request):
    buildings = selectors.unpaired_park_buildings_for(request.user)
    communities = selectors.unpaired_communities_for(request.user)
    return {"park_buildings_count": buildings.count(), "park_buildings": list(buildings[:500]),
            "communities_count": communities.count(), "communities": list(communities[:500])}


@router.post("/pairings", response={201: PairingOut, **WRITE_ERRORS}, summary="Pair a party organisation")
def pairing_create(request, payload: PairingIn):
    pairing = pairing_services.pairing_create(actor=request.user, **payload.dict())
    return Status(201, selectors.pairings_for(request.user).get(pk=pairing.pk))


@router.post("/pairings/{pairing_id}/delete", response={204: None, **WRITE_ERRORS}, summary="Undo a pairing")
def pairing_delete(request, pairing_id: PathId):
    pairing_services.pairing_delete(actor=request.user, pairing_id=pairing_id)
    return Status(204, None)


# ----- coverage


class CoverageRowOut(Schema):
    """Visited / subjects / target (ceil of each group's percent, summed) / rate, and the key-group subjects
    still unvisited (the length of GET …/unvisited with the same filter)."""

    id: int | None = Field(None, description="the street's, community's or team's id; null: no community / no team")
    name: str
    subjects: int
    visited: int
    target: int
    rate: float | None
    met: bool
    key_unvisited: int


class GroupRowOut(CoverageRowOut):
    group: str
    percent: int | None


class CommunityRowOut(CoverageRowOut):
    street_id: int | None


class DayOut(Schema):
    day: dt.date
    visits: int
    first_visits: int
    visited: int


class ProgressOut(Schema):
    subjects: int
    target: int
    days: list[DayOut]


class CoverageOut(Schema):
    total: CoverageRowOut
    groups: list[GroupRowOut]
    streets: list[CoverageRowOut]
    communities: list[CommunityRowOut]
    teams: list[CoverageRowOut]
    progress: ProgressOut


class UnvisitedOut(Schema):
    id: int
    kind: str
    kind_label: str
    group: str
    group_label: str
    label: str
    contact: str
    phone: str
    street: str
    community: str
    team: str


class UnvisitedPage(Schema):
    count: int
    items: list[UnvisitedOut]


def _row(row, **extra) -> dict:
    return {"id": row.key if not isinstance(row.key, str) else None, "name": row.label, "subjects": row.subjects,
            "visited": row.visited, "target": row.target, "rate": row.rate, "met": row.met,
            "key_unvisited": row.key_unvisited, **extra}


def _progress(progress) -> dict:
    return {"subjects": progress.subjects, "target": progress.target, "days": [vars(d) for d in progress.days]}


@router.get("/campaigns/{campaign_id}/coverage", response={200: CoverageOut, **READ_ERRORS},
            summary="A campaign's coverage by group, street, community, team and day")
def campaign_coverage(request, campaign_id: PathId, filters: Query[CoverageQuery]):
    # hundreds of rows (communities, teams, days) built here as plain data: written without validating them again
    # (decision 62); tests/test_coverage.py holds the body to the schema. The body is kept as bytes with the
    # campaign's coverage version (selectors.coverage_overview_shaped).
    def body(cov, progress) -> bytes:
        return plain_json(CoverageOut, {
            "total": _row(cov.total, name=""),
            "groups": [_row(r, group=r.key, percent=r.percent) for r in cov.groups],
            "streets": [_row(r) for r in cov.streets],
            "communities": [_row(r, street_id=r.street_id) for r in cov.communities],
            "teams": [_row(r) for r in cov.teams],
            "progress": _progress(progress),
        })

    _campaign, payload = selectors.coverage_overview_shaped(request.user, campaign_id, filters.area(), shape=body,
                                                            shape_name="api")
    return HttpResponse(payload, content_type="application/json")


@router.get("/campaigns/{campaign_id}/progress", response={200: ProgressOut, **READ_ERRORS},
            summary="Visits, first visits and subjects visited so far, per day")
def campaign_progress(request, campaign_id: PathId, filters: Query[CoverageQuery]):
    return _progress(selectors.progress_for(request.user, campaign_id, filters.area()))


@router.get("/campaigns/{campaign_id}/unvisited", response={200: UnvisitedPage, **READ_ERRORS},
            summary="Key-group subjects not yet visited (masked), filtered and sorted")
def campaign_unvisited(request, campaign_id: PathId, filters: Query[UnvisitedPageQuery]):
    qs = selectors.unvisited_for(request.user, campaign_id, filters.area(), group=filters.group, sort=filters.sort)
    page = paged(qs, filters)
    return {"count": page["count"], "items": [vars(r) for r in selectors.unvisited_rows(request.user, page["items"])]}
