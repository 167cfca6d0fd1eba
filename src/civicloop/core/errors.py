"""The one business-error type. Every refusal in civicloop is a `CivicError` with a stable code.

Codes are part of the API contract: clients switch on `code`, people read `message`
(translated: zh-Hans by default, English when the request asks for it). Each app owns its codes in its own
`error_codes.py` (a `StrEnum` and one `register_error_codes` call with each code's HTTP status and default message);
this module keeps only the generic ones. `CivicError` refuses a code nobody registered, so a typo cannot reach a
client as a new, undocumented code. The HTTP status comes from the registered table, so the API and the pages agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CodeInfo:
    code: StrEnum  # the member, so `exc.code` is the enum whatever the caller passed
    status: int
    message: Any  # a lazy translation


# code value → its registration; filled by `register_error_codes` (core's codes below, each app's error_codes.py,
# which `CoreConfig.ready` imports for every installed app).
_REGISTERED: dict[str, CodeInfo] = {}


def register_error_codes(codes: type[StrEnum], table: Mapping[StrEnum, tuple[int, Any]]) -> type[StrEnum]:
    """Register every member of `codes` with its (HTTP status, default message) from `table`.

    Every member must have a row, and a code value belongs to one enum only (two apps cannot claim the same
    string). Registering the same enum again (a module imported twice) is harmless.
    """
    missing = [member.value for member in codes if member not in table]
    if missing:
        raise ValueError(f"{codes.__qualname__}: no (status, message) for {missing}")
    for member in codes:
        known = _REGISTERED.get(member.value)
        if known is not None and (type(known.code).__module__, type(known.code).__qualname__) != (
                codes.__module__, codes.__qualname__):
            raise ValueError(f"error code {member.value!r} is already registered by {type(known.code).__qualname__}")
        status, message = table[member]
        _REGISTERED[member.value] = CodeInfo(member, status, message)
    return codes


def registered_codes() -> dict[str, CodeInfo]:
    """Every registered code (value → status, message): for docs and tests."""
    return dict(_REGISTERED)


class ErrorCode(StrEnum):
    """The generic codes every app may raise; an app's own codes live in its `error_codes.py`."""

    NOT_FOUND = "not_found"  # missing, or outside the actor's scope (deliberately the same answer)
    FORBIDDEN = "forbidden"  # visible, but this actor may not do this
    INVALID = "invalid"  # input failed validation
    CONFLICT = "conflict"  # the object changed since it was read (optimistic lock)
    DUPLICATE = "duplicate"  # natural key already used
    MALFORMED_BODY = "malformed_body"  # the request body is not what its Content-Type says (e.g. broken JSON)
    PAYLOAD_TOO_LARGE = "payload_too_large"  # the request body is over the size limit
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"  # a body the endpoint does not read (JSON endpoints: JSON only)


register_error_codes(ErrorCode, {
    ErrorCode.NOT_FOUND: (404, _("找不到该对象，或您无权查看。")),
    ErrorCode.FORBIDDEN: (403, _("您无权执行此操作。")),
    ErrorCode.INVALID: (400, _("输入有误。")),
    ErrorCode.CONFLICT: (409, _("该记录已被他人修改，请刷新后重试。")),
    ErrorCode.DUPLICATE: (409, _("编码已存在。")),
    ErrorCode.MALFORMED_BODY: (400, _("无法解析请求体，请检查其格式。")),
    ErrorCode.PAYLOAD_TOO_LARGE: (413, _("请求体过大。")),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: (415, _("不支持该请求体类型：请以 application/json 发送。")),
})


class CivicError(Exception):
    """A refusal a person can understand: stable `code`, translated `message`, optional `details`.

    `details` is a list of {"where": ..., "field": ..., "reason": ...} dicts (e.g. import rows).
    """

    def __init__(self, code: StrEnum | str, message: Any = None, *, details: list[dict] | None = None, **params: Any):
        info = _REGISTERED.get(str(code))
        if info is None:
            raise ValueError(f"unregistered error code {str(code)!r}: declare it in the app's error_codes.py")
        self.code = info.code
        self._status = info.status
        self._message = message if message is not None else info.message
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
        return self._status

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


def number_too_large() -> CivicError:
    """A number in the input beyond what the database can store (e.g. an id of more than 64 bits)."""
    return CivicError(ErrorCode.INVALID, _("输入的数字超出允许范围。"))


def nul_in_text() -> CivicError:
    """A NUL character in a text of the input (PostgreSQL text cannot hold it; nobody types it)."""
    return CivicError(ErrorCode.INVALID, _("输入含有不允许的控制字符（NUL）。"))
