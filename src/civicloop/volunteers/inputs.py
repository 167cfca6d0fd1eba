"""Request schemas of the volunteers writes, shared by both transports: `api.py` takes them as JSON bodies,
`views.py` checks the pages' forms with them (`core.pages.form_validated`). Field names are the services' keyword
names; every field has a title (validation refusals name it)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import AwareDatetime, StrictInt

from civicloop.core.api import NOT_BLANK, Id

from .constants import MAX_SLOTS, MemberKind, NeedCategory

NO_NUL = r"^[^\x00]*$"


class VolunteerMemberIn(Schema):
    """A new person record registered to a community (or `person_id`: an existing record of the district)."""

    community_id: Id = Field(..., title=_("社区"))
    kind: MemberKind = Field(..., title=_("身份"))
    name: str = Field("", max_length=40, pattern=NO_NUL, title=_("姓名"))
    phone: str = Field("", max_length=20, pattern=NO_NUL, title=_("手机"))
    unit_id: Id | None = Field(None, title=_("所在单位"))
    person_id: Id | None = Field(None, title=_("人员"))


class NeedIn(Schema):
    community_id: Id = Field(..., title=_("社区"))
    title: str = Field(..., max_length=100, pattern=NOT_BLANK, title=_("服务内容"))
    category: NeedCategory = Field(..., title=_("服务类别"))
    starts_at: AwareDatetime = Field(..., title=_("开始时间"))
    ends_at: AwareDatetime = Field(..., title=_("结束时间"))
    slots: StrictInt = Field(..., ge=1, le=MAX_SLOTS, title=_("名额"))
    location: str = Field("", max_length=100, pattern=NO_NUL, title=_("集合地点"))


class SignUpIn(Schema):
    member_id: Id = Field(..., title=_("志愿者"))


class MomentIn(Schema):
    """A check-in or check-out: at `at` (default now)."""

    at: AwareDatetime | None = Field(None, title=_("时间"))


class CorrectionIn(Schema):
    check_in_at: AwareDatetime = Field(..., title=_("签到时间"))
    check_out_at: AwareDatetime = Field(..., title=_("签退时间"))
    reason: str = Field(..., max_length=200, pattern=NOT_BLANK, title=_("更正原因"))


class ProofIn(Schema):
    code: str = Field(..., max_length=40, pattern=r"^[A-Za-z0-9-]+$", title=_("编号"))
    phone_last4: str = Field(..., pattern=r"^[0-9]{4}$", title=_("手机号后四位"))


class RecognitionRuleIn(Schema):
    name: str = Field(..., max_length=60, pattern=NOT_BLANK, title=_("名称"))
    street_id: Id | None = Field(None, title=_("街道"))
    kind: MemberKind | None = Field(None, title=_("身份"))
    top_n: StrictInt = Field(..., ge=1, le=1000, title=_("名额"))
    min_hours: Decimal = Field(Decimal("0"), ge=0, le=10000, max_digits=7, decimal_places=2, title=_("最少时长"))
