"""core's vocabulary: why personal data is unmasked, and the audit actions core and the admin write."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnmaskReason(models.TextChoices):
    """The reason chosen for each unmasked view (UnmaskLog.reason_code); OTHER needs a written reason."""

    CALLBACK = "callback", _("回访联系")  # calling the reporter / household back
    VERIFY = "verify", _("核实身份")  # checking who someone is
    ON_SITE = "on_site", _("上门处置")  # going there in person
    OTHER = "other", _("其他")  # anything else: the text says what


class AuditAction(models.TextChoices):
    """Actions of AuditLog written outside the login events (those are orgs.constants.AuthEvent)."""

    ADMIN_ADD = "admin_add", _("后台新增")  # the Django admin created a row (core.admin_site)
    ADMIN_CHANGE = "admin_change", _("后台修改")  # … changed one
    ADMIN_DELETE = "admin_delete", _("后台删除")  # … deleted one
    IMPORT = "import", _("导入")  # imports.services.import_run, dry runs included
    VISIT_RECORD = "visit_record", _("记录走访")  # visits.services.records.visit_record: a visit, its cases, follow-ups
    LOG_PURGE = "log_purge", _("清理过期日志")  # core.services.log_purge: rows past the retention removed
    CALENDAR_YEAR_CONFIRM = "calendar_year_confirm", _("确认年度日历")  # workdays: a year's deadlines no longer provisional
    CALENDAR_YEAR_LOAD = "calendar_year_load", _("载入年度放假安排")  # workdays: the State Council's arrangement loaded


# The floor of the retention of UnmaskLog and AuditLog (six months, MLPS 2.0 level 3); the PostgreSQL trigger
# enforces the same floor (core/migrations/0005_append_only.py).
RETENTION_MIN_DAYS = 180
