"""The cases app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class CaseErrorCode(StrEnum):
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"  # the transition table has no such step from this state
    REPLY_REQUIRED = "reply_required"  # closing before the reporter was answered
    CASE_NOT_OPEN = "case_not_open"  # the case has ended
    EXTENSION_PENDING = "extension_pending"  # a second extension request while one waits
    NO_EXTENSION_PENDING = "no_extension_pending"  # approve/deny with nothing (or a lapsed request) waiting
    MERGE_INVALID = "merge_invalid"  # merging into itself, a closed case, or another district's case
    SUPERVISION_NOT_OPEN = "supervision_not_open"  # a supervision reply without an open supervision
    CONSULTATION_INVALID = "consultation_invalid"  # a meeting, agenda or decision the consultation rules refuse
    INTAKE_BUSY = "intake_busy"  # every slot for batch registration is taken: send the batch again later
    NOT_A_CONSULTATION = "not_a_consultation"  # a direct answer (直接答复办结) for a case that is no consultation


register_error_codes(CaseErrorCode, {
    CaseErrorCode.TRANSITION_NOT_ALLOWED: (409, _("当前状态下不能执行此操作。")),
    CaseErrorCode.REPLY_REQUIRED: (409, _("结案前必须先答复诉求人（或记录无法联系）。")),
    CaseErrorCode.CASE_NOT_OPEN: (409, _("该工单已结束。")),
    CaseErrorCode.EXTENSION_PENDING: (409, _("已有待审批的延期申请。")),
    CaseErrorCode.NO_EXTENSION_PENDING: (409, _("没有待审批的延期申请。")),
    CaseErrorCode.MERGE_INVALID: (400, _("不能合并到该工单。")),
    CaseErrorCode.SUPERVISION_NOT_OPEN: (409, _("没有待回复的督办。")),
    CaseErrorCode.CONSULTATION_INVALID: (400, _("会商操作无效。")),
    CaseErrorCode.NOT_A_CONSULTATION: (409, _("只有尚未派单的咨询类诉求可以直接答复办结。")),
    CaseErrorCode.INTAKE_BUSY: (429, _("批量登记正忙，本批未登记，请按 Retry-After 所示秒数后重新提交。")),
})
