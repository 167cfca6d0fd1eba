"""The request schemas both transports validate with: the API (api.py) and the pages (views.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from civicloop.core.api import Count, Day, Id


class UseIn(Schema):
    suggestion_id: Id = Field(..., title=_("建议"))
    category_id: Id | None = Field(None, title=_("分类"))
    lead_unit_id: Id | None = Field(None, title=_("牵头单位"))
    expected_version: Count = Field(..., title=_("版本"))


class WindowIn(Schema):
    start: Day | None = Field(None, title=_("开始日期"))
    end: Day | None = Field(None, title=_("结束日期"))
