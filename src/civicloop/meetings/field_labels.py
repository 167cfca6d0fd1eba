"""What a validation refusal calls the fields of the meetings app's request schemas (`MeetingsConfig.field_labels`,
read by core.validation). Names another app labels first keep that app's label."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "title": _("会议名称"),
    "date": _("会议日期"),
    "street_id": _("街道"),
    "chair_id": _("主持人"),
    "minutes": _("会议记录"),
    "item_id": _("议题"),
    "kind": _("决定类型"),
    "text": _("决定内容"),
    "plan_id": _("所属计划"),
    "owner_unit_id": _("责任单位"),
    "due": _("完成期限"),
    "place_id": _("地点"),
    "case_id": _("工单"),
    "lead_unit_id": _("承办单位"),
    "co_unit_ids": _("协办单位"),
    "time_limit_days": _("办理时限（工作日）"),
    "expected_version": _("版本"),
}
