"""The assessment's kind of the imports framework: indicators of a set from Excel (the export's columns,
`export.indicator_sheet`, read back).

A row names its set by code: the set's latest version in the district, which must not be frozen (a frozen set's
indicators change only in a new version, made on its page). A row is identified by set code + indicator code:
an indicator already there is updated, a new one added, a dimension named for the first time created. Each row
is checked by the same `services.sets.indicator_clean` a form is; the rows are written all together or not at all.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError
from civicloop.imports import spec as s

from .constants import AssessImportKind, Direction, IndicatorKind, Rule
from .models import Dimension, Indicator, IndicatorSet
from .services.sets import FIELDS, indicator_clean


def _decimal_text(value: str) -> str:
    return value.strip()


COLUMNS = [
    s.Column("set_code", _("指标体系编码"), "Indicator set code", True, s.code, "bihuan"),
    s.Column("dimension", _("维度"), "Dimension", True, s.text(60), "办理"),
    s.Column("code", _("指标编码"), "Indicator code", True, s.code, "B09"),
    s.Column("name", _("指标名称"), "Indicator name", True, s.text(120), "按时办结率（住房类）"),
    s.Column("kind", _("指标类型"), "Kind", True, s.choice(IndicatorKind), "客观指标"),
    s.Column("metric", _("指标口径"), "Metric", False, s.text(40), "on_time_rate"),
    s.Column("channel", _("来源渠道"), "Channel", False, s.text(20), ""),
    s.Column("category_code", _("分类编码"), "Category code", False, s.text(20), "02"),
    s.Column("weight", _("分值"), "Points", False, _decimal_text, "5"),
    s.Column("rule", _("计分规则"), "Scoring rule", True, s.choice(Rule), "线性计分"),
    s.Column("direction", _("方向"), "Direction", False, s.choice(Direction), "越高越好"),
    s.Column("target", _("目标值"), "Target", False, _decimal_text, "95"),
    s.Column("floor", _("保底值"), "Floor", False, _decimal_text, "70"),
    s.Column("cap", _("封顶分"), "Cap", False, _decimal_text, ""),
    s.Column("per_item", _("每项分值"), "Points per item", False, _decimal_text, ""),
    s.Column("factor_minor", _("一般问题倍数"), "Weight of a minor finding", False, _decimal_text, ""),
    s.Column("factor_major", _("较重问题倍数"), "Weight of a major finding", False, _decimal_text, ""),
    s.Column("factor_serious", _("严重问题倍数"), "Weight of a serious finding", False, _decimal_text, ""),
    s.Column("criteria", _("评分标准"), "Criteria", False, s.text(2000), ""),
]


class IndicatorSpec(s.KindSpec):
    kind = AssessImportKind.INDICATORS
    model = Indicator
    natural_key = "code"
    columns = COLUMNS
    compare_fields = [*FIELDS, "dimension_id"]
    example_setup = "civicloop.assess.testing.make_closed_loop_set"  # the example's set (bihuan)

    def row_key(self, data):
        if data.get("set_code") is None or data.get("code") is None:
            return None
        return f"{data['set_code']}|{data['code']}"

    def load(self, ctx) -> None:
        latest = (IndicatorSet.objects.filter(district_id=ctx.district.pk).values("code")
                  .annotate(v=Max("version")))
        sets = {}
        for row in latest:
            found = IndicatorSet.objects.get(district_id=ctx.district.pk, code=row["code"], version=row["v"])
            sets[found.code] = found
        ctx.cache["sets"] = sets
        ctx.cache["dimensions"] = {(d.indicator_set_id, d.name): d.pk for d in
                                   Dimension.objects.filter(indicator_set__in=list(sets.values()))}
        ctx.cache["labels"] = {str(c.header): c.key for c in COLUMNS}

    def resolve(self, ctx, row, data) -> s.Entry:
        target = ctx.cache["sets"].get(data["set_code"])
        if target is None:
            raise s.RowProblem("set_code", _("本区没有该编码的指标体系（请先在考核评比页面新建）。"))
        if target.frozen:
            raise s.RowProblem("set_code", _("该指标体系已冻结（已被考核使用），请先新建版本。"))
        try:
            values = indicator_clean({f: data.get(f) for f in FIELDS})
        except CivicError as exc:
            field = next((d.get("field") for d in exc.details or () if d.get("field")), "")
            raise s.RowProblem(ctx.cache["labels"].get(field, "code"), exc.message) from None
        values.update(indicator_set_id=target.pk, position=row,
                      dimension_id=ctx.cache["dimensions"].get((target.pk, data["dimension"])))
        entry = s.Entry(row=row, key=self.row_key(data), values=values)
        entry.dimension = (target.pk, data["dimension"])
        return entry

    def existing(self, ctx) -> dict[str, dict]:
        sets = {x.pk: code for code, x in ctx.cache["sets"].items()}
        rows = Indicator.objects.filter(indicator_set_id__in=list(sets)).values("id", "indicator_set_id", *self.compare_fields)
        return {f"{sets[r['indicator_set_id']]}|{r['code']}": r for r in rows}

    def taken_elsewhere(self, ctx, keys) -> set[str]:
        return set()  # an indicator code is unique within its set only

    def write(self, ctx, plan) -> None:
        """Dimensions named for the first time are created first, then the indicators."""
        dimensions = ctx.cache["dimensions"]
        for entry in [*plan.create, *plan.update]:
            set_id, name = entry.dimension
            if (set_id, name) not in dimensions:
                position = (Dimension.objects.filter(indicator_set_id=set_id).aggregate(m=Max("position"))["m"] or 0) + 1
                dimensions[(set_id, name)] = Dimension.objects.create(indicator_set_id=set_id, name=name,
                                                                      position=position).pk
            entry.values["dimension_id"] = dimensions[(set_id, name)]
        super().write(ctx, plan)
