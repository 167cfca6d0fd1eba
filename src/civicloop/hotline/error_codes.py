"""The hotline app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class HotlineErrorCode(StrEnum):
    MAPPING_INVALID = "hotline_mapping_invalid"  # a mapping to an unknown or inactive category, or a blank name


register_error_codes(HotlineErrorCode, {
    HotlineErrorCode.MAPPING_INVALID: (400, _("分类对照无效。")),
})
