"""The content of a unit's 三书 for a year, built from the data (what a letter version stores and prints).

- 目标责任书 (responsibility): the unit's targets for the year (`Target`), each possibly an assessment indicator
  (read through `assess.selectors.indicator_get_for` when it is named);
- 任务书 (tasks): the plan tasks the unit owns in plans of that year, with due dates, weights and co-units;
- 检查反馈书 (feedback): the inspection findings of the unit's street that year and their rectification
  (`assess.selectors.findings_for`, as the actor).

The content is a plain dict (title, unit, year, preamble, sections of columns and rows), built in Chinese (the
letters are official documents in the source language) so that its digest does not depend on the reader's
language; `digest` is what decides whether the data changed since a version."""

from __future__ import annotations

import hashlib
import json

from django.utils import translation
from django.utils.translation import gettext as _

from .constants import LetterKind
from .models import Letter, Target, Task


def build_content(letter: Letter, *, actor=None) -> dict:
    with translation.override("zh-hans"):
        unit = letter.unit
        kind_label = str(LetterKind(letter.kind).label)
        content = {"title": f"{letter.year}年度{unit.name}{kind_label}", "unit": unit.name, "year": letter.year,
                   "kind": letter.kind}
        if letter.kind == LetterKind.RESPONSIBILITY:
            content.update(_responsibility(letter))
        elif letter.kind == LetterKind.TASKS:
            content.update(_tasks(letter))
        else:
            content.update(_feedback(letter, actor))
        return content


def digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _responsibility(letter: Letter) -> dict:
    rows = []
    for i, t in enumerate(Target.objects.filter(unit_id=letter.unit_id, year=letter.year)
                          .select_related("indicator").order_by("position", "pk"), start=1):
        indicator = f"{t.indicator.code} {t.indicator.name}" if t.indicator_id else ""
        rows.append([str(i), t.title, t.measure, indicator])
    return {"preamble": _("为完成本年度工作目标，经研究，确定以下目标，由责任单位负责落实，纳入年度考核。"),
            "sections": [{"heading": _("责任目标"), "columns": [_("序号"), _("目标"), _("目标值"), _("考核指标")],
                          "rows": rows}]}


def _tasks(letter: Letter) -> dict:
    tasks = (Task.objects.filter(owner_unit_id=letter.unit_id, plan__year=letter.year)
             .select_related("plan").prefetch_related("co_units").order_by("plan__start", "plan_id", "due", "pk"))
    rows = []
    for i, t in enumerate(tasks, start=1):
        co = "、".join(u.name for u in sorted(t.co_units.all(), key=lambda u: u.pk))
        rows.append([str(i), t.plan.title, t.title, t.due.isoformat(), str(t.weight), co])
    return {"preamble": _("以下任务由本单位牵头负责，请按时限推进并定期报告进展。"),
            "sections": [{"heading": _("牵头任务"),
                          "columns": [_("序号"), _("计划"), _("任务"), _("完成时限"), _("权重"), _("配合单位")],
                          "rows": rows}]}


def _feedback(letter: Letter, actor) -> dict:
    rows = []
    from .services.tasks import street_of

    street_id = street_of(letter.unit)
    if street_id is not None and actor is not None:
        from civicloop.assess.selectors import findings_for
        from civicloop.core.masking import mask_free_text  # a printed letter: numbers in free text masked

        findings = (findings_for(actor).filter(street_id=street_id, found_on__year=letter.year)
                    .order_by("found_on", "pk"))
        for i, f in enumerate(findings, start=1):
            rows.append([str(i), f.found_on.isoformat(), f.place.name, mask_free_text(f.description)[:80],
                         f.get_severity_display(),
                         f.get_status_display()])
    return {"preamble": _("根据本年度检查情况，反馈以下问题，请对照整改并报告整改结果。"),
            "sections": [{"heading": _("检查发现及整改"),
                          "columns": [_("序号"), _("发现日期"), _("地点"), _("问题"), _("严重程度"), _("整改情况")],
                          "rows": rows}]}



def letter_pdf(version) -> bytes:
    """A version as printed: its snapshot (never today's data) as an A4 portrait PDF in the CJK font."""
    from civicloop.core.pdf import Table, tables_pdf

    content = version.content
    with translation.override("zh-hans"):
        lines = [_("版本：第 %(n)s 版（%(at)s 生成）") % {"n": version.number,
                                                    "at": version.created_at.strftime("%Y-%m-%d %H:%M")},
                 content.get("preamble", "")]
        tables = [Table(s["heading"], s["columns"], s["rows"]) for s in content.get("sections", [])]
        if version.acknowledged_at:
            who = version.acknowledged_by.display_name or version.acknowledged_by.username
            closing = [_("责任单位：%(unit)s") % {"unit": content.get("unit", "")},
                       _("签收：%(who)s，%(at)s") % {"who": who, "at": version.acknowledged_at.strftime("%Y-%m-%d %H:%M")}]
        else:
            closing = [_("责任单位：%(unit)s") % {"unit": content.get("unit", "")}, _("签收：（待签收）")]
        return tables_pdf(title=content.get("title", ""), lines=lines, tables=tables, orientation="portrait",
                          closing=closing)
