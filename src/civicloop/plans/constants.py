"""The plans app's vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanKind(models.TextChoices):
    ANNUAL = "annual", _("年度计划")  # 每年有方案
    PROGRAM = "program", _("规划")  # several years (每届有规划), e.g. the "三旧变三新" 135 plan
    ACTION = "action", _("专项行动")  # a concentrated action, e.g. a 100-day action


class TaskStatus(models.TextChoices):
    """A task's or milestone's status: derived from its dates and reports (`plans.status`), never typed."""

    NOT_STARTED = "not_started", _("未开始")
    ON_TRACK = "on_track", _("正常推进")
    AT_RISK = "at_risk", _("有风险")
    LATE = "late", _("已逾期")
    DONE = "done", pgettext_lazy("task status", "已完成")


# The traffic light of each status on the board (Bootstrap colour names).
STATUS_LIGHT = {
    TaskStatus.NOT_STARTED: "secondary", TaskStatus.ON_TRACK: "success", TaskStatus.AT_RISK: "warning",
    TaskStatus.LATE: "danger", TaskStatus.DONE: "primary",
}
RED_STATUSES = (TaskStatus.LATE,)  # "red items" a contact leader is shown
ATTENTION_STATUSES = (TaskStatus.LATE, TaskStatus.AT_RISK)

# A task is at risk when its reported progress lags the share of its time already spent by more than this
# many points, or when it is due within AT_RISK_DAYS days with progress still below AT_RISK_DUE_PERCENT.
AT_RISK_LAG_POINTS = 25
AT_RISK_DAYS = 7
AT_RISK_DUE_PERCENT = 80

MAX_WEIGHT = 100
MAX_DEPTH = 4  # plan → task → subtask → … (a board stays readable)


class LinkKind(models.TextChoices):
    """What a task is linked to (TaskLink): objects of other apps, by id, read through their selectors."""

    CASE = "case", _("工单")
    CONSULTATION = "consultation", _("会商决定")
    SUGGESTION = "suggestion", _("采纳的市民建议")


class LetterKind(models.TextChoices):
    """三书: the three responsibility letters a unit acknowledges each year."""

    RESPONSIBILITY = "responsibility", _("目标责任书")
    TASKS = "tasks", _("任务书")
    FEEDBACK = "feedback", _("检查反馈书")


class PlansAudit(models.TextChoices):
    """Actions of core.AuditLog written by the plans services."""

    PLAN_CREATE = "plan_create", _("新建计划")
    TASK_CREATE = "task_create", _("新建任务")
    TASK_UPDATE = "task_update", _("修改任务")
    TASK_LINK = "task_link", _("任务关联")
    MILESTONE_CREATE = "milestone_create", _("新建节点")
    MILESTONE_DONE = "milestone_done", _("节点完成")
    REPORT = "progress_report", _("报告进展")
    CONTACT_SET = "leader_contact_set", _("设置联系领导")
    TARGET_SET = "target_set", _("设置责任目标")
    LETTER_VERSION = "letter_version", _("三书新版本")
    LETTER_ACK = "letter_ack", _("签收三书")


class PlanImportKind(models.TextChoices):
    """The plans app's kinds of the imports framework (`import_kinds.py`)."""

    TASKS = "plan_tasks", _("计划任务")  # a plan's task list (tree by task number)
