"""The signs app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class SignsErrorCode(StrEnum):
    UNKNOWN_DEVICE = "signs_unknown_device"  # a reading for a device not registered in the key's district (or inactive)
    UNKNOWN_METRIC = "signs_unknown_metric"  # a metric not in the catalogue, or one this kind of device does not report
    BAD_VALUE = "signs_bad_value"  # a value that is not a finite number within ±1e12, or a time in the future
    RULE_INVALID = "signs_rule_invalid"  # a rule whose levels, durations or windows do not fit its kind
    ALARM_STATE = "signs_alarm_state"  # the step is not possible in the alarm's state (acknowledged, escalated …)


register_error_codes(SignsErrorCode, {
    SignsErrorCode.UNKNOWN_DEVICE: (404, _("设备未登记或已停用。")),
    SignsErrorCode.UNKNOWN_METRIC: (400, _("监测指标不存在，或该类设备不报送此指标。")),
    SignsErrorCode.BAD_VALUE: (400, _("读数无效：须为 ±1e12 以内的数值，时间不能晚于当前。")),
    SignsErrorCode.RULE_INVALID: (400, _("告警规则的阈值、时长或次数与规则类型不符。")),
    SignsErrorCode.ALARM_STATE: (409, _("告警当前状态下不能执行此操作。")),
})
