"""The visits API at /api/visits/: campaigns, pairings, teams, assignment, field lists, visits, coverage."""

import datetime as dt

from ninja import Router, Schema

from civicloop.core.api import READ_ERRORS, PathId

from . import selectors

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


# ----- campaigns, pairing, teams, assignment

from ninja import Query, Status  # noqa: E402

from civicloop.core.api import WRITE_ERRORS, PageIn, paged  # noqa: E402

from . import permissions as visit_permissions  # noqa: E402
from .campaign_inputs import (  # noqa: E402
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
from .constants import CampaignState  # noqa: E402
from .services import assignment as assignment_services  # noqa: E402
from .services import campaigns as campaign_services  # noqa: E402
from .services import pairing as pairing_services  # noqa: E402
from .services import teams as team_services  # noqa: E402
from .team_rule import team_gaps  # noqa: E402


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
    team.gaps = team_gaps(team.campaign.team_rule, selectors.team_members(team))
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
