"""The apikeys app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class KeyErrorCode(StrEnum):
    KEY_MISSING = "api_key_missing"  # the request carries no key
    KEY_INVALID = "api_key_invalid"  # no key matches (mistyped, or never issued)
    KEY_REVOKED = "api_key_revoked"  # the key was revoked by an administrator
    KEY_SCOPE = "api_key_scope"  # the key is valid but not for this interface


register_error_codes(KeyErrorCode, {
    KeyErrorCode.KEY_MISSING: (401, _("缺少接口密钥（api_key）。")),
    KeyErrorCode.KEY_INVALID: (401, _("接口密钥无效。")),
    KeyErrorCode.KEY_REVOKED: (401, _("接口密钥已被吊销。")),
    KeyErrorCode.KEY_SCOPE: (403, _("该接口密钥无权使用此接口。")),
})
