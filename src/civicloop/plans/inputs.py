"""Request schemas of the plans writes, shared by both transports: `api.py` takes them as JSON bodies,
`views.py` validates the pages' forms with them. Field names are the services' keyword names, so
`payload.dict()` is passed as is. Every field has a title (validation refusals name it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import BeforeValidator, StrictInt

from civicloop.core.api import NOT_BLANK, Id

from .constants import MAX_WEIGHT, LetterKind, LinkKind, PlanKind
from .services.letters import MAX_TARGETS
from .services.reports import MAX_TEXT


def _date_text(value):
    """A date comes as "YYYY-MM-DD" text (JSON has no date type): a number is not a date."""
    if isinstance(value, int | float):
        raise ValueError("a date is written as YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_date_text)]
Year = Annotated[StrictInt, Field(ge=2000, le=2100)]


class PlanIn(Schema):
    title: str = Field(..., max_length=120, pattern=NOT_BLANK, title=_("名称"))
    kind: PlanKind = Field(PlanKind.ANNUAL, title=_("类型"))
    year: Year = Field(..., title=_("年度"))
    start: Day = Field(..., title=_("开始日期"))
    end: Day = Field(..., title=_("结束日期"))
    owner_unit_id: Id = Field(..., title=_("牵头单位"))
    description: str = Field("", max_length=2000, title=_("说明"))


class GoalIn(Schema):
    plan_id: Id = Field(..., title=_("计划"))
    title: str = Field(..., max_length=120, pattern=NOT_BLANK, title=_("目标"))
    description: str = Field("", max_length=2000, title=_("说明"))


class TaskIn(Schema):
    plan_id: Id = Field(..., title=_("计划"))
    title: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("任务"))
    owner_unit_id: Id = Field(..., title=_("责任单位"))
    due: Day = Field(..., title=_("完成时限"))
    start: Day | None = Field(None, title=_("开始日期"))
    parent_id: Id | None = Field(None, title=_("上级任务"))
    goal_id: Id | None = Field(None, title=_("目标"))
    weight: StrictInt = Field(1, ge=1, le=MAX_WEIGHT, title=_("权重"))
    description: str = Field("", max_length=2000, title=_("任务说明"))
    co_unit_ids: list[Id] = Field([], max_length=20, title=_("配合单位"))


class MilestoneIn(Schema):
    title: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("节点"))
    due: Day = Field(..., title=_("节点时限"))


class ReportIn(Schema):
    percent: StrictInt = Field(..., ge=0, le=100, title=_("进度（%）"))
    text: str = Field(..., max_length=MAX_TEXT, pattern=NOT_BLANK, title=_("进展情况"))
    on: Day | None = Field(None, title=_("报告日期"))


class LinkIn(Schema):
    kind: LinkKind = Field(..., title=_("关联类型"))
    object_id: Id = Field(..., title=_("关联编号"))


class ContactsIn(Schema):
    leader_ids: list[Id] = Field(..., max_length=3, title=_("区领导"))


class TargetIn(Schema):
    # not `title`: ninja reads a schema from any object's attributes, and a JSON string's `title` is str.title
    target: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("目标"))
    measure: str = Field("", max_length=100, title=_("目标值"))
    indicator_id: Id | None = Field(None, title=_("考核指标"))


class TargetsIn(Schema):
    unit_id: Id = Field(..., title=_("单位"))
    year: Year = Field(..., title=_("年度"))
    targets: list[TargetIn] = Field(..., max_length=MAX_TARGETS, title=_("责任目标"))


class LetterIn(Schema):
    unit_id: Id = Field(..., title=_("单位"))
    year: Year = Field(..., title=_("年度"))
    kind: LetterKind = Field(..., title=_("类型"))


class AcknowledgeIn(Schema):
    number: StrictInt = Field(..., ge=1, le=1_000_000, title=_("版本"))
