"""The volunteers app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class VolunteerErrorCode(StrEnum):
    NEED_FULL = "need_full"  # every slot of the service need is taken
    ALREADY_SIGNED_UP = "already_signed_up"  # the member holds a sign-up for this need
    NEED_NOT_OPEN = "need_not_open"  # closed, or its time is over
    SIGNUP_STATE = "signup_state"  # check-in before sign-up, check-out before check-in, cancel after check-in …
    TIMES_INVALID = "times_invalid"  # check-out not after check-in, a shift too long, a time in the future
    NOT_HERE = "member_not_here"  # the member is not registered to the need's community
    ALREADY_REGISTERED = "already_registered"  # the person is registered already
    PROOF_FAILED = "volunteer_proof_failed"  # code and phone digits do not match
    PROOF_REQUIRED = "volunteer_proof_required"  # the self-service page needs the proof first


register_error_codes(VolunteerErrorCode, {
    VolunteerErrorCode.NEED_FULL: (409, _("该服务需求的名额已满。")),
    VolunteerErrorCode.ALREADY_SIGNED_UP: (409, _("已经报名过该服务需求。")),
    VolunteerErrorCode.NEED_NOT_OPEN: (409, _("该服务需求已结束，不能报名。")),
    VolunteerErrorCode.SIGNUP_STATE: (409, _("报名当前状态下不能执行此操作。")),
    VolunteerErrorCode.TIMES_INVALID: (400, _("签到签退时间无效：签退须晚于签到，单次服务不超过16小时，不能晚于现在。")),
    VolunteerErrorCode.NOT_HERE: (400, _("该人员未在本社区报到。")),
    VolunteerErrorCode.ALREADY_REGISTERED: (409, _("该人员已经报到。")),
    VolunteerErrorCode.PROOF_FAILED: (403, _("编号或手机号后四位不正确。")),
    VolunteerErrorCode.PROOF_REQUIRED: (403, _("请先验证身份。")),
})
