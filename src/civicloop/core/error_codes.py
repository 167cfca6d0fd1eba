"""core's own refusals beyond the generic `errors.ErrorCode`: the rules of unmasking personal data, rate limits."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .errors import register_error_codes


class CoreErrorCode(StrEnum):
    UNMASK_REASON_REQUIRED = "unmask_reason_required"  # no reason chosen, or 其他 without a written reason
    UNMASK_RATE_LIMITED = "unmask_rate_limited"  # more unmasked views in the last hour than the limit allows
    RATE_LIMITED = "rate_limited"  # a client's attempts in one window passed its limit (core.ratelimit)


register_error_codes(CoreErrorCode, {
    CoreErrorCode.UNMASK_REASON_REQUIRED: (400, _("请选择查看完整信息的理由；选“其他”时请填写说明。")),
    CoreErrorCode.UNMASK_RATE_LIMITED: (429, _("查看完整个人信息过于频繁：每小时最多 %(limit)s 次，请稍后再试。")),
    CoreErrorCode.RATE_LIMITED: (429, _("操作过于频繁：每 %(minutes)s 分钟最多 %(limit)s 次，请稍后再试。")),
})
