"""What a validation refusal calls the fields of the signs app's request schemas (`SignsConfig.field_labels`)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "readings": _("读数"),
    "device": _("设备编码"),
    "metric": _("监测指标"),
    "at": _("读数时间"),
    "value": _("读数"),
    "kind": _("类型"),
    "place_code": _("地点编码"),
    "household_code": _("户编码"),
    "warn_level": _("预警值"),
    "alarm_level": _("报警值"),
    "comparison": _("比较"),
    "duration_minutes": _("持续时长（分钟）"),
    "window_minutes": _("时间窗（分钟）"),
    "silence_minutes": _("静默时长（分钟）"),
    "activity_above": _("有效读数下限"),
    "severity": _("级别"),
    "category_id": _("工单分类"),
    "lead_unit_id": _("承办单位"),
    "to_committee": _("派住户所在居委"),
    "metric_id": _("监测指标"),
    "days": _("天数"),
    "alarm_id": _("报警"),
    "device_id": _("设备"),
    "rule_id": _("报警规则"),
    "acknowledged": _("已确认"),
}
# ("code" and "count" are named by their schemas' titles: a label here would rename every app's field of that name)
