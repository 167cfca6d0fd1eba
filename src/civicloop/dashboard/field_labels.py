"""What a validation refusal calls the fields of the dashboard's query parameters (`DashboardConfig.field_labels`,
read by core.validation); `category`, `channel` and `appeal_type` are named by the cases app."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "start": _("开始日期"),
    "end": _("结束日期"),
    "street": _("街道"),
    "unit": _("牵头单位"),
    "kpi": _("指标"),
    "part": _("分子或分母"),
    "returned_by": _("退单单位"),
    "week": _("周次"),
}
