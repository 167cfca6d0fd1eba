"""The assessment's request schemas, shared by the API (api.py) and the pages (views.py): one check."""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from civicloop.core.api import NOT_BLANK, Day, Id

from .constants import (
    MAX_ROUND_MEMBERS,
    MAX_UNITS,
    Direction,
    IndicatorKind,
    InspectionKind,
    MedalRule,
    Rule,
    Severity,
    UnitGroup,
)
from .templates_data import TEMPLATES

# Numbers with cents as text ("25", "95.5", "-3"): exactly what is accepted, without a binary float in between; the
# services check the range (a 400 naming the field).
Points = Annotated[str, Field(pattern=r"^[0-9]{1,5}(\.[0-9]{1,2})?$", max_length=8,
                              description="a number of points as text, at most two decimals, e.g. \"2.5\"")]
Value = Annotated[str, Field(pattern=r"^-?[0-9]{1,7}(\.[0-9]{1,2})?$", max_length=11,
                             description="a number as text, at most two decimals, e.g. \"95.5\"")]


Text = Annotated[str, Field(max_length=100, pattern=NOT_BLANK)]


class SetIn(Schema):
    code: str = Field(..., title=_("编码"), max_length=40, pattern=r"^[0-9A-Za-z][0-9A-Za-z_.\-]*$")
    name: Text = Field(..., title=_("名称"))
    unit_group: UnitGroup = Field(UnitGroup.STREETS, title=_("考核对象"))
    description: str = Field("", title=_("说明"), max_length=2000)
    template: str | None = Field(None, title=_("模板"), description=f"a shipped template: {', '.join(TEMPLATES)}",
                                 max_length=40)


class IndicatorIn(Schema):
    dimension: str = Field(..., title=_("维度"), max_length=60, pattern=NOT_BLANK)
    code: str = Field(..., title=_("指标编码"), max_length=40, pattern=NOT_BLANK)
    name: str = Field(..., title=_("指标名称"), max_length=120, pattern=NOT_BLANK)
    kind: IndicatorKind = Field(..., title=_("指标类型"))
    metric: str = Field("", title=_("指标口径"), max_length=40, description="a dashboard KPI code (GET /api/dashboard/kpis), or key_group_visit_coverage (the visits app)")
    channel: str = Field("", title=_("来源渠道"), max_length=20)
    category_code: str = Field("", title=_("分类编码"), max_length=20)
    weight: Points | None = Field(None, title=_("分值"))
    rule: Rule = Field(..., title=_("计分规则"))
    direction: Direction | None = Field(None, title=_("方向"))
    target: Value | None = Field(None, title=_("目标值"))
    floor: Value | None = Field(None, title=_("保底值"))
    cap: Points | None = Field(None, title=_("封顶分"))
    per_item: Points | None = Field(None, title=_("每项分值"))
    factor_minor: Points | None = Field(None, title=_("一般问题倍数"),
                                        description="a deduction: one minor inspection finding counts as this many "
                                                    "items (default 1; at most 100)")
    factor_major: Points | None = Field(None, title=_("较重问题倍数"))
    factor_serious: Points | None = Field(None, title=_("严重问题倍数"))
    criteria: str = Field("", title=_("评分标准"), max_length=2000)


class RunIn(Schema):
    set_id: Id = Field(..., title=_("指标体系"))
    name: Text = Field(..., title=_("名称"))
    start: Day = Field(..., title=_("开始日期"))
    end: Day = Field(..., title=_("结束日期"))
    unit_ids: list[Id] = Field([], title=_("考核对象"), max_length=MAX_UNITS,
                               description="none: every active street office (or department) of the district")
    medal_rule: MedalRule = Field(MedalRule.TOP_N, title=_("评奖规则"))
    gold: Points = Field("1", title=_("金奖"), description="places (top_n) or the lowest score rate in % (threshold)")
    silver: Points = Field("2", title=_("银奖"))
    bronze: Points = Field("3", title=_("铜奖"))


class EntryIn(Schema):
    unit_id: Id = Field(..., title=_("考核对象"))
    indicator_id: Id = Field(..., title=_("指标"))
    value: Points | None = Field(None, title=_("评分或项数"), description="null: remove the entry")
    note: str = Field("", title=_("依据"), max_length=200)


class EntriesIn(Schema):
    entries: list[EntryIn] = Field(..., title=_("评分"), max_length=5000)


class RoundIn(Schema):
    name: Text = Field(..., title=_("名称"))
    kind: InspectionKind = Field(..., title=_("类型"))
    start: Day = Field(..., title=_("开始日期"))
    end: Day = Field(..., title=_("结束日期"))
    route: str = Field("", title=_("路线"), max_length=2000)
    member_ids: list[Id] = Field([], title=_("成员"), max_length=MAX_ROUND_MEMBERS)


class FindingIn(Schema):
    place_id: Id = Field(..., title=_("地点"))
    description: str = Field(..., title=_("问题描述"), max_length=1000, pattern=NOT_BLANK)
    severity: Severity = Field(Severity.MINOR, title=_("严重程度"))
    indicator_id: Id | None = Field(None, title=_("指标"), description="the indicator it costs (a deduction item)")
    rectify: bool = Field(True, title=_("需要整改"), description="register a rectification case")
    found_on: Day | None = Field(None, title=_("发现日期"), description="default today")


class RecheckIn(Schema):
    passed: bool = Field(..., title=_("复查结果"))
    note: str = Field("", title=_("复查说明"), max_length=200)
