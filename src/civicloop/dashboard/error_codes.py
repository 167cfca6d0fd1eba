"""The dashboard's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class DashboardErrorCode(StrEnum):
    PERIOD_INVALID = "period_invalid"  # the end before the start, or longer than MAX_PERIOD_DAYS
    PART_INVALID = "part_invalid"  # a denominator asked of a figure that has none (a count)
    WEEK_INVALID = "week_invalid"  # not an ISO week (2026-W48) that exists, or a week not yet begun
    # report_font_missing (the server lacks the CJK font of PDFs) is core.pdf.PdfErrorCode.FONT_MISSING


register_error_codes(DashboardErrorCode, {
    DashboardErrorCode.PERIOD_INVALID: (400, _("统计期间无效：结束日期不能早于开始日期，期间不超过一年，且在2000年至2099年之间。")),
    DashboardErrorCode.PART_INVALID: (400, _("该指标是件数，没有分母。")),
    DashboardErrorCode.WEEK_INVALID: (400, _("周次无效：请按 2026-W48 的格式填写2000年至2099年间已经开始的一周。")),
})
