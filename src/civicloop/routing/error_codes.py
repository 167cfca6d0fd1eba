"""The routing app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class RoutingErrorCode(StrEnum):
    NO_MODEL = "routing_no_model"  # the district has no fitted model yet (too few closed cases)
    NOT_SUGGESTED = "routing_not_suggested"  # "use this" named a category or unit the suggestion did not offer
    NOTHING_TO_SUGGEST = "routing_nothing_to_suggest"  # the case is past triage and dispatch (or the viewer may not)


register_error_codes(RoutingErrorCode, {
    RoutingErrorCode.NO_MODEL: (409, _("本区尚无派单模型：已结案的工单太少，暂不能给出建议。")),
    RoutingErrorCode.NOT_SUGGESTED: (400, _("所选分类或承办单位不在本次建议之中。")),
    RoutingErrorCode.NOTHING_TO_SUGGEST: (409, _("该工单当前不需要分类或派单建议。")),
})
