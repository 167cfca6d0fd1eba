"""Request schemas of the hall's writes, shared by both transports: `api.py` takes them as JSON bodies, `views.py`
checks the pages' forms with them (`core.pages.form_validated`). Field names are the services' keyword names;
every field has a title (validation refusals name it)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from civicloop.core.api import NOT_BLANK, Count, Day, Id

from .constants import MAX_TEXT, Ballot, Choice, OutcomeKind, TopicOrigin

MAX_HOUSEHOLDS = 5000


class HallTopicIn(Schema):
    place_id: Id = Field(..., title=_("涉及范围"))
    title: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("议题"))
    body: str = Field("", max_length=MAX_TEXT, title=_("议题说明"))
    origin: TopicOrigin = Field(TopicOrigin.COMMITTEE, title=_("提出方"))
    proposer: str = Field("", max_length=100, title=_("提议人"))


class PostIn(Schema):
    body: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK, title=_("发言内容"))
    speaker: str = Field("", max_length=100, title=_("发言人"))


class HideIn(Schema):
    reason: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("隐藏理由"))


class HallMeetingIn(Schema):
    title: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("会议名称"))
    date: Day = Field(..., title=_("会议日期"))
    agenda: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK, title=_("会议议程"))
    location: str = Field("", max_length=200, title=_("会议地点"))


class MeetingHeldIn(Schema):
    minutes: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK, title=_("会议纪要"))
    household_ids: list[Id] = Field([], max_length=MAX_HOUSEHOLDS, title=_("参会住户"))
    attendees_other: Count = Field(0, le=10000, title=_("其他参会人数"))


class VoteIn(Schema):
    place_id: Id = Field(..., title=_("表决范围"))
    question: str = Field(..., max_length=300, pattern=NOT_BLANK, title=_("表决事项"))
    proposal: str = Field("", max_length=MAX_TEXT, title=_("方案内容"))
    rule_code: str = Field(..., max_length=30, pattern=r"^[a-z0-9_-]+$", title=_("表决规则"))
    ballot: Ballot = Field(Ballot.OPEN, title=_("表决方式"))
    closes_at: dt.datetime = Field(..., title=_("截止时间"))


class BallotIn(Schema):
    """A grid worker's ballot for a household they verified in person (the API), or a household's own with the
    last four digits of its phone (the residents' page)."""

    household_code: str = Field(..., max_length=60, pattern=NOT_BLANK, title=_("户编码"))
    choice: Choice = Field(..., title=_("表决意见"))
    phone_last4: str = Field("", max_length=4, pattern=r"^[0-9]{0,4}$", title=_("手机号后四位"))


class OutcomeIn(Schema):
    """case: nothing more; task: plan_id, owner_unit_id, due; convention: convention_id (a new version) or
    convention_title (a new convention), effective_from."""

    kind: OutcomeKind = Field(..., title=_("结果去向"))
    plan_id: Id | None = Field(None, title=_("所属计划"))
    owner_unit_id: Id | None = Field(None, title=_("责任单位"))
    due: Day | None = Field(None, title=_("完成期限"))
    convention_id: Id | None = Field(None, title=_("微规约"))
    convention_title: str = Field("", max_length=200, title=_("规约名称"))
    effective_from: Day | None = Field(None, title=_("生效日期"))


class ConventionIn(Schema):
    place_id: Id = Field(..., title=_("适用范围"))
    title: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("规约名称"))
    text: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK, title=_("规约内容"))
    effective_from: Day = Field(..., title=_("生效日期"))
