"""The one business-error type. Every refusal in civicloop is a `CivicError` with a stable code.

Codes are part of the API contract: clients switch on `code`, people read `message`
(translated: zh-Hans by default, English when the request asks for it). The HTTP status
is derived from the code in one table, so the API and the pages agree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    # generic
    NOT_FOUND = "not_found"  # missing, or outside the actor's scope (deliberately the same answer)
    FORBIDDEN = "forbidden"  # visible, but this actor may not do this
    INVALID = "invalid"  # input failed validation
    CONFLICT = "conflict"  # the object changed since it was read (optimistic lock)
    DUPLICATE = "duplicate"  # natural key already used
    # import
    IMPORT_FILE_UNREADABLE = "import_file_unreadable"
    IMPORT_BAD_HEADER = "import_bad_header"
    IMPORT_ROWS_INVALID = "import_rows_invalid"
    IMPORT_UNKNOWN_KIND = "import_unknown_kind"
    # cases
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    REPLY_REQUIRED = "reply_required"
    CASE_NOT_OPEN = "case_not_open"
    EXTENSION_PENDING = "extension_pending"
    NO_EXTENSION_PENDING = "no_extension_pending"
    MERGE_INVALID = "merge_invalid"
    SUPERVISION_NOT_OPEN = "supervision_not_open"
    CONSULTATION_INVALID = "consultation_invalid"


STATUS_FOR_CODE: dict[str, int] = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.DUPLICATE: 409,
    ErrorCode.TRANSITION_NOT_ALLOWED: 409,
    ErrorCode.EXTENSION_PENDING: 409,
    ErrorCode.NO_EXTENSION_PENDING: 409,
    ErrorCode.CASE_NOT_OPEN: 409,
    ErrorCode.REPLY_REQUIRED: 409,
    ErrorCode.SUPERVISION_NOT_OPEN: 409,
}

DEFAULT_MESSAGES: dict[str, Any] = {
    ErrorCode.NOT_FOUND: _("找不到该对象，或您无权查看。"),
    ErrorCode.FORBIDDEN: _("您无权执行此操作。"),
    ErrorCode.INVALID: _("输入有误。"),
    ErrorCode.CONFLICT: _("该记录已被他人修改，请刷新后重试。"),
    ErrorCode.DUPLICATE: _("编码已存在。"),
    ErrorCode.IMPORT_FILE_UNREADABLE: _("无法读取文件。"),
    ErrorCode.IMPORT_BAD_HEADER: _("表头与模板不符。"),
    ErrorCode.IMPORT_ROWS_INVALID: _("有行数据不合格，未写入任何数据。"),
    ErrorCode.IMPORT_UNKNOWN_KIND: _("未知的导入类型。"),
    ErrorCode.TRANSITION_NOT_ALLOWED: _("当前状态下不能执行此操作。"),
    ErrorCode.REPLY_REQUIRED: _("结案前必须先答复诉求人（或记录无法联系）。"),
    ErrorCode.CASE_NOT_OPEN: _("该工单已结束。"),
    ErrorCode.EXTENSION_PENDING: _("已有待审批的延期申请。"),
    ErrorCode.NO_EXTENSION_PENDING: _("没有待审批的延期申请。"),
    ErrorCode.MERGE_INVALID: _("不能合并到该工单。"),
    ErrorCode.SUPERVISION_NOT_OPEN: _("没有待回复的督办。"),
    ErrorCode.CONSULTATION_INVALID: _("会商操作无效。"),
}


class CivicError(Exception):
    """A refusal a person can understand: stable `code`, translated `message`, optional `details`.

    `details` is a list of {"where": ..., "field": ..., "reason": ...} dicts (e.g. import rows).
    """

    def __init__(self, code: ErrorCode | str, message: Any = None, *, details: list[dict] | None = None, **params: Any):
        self.code = ErrorCode(code)
        self._message = message if message is not None else DEFAULT_MESSAGES.get(self.code, self.code.value)
        self.params = params
        self.details = details or []
        super().__init__(str(self.code))

    @property
    def message(self) -> str:
        text = str(self._message)
        if self.params:
            try:
                text = text % self.params
            except (KeyError, TypeError, ValueError):
                pass
        return text

    @property
    def status(self) -> int:
        return STATUS_FOR_CODE.get(self.code, 400)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code.value,
            "message": self.message,
            "details": [{k: str(v) for k, v in d.items()} for d in self.details],
        }

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.code.value}: {self.message}"


def not_found() -> CivicError:
    """Missing and out-of-scope look the same (never leak that another street's object exists)."""
    return CivicError(ErrorCode.NOT_FOUND)
