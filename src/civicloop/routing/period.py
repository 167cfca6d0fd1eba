"""The window a disputes or acceptance read covers: days in Asia/Shanghai, both ends included, one rule for the page
and the API."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode

from .constants import DISPUTE_DAYS
from .selectors import today_local

MAX_DAYS = 3 * 366


def window(start: dt.date | None, end: dt.date | None, *, default_days: int = DISPUTE_DAYS) -> tuple[dt.date, dt.date]:
    end = end or today_local()
    start = start or end - dt.timedelta(days=default_days - 1)
    if start > end or (end - start).days >= MAX_DAYS:
        raise CivicError(ErrorCode.INVALID, _("起止日期无效：开始不能晚于结束，跨度不超过三年。"))
    return start, end
