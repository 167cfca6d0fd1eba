"""The dashboard's query parameters, shared by the API (api.py) and the pages (views.py): one schema, one check."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from civicloop.cases.constants import AppealType, Channel
from civicloop.core.api import Day, PageIn, PathId

from .constants import Part
from .metrics import Filters
from .report import ISO_WEEK
from .selectors import DRILL_CODES

DrillCode = Literal[DRILL_CODES]


class DashboardIn(Schema):
    """A period (both days included; default: this month up to today) and the filters every figure takes."""

    start: Day | None = Field(None, description="first day of the period (Asia/Shanghai), default the 1st of "
                                                    "the end's month")
    end: Day | None = Field(None, description="last day of the period, included; default today")
    street: PathId | None = Field(None, description="a street (place id): its cases only")
    unit: PathId | None = Field(None, description="a lead unit (unit id): the cases it leads")
    category: PathId | None = Field(None, description="a category (id); a parent category includes its children")
    channel: Channel | None = Field(None, description="the intake channel")
    appeal_type: AppealType | None = Field(None, description="the appeal type (咨询 / 求助 / 投诉 / 建议 / 表扬)")

    def filters(self) -> Filters:
        return Filters(street_id=self.street, lead_unit_id=self.unit, category_id=self.category,
                       channel=self.channel, appeal_type=self.appeal_type)


class DrillIn(DashboardIn, PageIn):
    """The list behind one figure: the `drill` query string an overview figure carries."""

    kpi: DrillCode = Field(..., description="a KPI code (GET /kpis), or open / yellow / red (today's live counts), "
                                            "or disputes (with returned_by)")
    part: Part | None = Field(None, description="numerator (default) or denominator; a count has only a numerator")
    returned_by: PathId | None = Field(None, description="disputes: the unit that returned the cases; with "
                                                         "`category`, that category's, without it the uncategorised")


# ----- weekly report


class ReportIn(Schema):
    """The week of a weekly report (ISO 8601: 2026-W48, Monday to Sunday in Asia/Shanghai)."""

    week: str | None = Field(None, pattern=ISO_WEEK, description="an ISO week, e.g. 2026-W48; default the last full week")
