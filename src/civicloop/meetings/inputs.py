"""Request schemas of the meetings writes, shared by both transports: `api.py` takes them as JSON bodies,
`views.py` checks the pages' forms with them (`core.pages.form_validated`). Field names are the services' keyword
names; every field has a title (validation refusals name it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import StrictInt

from civicloop.core.api import NOT_BLANK, Count, Id
from civicloop.core.api import Day as CoreDay

from .constants import DecisionKind

MAX_TEXT = 4000
MAX_CO_UNITS = 20


# the one date-only rule (core.api.Day; its JSON schema is the one every API documents)
Day = CoreDay


class WorkMeetingIn(Schema):
    title: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("会议名称"))
    date: Day = Field(..., title=_("会议日期"))
    street_id: Id | None = Field(None, title=_("街道"))  # None: the district's meeting
    chair_id: Id | None = Field(None, title=_("主持人"))


class AgendaItemIn(Schema):
    title: str = Field(..., max_length=300, pattern=NOT_BLANK, title=_("议题"))


class ItemMinutesIn(Schema):
    minutes: str = Field(..., max_length=MAX_TEXT, title=_("会议记录"))


class MeetingDecisionIn(Schema):
    """A decision and what it becomes. task: plan_id, owner_unit_id, due; case: place_id (default: the meeting's
    street); redispatch: case_id, lead_unit_id (co_unit_ids, time_limit_days, expected_version)."""

    kind: DecisionKind = Field(..., title=_("决定类型"))
    text: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK, title=_("决定内容"))
    item_id: Id | None = Field(None, title=_("议题"))
    plan_id: Id | None = Field(None, title=_("所属计划"))
    owner_unit_id: Id | None = Field(None, title=_("责任单位"))
    due: Day | None = Field(None, title=_("完成期限"))
    place_id: Id | None = Field(None, title=_("地点"))
    case_id: Id | None = Field(None, title=_("工单"))
    lead_unit_id: Id | None = Field(None, title=_("承办单位"))
    co_unit_ids: list[Id] = Field([], max_length=MAX_CO_UNITS, title=_("协办单位"))
    time_limit_days: StrictInt | None = Field(None, ge=1, le=365, title=_("办理时限（工作日）"))
    expected_version: Count | None = Field(None, title=_("版本"))
