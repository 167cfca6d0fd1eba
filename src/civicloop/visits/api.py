"""The visits API at /api/visits/: campaigns, pairings, teams, assignment, field lists, visits, coverage."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from civicloop.core.api import READ_ERRORS, PathId, paged

from . import selectors
from .coverage import CoverageQuery, UnvisitedPageQuery

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
    _campaign, cov, progress = selectors.coverage_overview_for(request.user, campaign_id, filters.area())
    return {
        "total": _row(cov.total, name=""),
        "groups": [_row(r, group=r.key, percent=r.percent) for r in cov.groups],
        "streets": [_row(r) for r in cov.streets],
        "communities": [_row(r, street_id=r.street_id) for r in cov.communities],
        "teams": [_row(r) for r in cov.teams],
        "progress": _progress(progress),
    }


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
