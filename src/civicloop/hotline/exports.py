"""The replies as a workbook, in the shape of the hotline's own files: one row per reply, the work-order number
first — what the 12345 desk loads to call the citizens back."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.core.xlsx import Column, Sheet, workbook_bytes

from .selectors import ReplyRow, satisfaction_label


def replies_workbook(rows: list[ReplyRow]) -> bytes:
    columns = [Column(_("工单号"), "Work order number"), Column(_("办理结果"), "Result", width=40),
               Column(_("答复内容"), "Reply", width=40), Column(_("答复时间"), "Replied at"),
               Column(_("满意度"), "Satisfaction"), Column(_("本系统工单编号"), "Tracking code")]
    body = ([r.work_order_no, r.result, _("（无法联系诉求人）") + r.reply if r.unreachable else r.reply,
             timezone.localtime(r.replied_at).replace(tzinfo=None), satisfaction_label(r.satisfaction),
             r.tracking_code] for r in rows)
    return workbook_bytes([Sheet(_("12345答复"), columns=columns, rows=body)])
