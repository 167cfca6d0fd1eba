"""The hall's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class HallErrorCode(StrEnum):
    STATE = "hall_state"  # not possible in the topic's, meeting's or vote's state (a ballot after closing …)
    ALREADY_VOTED = "hall_already_voted"  # this household has voted in this vote
    NOT_ELIGIBLE = "hall_not_eligible"  # the household is not of the vote's area (or unknown)
    VERIFICATION = "hall_verification"  # the household code and phone digits do not match
    NOT_PASSED = "hall_not_passed"  # an outcome of a vote that did not pass (or is not closed)
    AREA = "hall_area"  # a place that is not the community or below it


register_error_codes(HallErrorCode, {
    HallErrorCode.STATE: (409, _("当前状态下不能执行此操作。")),
    HallErrorCode.ALREADY_VOTED: (409, _("该户已经投过票，每户只能投一票。")),
    HallErrorCode.NOT_ELIGIBLE: (400, _("该户不在本次表决范围内。")),
    HallErrorCode.VERIFICATION: (400, _("户编码或手机号后四位不正确。")),
    HallErrorCode.NOT_PASSED: (409, _("表决未通过或尚未结束，不能办理结果。")),
    HallErrorCode.AREA: (400, _("范围应为本社区或其下的小区、楼栋。")),
})
