"""The dashboard's vocabulary. One comment per word; the KPIs themselves are defined in metrics.py."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiKind(models.TextChoices):
    RATE = "rate", _("比率")  # numerator / denominator, shown as a percentage
    COUNT = "count", _("件数")  # the numerator alone
    AVERAGE = "average", _("平均值")  # a sum over the denominator's cases / their number (working days)


class Part(models.TextChoices):
    NUMERATOR = "numerator", _("分子")
    DENOMINATOR = "denominator", _("分母")


class ScopeKind(models.TextChoices):
    ALL = "all", _("全部")  # a superuser without a territory: every district
    DISTRICT = "district", _("全区")  # district-level staff (leaders, the research office …)
    STREET = "street", _("街道")  # street-office staff
    COMMUNITY = "community", _("居委")  # committee staff
    DEPARTMENT = "department", _("部门")  # a department: the cases it leads


# A dimension of the rollups with no value (a case without street, lead unit or category): 0, not NULL, so that
# the rollup key is one unique constraint on every database (NULLs are distinct in a UNIQUE index).
NONE = 0

# The event log is read past its watermark; the watermark is advanced only over events older than this, so an event
# whose transaction commits after a later-numbered one (PostgreSQL hands out ids at insert, not at commit) is still
# read by a later run. Must exceed the longest transaction that writes case events.
SAFETY_LAG = dt.timedelta(minutes=5)
# Events read per transaction of the refresh (each batch: facts, returns, rollups and watermark together).
BATCH_EVENTS = 2000

# The longest period the API and the page accept (a year and a day: a leap year's January to January).
MAX_PERIOD_DAYS = 367
TREND_DAYS = 30
TOP_CATEGORIES = 10


def accept_within_working_days() -> int:
    """及时签收: the lead unit accepts by the end of this many working days after the first dispatch (12345 practice
    varies by city; settings.CIVICLOOP["ACCEPT_WITHIN_WORKING_DAYS"], default 1)."""
    return int(settings.CIVICLOOP.get("ACCEPT_WITHIN_WORKING_DAYS", 1))
