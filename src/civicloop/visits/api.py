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
