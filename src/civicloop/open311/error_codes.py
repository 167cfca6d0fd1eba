"""The open311 app's error codes: their string values are part of the API contract (clients switch on them).
On the wire the spec's error list carries the HTTP status as `code`; ours goes beside it (`formats.errors`)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class Open311ErrorCode(StrEnum):
    SERVICE_UNKNOWN = "open311_service_unknown"  # no active leaf category has this service_code
    LOCATION_MISSING = "open311_location_missing"  # neither lat+long nor address_string
    OUT_OF_AREA = "open311_out_of_area"  # the point lies outside the key's district
    ATTRIBUTE_REQUIRED = "open311_attribute_required"  # a required question of the service definition unanswered
    ATTRIBUTE_INVALID = "open311_attribute_invalid"  # an answer not of the question's type or list
    PARAMETER_INVALID = "open311_parameter_invalid"  # a parameter of the wrong form (date, number, page size …)


register_error_codes(Open311ErrorCode, {
    Open311ErrorCode.SERVICE_UNKNOWN: (400, _("service_code 不存在：%(service_code)s。")),
    Open311ErrorCode.LOCATION_MISSING: (400, _("缺少位置：请提供 lat 和 long，或 address_string。")),
    Open311ErrorCode.OUT_OF_AREA: (400, _("位置不在本区范围内。")),
    Open311ErrorCode.ATTRIBUTE_REQUIRED: (400, _("缺少必填信息：%(question)s（attribute[%(field)s]）。")),
    Open311ErrorCode.ATTRIBUTE_INVALID: (400, _("信息填写不正确：%(question)s（attribute[%(field)s]）。")),
    Open311ErrorCode.PARAMETER_INVALID: (400, _("参数 %(name)s 不正确：%(reason)s")),
})
