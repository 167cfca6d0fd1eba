"""The dashboard's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class DashboardErrorCode(StrEnum):
    PERIOD_INVALID = "period_invalid"  # the end before the start, or longer than MAX_PERIOD_DAYS
    PART_INVALID = "part_invalid"  # a denominator asked of a figure that has none (a count)
    WEEK_INVALID = "week_invalid"  # not an ISO week (2026-W48) that exists, or a week not yet begun
    REPORT_FONT_MISSING = "report_font_missing"  # the server lacks the CJK font the PDF report is set in


register_error_codes(DashboardErrorCode, {
    DashboardErrorCode.PERIOD_INVALID: (400, _("统计期间无效：结束日期不能早于开始日期，期间不超过一年，且在2000年至2099年之间。")),
    DashboardErrorCode.PART_INVALID: (400, _("该指标是件数，没有分母。")),
    DashboardErrorCode.WEEK_INVALID: (400, _("周次无效：请按 2026-W48 的格式填写2000年至2099年间已经开始的一周。")),
    DashboardErrorCode.REPORT_FONT_MISSING: (503, _("服务器未安装生成 PDF 所需的中文字体（文泉驿微米黑），请管理员运行 make install 或 apt-get install fonts-wqy-microhei。")),
})
