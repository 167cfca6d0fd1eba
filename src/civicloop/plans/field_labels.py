"""Names of the plans app's input fields in validation refusals (core.validation)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "plan_id": _("计划"), "goal_id": _("目标"), "parent_id": _("上级任务"), "owner_unit_id": _("责任单位"),
    "co_unit_ids": _("配合单位"), "title": _("名称"), "description": _("说明"), "start": _("开始日期"),
    "due": _("完成时限"), "weight": _("权重"), "percent": _("进度（%）"), "text": _("进展情况"), "on": _("报告日期"),
    "kind": _("类型"), "object_id": _("关联编号"), "year": _("年度"), "end": _("结束日期"), "number": _("版本"),
    "leader_ids": _("区领导"), "street_id": _("街道"), "unit_id": _("单位"), "targets": _("责任目标"),
    "measure": _("目标值"), "indicator_id": _("考核指标"),
}
