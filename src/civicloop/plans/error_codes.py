"""The plans app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class PlanErrorCode(StrEnum):
    TASK_DATES = "task_dates"  # a start after the due date, or dates outside the plan's period
    TASK_TREE = "task_tree"  # a parent of another plan, a cycle, or a tree deeper than MAX_DEPTH
    UNIT_INVALID = "unit_invalid"  # an owner or co-unit of another district, or inactive
    TASK_HAS_CHILDREN = "task_has_children"  # progress is reported on the subtasks, the parent rolls up
    LETTER_STALE = "letter_stale"  # the version acknowledged is no longer the current one (the data changed)
    LETTER_ACKNOWLEDGED = "letter_acknowledged"  # this version is acknowledged already
    LINK_INVALID = "link_invalid"  # a link to an object that does not exist or that the actor may not see


register_error_codes(PlanErrorCode, {
    PlanErrorCode.TASK_DATES: (400, _("任务日期无效：开始日期不能晚于完成时限。")),
    PlanErrorCode.TASK_TREE: (400, _("上级任务无效。")),
    PlanErrorCode.UNIT_INVALID: (400, _("责任单位或配合单位无效。")),
    PlanErrorCode.TASK_HAS_CHILDREN: (409, _("该任务有子任务，进度由子任务汇总，请在子任务上报告进展。")),
    PlanErrorCode.LETTER_STALE: (409, _("内容已更新，请签收最新版本。")),
    PlanErrorCode.LETTER_ACKNOWLEDGED: (409, _("该版本已签收。")),
    PlanErrorCode.LINK_INVALID: (400, _("关联对象不存在或无权查看。")),
})
