"""The key form's schema (pages check forms with it: core.pages.form_validated)."""

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from civicloop.core.api import NOT_BLANK
from civicloop.core.input import INT64_MAX

from .constants import DEFAULT_RATE_LIMIT, RATE_LIMIT_MAX, KeyScope


class ApiKeyIn(Schema):
    name: str = Field(..., min_length=1, max_length=100, pattern=NOT_BLANK, title=_("名称"))
    scopes: list[KeyScope] = Field(..., min_length=1, max_length=len(KeyScope), title=_("用途"))
    rate_limit: int = Field(DEFAULT_RATE_LIMIT, ge=1, le=RATE_LIMIT_MAX, title=_("每分钟请求上限"))
    acting_user_id: int | None = Field(None, ge=1, le=INT64_MAX, title=_("代为登记的工作人员"))
