"""Progress reports: percent, text and evidence (files through civicloop.files, owner kind "plans.report")."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import audit_write
from civicloop.files.checking import check_file, read_upload
from civicloop.files.constants import FileKind
from civicloop.files.error_codes import FileErrorCode
from civicloop.files.services import attachments_attach, attachments_discard, attachments_write

from .. import selectors
from ..constants import PlansAudit
from ..error_codes import PlanErrorCode
from ..models import ProgressReport, Task
from ..permissions import may_report
from .tasks import roll_up_from

REPORT_OWNER_KIND = "plans.report"
MAX_EVIDENCE = 6
MAX_TEXT = 2000


def report_create(*, actor, task_id: int, percent: int, text: str, on: dt.date | None = None,
                  files=()) -> ProgressReport:
    """The owner unit reports progress on a leaf task: its percent becomes the task's (100 % marks it done on
    `on`), the parents roll up, the evidence files are attached to the report."""
    task = selectors.task_get_for(actor, task_id)
    if not may_report(actor, task):
        raise CivicError(ErrorCode.FORBIDDEN)
    if Task.objects.filter(parent_id=task.pk).exists():
        raise CivicError(PlanErrorCode.TASK_HAS_CHILDREN)
    if not 0 <= int(percent) <= 100:
        raise CivicError(ErrorCode.INVALID, _("进度应在 0 到 100 之间。"))
    text = (text or "").strip()
    if not text:
        raise CivicError(ErrorCode.INVALID, _("请填写进展情况。"))
    if len(text) > MAX_TEXT:
        raise CivicError(ErrorCode.INVALID, _("进展情况过长。"))
    on = on or selectors.today()
    if on > selectors.today():
        raise CivicError(ErrorCode.INVALID, _("报告日期不能晚于今天。"))
    if len(files) > MAX_EVIDENCE:
        raise CivicError(FileErrorCode.TOO_MANY_FILES, max=MAX_EVIDENCE)
    checked = [check_file(read_upload(f), name=getattr(f, "name", ""), kinds=(FileKind.IMAGE, FileKind.PDF))
               for f in files]
    pending = attachments_write(checked)
    try:
        with transaction.atomic():
            report = _report_write(actor=actor, task=task, percent=int(percent), text=text, on=on)
            attachments_attach(pending=pending, owner_kind=REPORT_OWNER_KIND, owner_id=report.pk,
                               district_id=task.district_id, uploaded_by=actor)
    except BaseException:
        attachments_discard(pending)
        raise
    return report


def _report_write(*, actor, task: Task, percent: int, text: str, on: dt.date) -> ProgressReport:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    report = ProgressReport.objects.create(district_id=task.district_id, task=locked, percent=percent, text=text,
                                           on=on, reported_by=actor)
    latest = locked.last_report_on is None or on >= locked.last_report_on
    if latest:
        locked.percent = percent
        locked.last_report_on = on
        locked.done_at = on if percent >= 100 else None
        locked.save(update_fields=["percent", "last_report_on", "done_at"])
        if locked.parent_id is not None:
            roll_up_from(locked.parent_id)
    audit_write(action=PlansAudit.REPORT, user=actor, district_id=task.district_id, object_type="plans.task",
                object_id=task.pk, details={"report": report.pk, "percent": percent, "on": str(on)})
    return report
