"""What both transports take for a duplicate check (the API's JSON, the register form's fields through
`core.pages.form_validated`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from civicloop.core.api import NOT_BLANK, FilterText, Id


class DuplicateCheckIn(Schema):
    description: str = Field(..., max_length=4000, pattern=NOT_BLANK, title=_("诉求内容"))
    place_code: FilterText | None = Field(None, title=_("地点编码"))
    category_id: Id | None = Field(None, title=_("分类"))
    address: str = Field("", max_length=200, pattern=r"^[^\x00]*$", title=_("地址"))


class DuplicatesMergeIn(Schema):
    duplicate_ids: list[Id] = Field(..., min_length=1, max_length=20, title=_("合并的工单"))
    note: str = Field("", max_length=2000, pattern=r"^[^\x00]*$", title=_("备注"))
