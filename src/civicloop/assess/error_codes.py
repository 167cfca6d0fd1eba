"""The assessment's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class AssessErrorCode(StrEnum):
    SET_FROZEN = "set_frozen"  # an indicator set used by an evaluation no longer changes: make a new version
    RUN_PUBLISHED = "run_published"  # a published evaluation never changes
    RUN_NOT_COMPUTED = "run_not_computed"  # publish or export before the evaluation was computed
    RULE_INVALID = "rule_invalid"  # an indicator's rule lacks what it needs (target, floor, per-item points …)
    ROUND_CLOSED = "round_closed"  # a finding on a closed inspection round
    FINDING_NOT_RECTIFIABLE = "finding_not_rectifiable"  # re-inspecting a finding that has no rectification case
    FINDING_NOT_RECTIFIED = "finding_not_rectified"  # confirming a finding whose case is not resolved yet


register_error_codes(AssessErrorCode, {
    AssessErrorCode.SET_FROZEN: (409, _("该指标体系已被考核使用，已冻结，不能再修改；请新建版本。")),
    AssessErrorCode.RUN_PUBLISHED: (409, _("该考核已发布，不能再修改或重新计算。")),
    AssessErrorCode.RUN_NOT_COMPUTED: (409, _("该考核尚未计算。")),
    AssessErrorCode.RULE_INVALID: (400, _("指标的计分规则不完整。")),
    AssessErrorCode.ROUND_CLOSED: (409, _("该巡查已结束，不能再记录发现。")),
    AssessErrorCode.FINDING_NOT_RECTIFIABLE: (409, _("该发现没有整改工单，无需复查。")),
    AssessErrorCode.FINDING_NOT_RECTIFIED: (409, _("整改工单尚未办结，不能复查通过。")),
})
