"""Workbooks of the assessment (core.xlsx): an indicator set (the import's columns: export, edit, import back)
and an evaluation (ranking, every score with its provenance)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civicloop.core.xlsx import Column, Sheet, workbook_bytes

from .constants import Direction, IndicatorKind, Medal, Rule
from .evaluation import TERM_LABELS
from .import_kinds import COLUMNS


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else ""


def set_workbook(s, indicators) -> bytes:
    """The set's indicators, one row each, under the import's headers (Chinese, the English as the note)."""
    def rows():
        for i in indicators:
            yield [s.code, i.dimension.name, i.code, i.name, _label(IndicatorKind, i.kind), i.metric, i.channel,
                   i.category_code, i.weight, _label(Rule, i.rule), _label(Direction, i.direction), i.target,
                   i.floor, i.cap, i.per_item, i.factor_minor, i.factor_major, i.factor_serious, i.criteria]
    columns = [Column(str(c.header), comment=c.header_en) for c in COLUMNS]
    return workbook_bytes([Sheet(f"{s.name} v{s.version}", columns=columns, rows=rows())])


def terms_text(terms) -> str:
    return " ".join(f"{TERM_LABELS.get(name, name)} {amount}" for name, amount in terms)


def run_workbook(run, results, scores, indicators, units) -> bytes:
    """Sheet 1: the ranking; sheet 2: every score (unit × indicator) with its value, parts and terms."""
    ranking = Sheet(_("排名"), columns=[Column(_("名次")), Column(_("单位"), width=30), Column(_("总分")),
                                      Column(_("满分")), Column(_("奖项"))],
                    rows=([r.rank, r.unit.name, r.total, r.full, _label(Medal, r.medal)] for r in results))
    by_id = {i.pk: i for i in indicators}
    names = {u.pk: u.name for u in units}

    def score_rows():
        for sc in scores:
            i = by_id[sc.indicator_id]
            yield [names.get(sc.unit_id, ""), i.dimension.name, i.code, i.name, sc.value, sc.numerator,
                   sc.denominator, sc.points, sc.full, terms_text(sc.terms)]
    detail = Sheet(_("得分明细"), columns=[
        Column(_("单位"), width=30), Column(_("维度")), Column(_("指标编码")), Column(_("指标名称"), width=30),
        Column(_("指标值")), Column(_("分子")), Column(_("分母")), Column(_("得分")), Column(_("满分")),
        Column(_("得分构成"), width=40)], rows=score_rows())
    return workbook_bytes([ranking, detail])
