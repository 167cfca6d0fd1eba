"""The request schemas both transports take (api.py and views.py); fields named by `field_labels`."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from civicloop.core.api import INT64_MAX, NOT_BLANK, Id

from .constants import FEED_PAGE_MAX


class MappingIn(Schema):
    hotline_category: str = Field(..., max_length=100, pattern=NOT_BLANK)
    category_id: Id


class RepliesIn(Schema):
    cursor: int = Field(0, ge=0, le=INT64_MAX,
                        description="the `next_cursor` of the previous answer; 0 (the default) from the start")
    limit: int = Field(100, ge=1, le=FEED_PAGE_MAX, description="replies per answer")


class PeriodIn(Schema):
    start: dt.date = Field(..., description="first day (Asia/Shanghai) of the replies")
    end: dt.date = Field(..., description="last day, included")
