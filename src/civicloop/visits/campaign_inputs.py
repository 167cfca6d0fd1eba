"""Request schemas of the campaign, topic, pairing, team and assignment writes, shared by both transports:
`api.py` takes them as JSON bodies, `views.py` validates the pages' forms with them. Field names are the
services' keyword names, so `payload.dict()` is passed as is. Every field has a title (validation refusals name
it)."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from civicloop.core.api import NOT_BLANK, Day, Id

from .constants import MemberRole, PairingTarget, SubjectGroup, SubjectKind
from .services.assignment import MAX_BY_HAND
from .services.campaigns import MAX_SCOPE_ITEMS, MAX_THEME_LENGTH, MAX_THEMES
from .team_rule import MAX_SEAT_MIN, MAX_SEATS

Theme = Annotated[str, Field(max_length=MAX_THEME_LENGTH)]
Percent = Annotated[StrictInt, Field(ge=0, le=100)]


class SeatIn(Schema):
    seat: str = Field("", max_length=40, title=_("席位编码"))
    label: str = Field(..., min_length=1, max_length=40, pattern=NOT_BLANK, title=_("席位名称"))
    roles: list[MemberRole] = Field(..., min_length=1, max_length=len(MemberRole), title=_("可担任的身份"))
    min: StrictInt = Field(..., ge=0, le=MAX_SEAT_MIN, title=_("最少人数"))


class CampaignIn(Schema):
    name: str = Field(..., max_length=100, pattern=NOT_BLANK, title=_("名称"))
    start: Day = Field(..., title=_("开始日期"))
    end: Day = Field(..., title=_("结束日期"))
    unit_ids: list[Id] = Field([], max_length=MAX_SCOPE_ITEMS, title=_("参与单位"))
    area_ids: list[Id] = Field([], max_length=MAX_SCOPE_ITEMS, title=_("走访范围"))
    subject_kinds: list[SubjectKind] | None = Field(None, min_length=1, max_length=len(SubjectKind), title=_("走访对象"))
    targets: dict[SubjectGroup, Percent] | None = Field(None, title=_("覆盖目标（%）"))
    themes: list[Theme] | None = Field(None, max_length=MAX_THEMES, title=_("主题（五个结合）"))
    team_rule: list[SeatIn] | None = Field(None, min_length=1, max_length=MAX_SEATS, title=_("组队规则"))


class CampaignUpdateIn(Schema):
    """Only the fields given change."""

    name: str | None = Field(None, max_length=100, pattern=NOT_BLANK, title=_("名称"))
    start: Day | None = Field(None, title=_("开始日期"))
    end: Day | None = Field(None, title=_("结束日期"))
    unit_ids: list[Id] | None = Field(None, max_length=MAX_SCOPE_ITEMS, title=_("参与单位"))
    area_ids: list[Id] | None = Field(None, max_length=MAX_SCOPE_ITEMS, title=_("走访范围"))
    subject_kinds: list[SubjectKind] | None = Field(None, min_length=1, max_length=len(SubjectKind), title=_("走访对象"))
    targets: dict[SubjectGroup, Percent] | None = Field(None, title=_("覆盖目标（%）"))
    themes: list[Theme] | None = Field(None, max_length=MAX_THEMES, title=_("主题（五个结合）"))
    team_rule: list[SeatIn] | None = Field(None, min_length=1, max_length=MAX_SEATS, title=_("组队规则"))


class TopicIn(Schema):
    title: str = Field(..., max_length=120, pattern=NOT_BLANK, title=_("课题"))
    leader_id: Id = Field(..., title=_("牵头领导"))
    description: str = Field("", max_length=2000, title=_("说明"))


class TopicUpdateIn(Schema):
    title: str | None = Field(None, max_length=120, pattern=NOT_BLANK, title=_("课题"))
    leader_id: Id | None = Field(None, title=_("牵头领导"))
    description: str | None = Field(None, max_length=2000, title=_("说明"))


class PairingIn(Schema):
    party_org_id: Id = Field(..., title=_("机关党组织"))
    target: PairingTarget = Field(..., title=_("结对对象类型"))
    target_id: Id = Field(..., title=_("结对对象"))


class TeamIn(Schema):
    name: str = Field(..., max_length=100, pattern=NOT_BLANK, title=_("名称"))
    unit_id: Id = Field(..., title=_("组队单位"))


class TeamUpdateIn(Schema):
    name: str | None = Field(None, max_length=100, pattern=NOT_BLANK, title=_("名称"))
    unit_id: Id | None = Field(None, title=_("组队单位"))
    active: StrictBool | None = Field(None, title=_("启用"))


class MemberIn(Schema):
    """A staff account (`user_id`) or a people record (`person_id`): exactly one."""

    user_id: Id | None = Field(None, title=_("工作人员"))
    person_id: Id | None = Field(None, title=_("人员"))
    role: MemberRole | None = Field(None, title=_("身份"))
    recorder: StrictBool = Field(False, title=_("记录员"))


class AssignByHandIn(Schema):
    subject_ids: list[Id] = Field(..., min_length=1, max_length=MAX_BY_HAND, title=_("走访对象"))
    team_id: Id = Field(..., title=_("走访组"))

