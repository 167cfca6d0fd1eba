"""The visits app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class VisitErrorCode(StrEnum):
    CAMPAIGN_STATE = "campaign_state"  # the step is not possible in the campaign's state (e.g. a visit in a draft)
    TEAM_INCOMPLETE = "team_incomplete"  # the team's members do not fill the campaign's team rule
    SUBJECT_REASSIGNED = "subject_reassigned"  # the subject is no longer this team's (a record synced late)
    PAIRING_INVALID = "pairing_invalid"  # a pairing whose unit is not a party organisation, or target of another kind
    MEMBER_HAS_VISITS = "member_has_visits"  # a team member who took part in visits cannot be removed


register_error_codes(VisitErrorCode, {
    VisitErrorCode.CAMPAIGN_STATE: (409, _("走访活动当前状态下不能执行此操作。")),
    VisitErrorCode.TEAM_INCOMPLETE: (400, _("走访组人员不符合组队规则。")),
    VisitErrorCode.SUBJECT_REASSIGNED: (409, _("该走访对象已改派给其他走访组，本条记录未保存。")),
    VisitErrorCode.PAIRING_INVALID: (400, _("结对无效。")),
    VisitErrorCode.MEMBER_HAS_VISITS: (409, _("该成员已参加走访，不能移出走访组。")),
})
