"""The weekly report's three renderings of one structure (`report.report_for`): its tables (`report_tables`: the
sheets 指标, 超期工单, 督办, 会商, 走访进度), written as an Excel workbook through `core.xlsx` (`report_workbook`), as
a PDF set in a CJK font (`report_pdf`, through the shared `core.pdf`: its font, its tables), and as the printable
page (views.py renders the same tables).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from civicloop.core.pdf import Table, pdf_font, shown, tables_pdf
from civicloop.core.xlsx import Column, Sheet, workbook_bytes

from .constants import KpiKind

__all__ = ["Table", "report_font", "report_pdf", "report_tables", "report_workbook", "shown", "summary_lines",
           "title_of"]


def title_of(report: dict) -> str:
    week = report["week"]
    return _("%(scope)s民情周报 %(week)s（%(start)s—%(end)s）") % {
        "scope": report["scope"]["name"] or report["scope"]["label"], "week": week["code"],
        "start": week["start"].isoformat(), "end": week["end"].isoformat()}


def _figure(value, kind: str):
    """A KPI's value as a number a person reads: a rate in per cent (2 decimals), an average to 1 decimal."""
    if value is None:
        return None
    if kind == KpiKind.RATE:
        return round(value * 100, 2)
    return round(value, 1) if kind == KpiKind.AVERAGE else value


def _percent(rate):
    return None if rate is None else round(rate * 100, 2)


def report_tables(report: dict) -> list[Table]:
    """The report's five tables, in order: every rendering shows these rows."""
    kpis = Table(_("指标"), [_("指标"), _("本周"), _("上周"), _("变化"), _("单位"), _("分子"), _("分母")], [
        [k["label"], _figure(k["value"], k["kind"]), _figure(k["previous_value"], k["kind"]),
         _figure(k["change"], k["kind"]), k["unit"], k["numerator"], k["denominator"]] for k in report["kpis"]])
    red = report["red"]
    red_table = Table(_("超期工单"), [_("工单编号"), _("分类"), _("街道"), _("居委"), _("牵头单位"), _("办理期限"),
                                     _("超期天数"), _("状态"), _("诉求摘要")], [
        [r["tracking_code"], r["category"], r["street"], r["community"], r["lead_unit"], r["deadline"],
         r["overdue_days"], r["state_label"], r["summary"]] for r in red["rows"]], red["count"])
    sup = report["supervision"]
    sup_table = Table(_("督办"), [_("工单编号"), _("督办类型"), _("牵头单位"), _("督办时间"), _("回复时间"), _("状态"),
                                 _("督办通知")], [
        [r["tracking_code"], r["kind_label"], r["lead_unit"], r["opened_at"], r["replied_at"], r["status_label"],
         r["notice"]] for r in sup["rows"]], sup["count"])
    con = report["consultation"]
    con_table = Table(_("会商"), [_("工单编号"), _("状态"), _("诉求摘要"), _("会议"), _("决定时间"), _("牵头单位"),
                                 _("办理期限"), _("措施")], [
        [r["tracking_code"], r["state_label"], r["summary"], r["meeting"], r["decided_at"], r["lead_unit"],
         r["deadline"], r["measures"]] for r in con["rows"]])
    visit_rows = []
    for c in report["visits"]:
        visit_rows.append([c["name"], _("合计"), c["subjects"], c["visited"], _percent(c["rate"]), c["target"], None,
                           None, c["visits_in_week"], c["first_visits_in_week"]])
        for g in c["groups"]:
            visit_rows.append([c["name"], g["label"], g["subjects"], g["visited"], _percent(g["rate"]), g["target"],
                               g["percent"], _("是") if g["met"] else _("否"), None, None])
    visits = Table(_("走访进度"), [_("走访活动"), _("分组"), _("对象数"), _("已走访"), _("覆盖率（%）"), _("目标数"),
                                  _("目标（%）"), _("达标"), _("本周走访次数"), _("本周首次走访")], visit_rows)
    return [kpis, red_table, sup_table, con_table, visits]


def summary_lines(report: dict) -> list[str]:
    """The report's headline figures, one sentence each (page and PDF)."""
    sup, con = report["supervision"], report["consultation"]
    return [
        _("统计范围：%(scope)s；统计周：%(start)s 至 %(end)s；超期、督办按 %(as_of)s 计。") % {
            "scope": report["scope"]["name"] or report["scope"]["label"], "start": report["week"]["start"],
            "end": report["week"]["end"], "as_of": report["as_of"].strftime("%Y-%m-%d %H:%M")},
        _("超期未办结工单 %(n)s 件。") % {"n": report["red"]["count"]},
        _("督办：本周新开 %(opened)s 件，本周回复 %(answered)s 件，周末仍未回复 %(open)s 件。") % {
            "opened": sup["opened"], "answered": sup["answered"], "open": sup["open_at_end"]},
        _("会商：本周升级会商 %(escalated)s 件，本周作出决定 %(decided)s 件。") % {
            "escalated": con["escalated"], "decided": con["decided"]},
    ]


# ----- Excel


def report_workbook(report: dict) -> bytes:
    return workbook_bytes([Sheet(t.name, columns=[Column(c) for c in t.columns], rows=t.rows)
                           for t in report_tables(report)])


# ----- PDF


def report_font() -> Path:
    """The CJK font file the PDF is set in (`core.pdf.pdf_font`); refused (report_font_missing) when missing."""
    return pdf_font()


# column widths (relative) of each table in the PDF: text columns wide, figures narrow
_WIDTHS = {0: (3, 1, 1, 1, 1, 1, 1), 1: (3, 2, 2, 2, 2, 3, 1, 1.5, 5), 2: (3, 2, 2, 3, 3, 1.5, 5),
           3: (3, 1.5, 4, 2, 3, 2, 2, 4), 4: (3, 2, 1, 1, 1, 1, 1, 1, 1, 1)}


def report_pdf(report: dict) -> bytes:
    """The report as an A4 landscape PDF: title, headline figures, the five tables (headings repeated on each
    page), all in the CJK font (`core.pdf`), subset and embedded."""
    tables = report_tables(report)
    return tables_pdf(title=title_of(report), lines=summary_lines(report), tables=tables,
                      widths=[_WIDTHS[i] for i in range(len(tables))])
