"""The portal's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class PortalErrorCode(StrEnum):
    PROOF_FAILED = "proof_failed"  # neither the secret nor the last four digits of the phone given matched
    PROOF_REQUIRED = "proof_required"  # a reporter's step (rating) before proving it is them
    NOT_RATEABLE = "not_rateable"  # the case is not waiting for the reporter's rating (not replied, or rated)
    PLACE_REQUIRED = "place_required"  # no street, community, compound nor point on the map
    POINT_OUTSIDE = "point_outside"  # the point given lies outside the district


register_error_codes(PortalErrorCode, {
    PortalErrorCode.PROOF_FAILED: (403, _("验证未通过：请核对查询密码或所留电话的后四位。")),
    PortalErrorCode.PROOF_REQUIRED: (403, _("请先验证身份（查询密码或所留电话的后四位）。")),
    PortalErrorCode.NOT_RATEABLE: (409, _("该诉求当前不能评价：答复后才能评价，且每次答复只评价一次。")),
    PortalErrorCode.PLACE_REQUIRED: (400, _("请选择街道、居委或小区，或在地图上点选位置。")),
    PortalErrorCode.POINT_OUTSIDE: (400, _("所选位置不在本区范围内，请重新选择。")),
})
