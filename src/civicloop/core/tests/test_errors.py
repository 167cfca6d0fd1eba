"""The one error type: codes come from the apps' registrations, with their status and default message."""

from enum import StrEnum

import pytest

from civicloop.cases.error_codes import CaseErrorCode
from civicloop.core.errors import CivicError, ErrorCode, register_error_codes, registered_codes
from civicloop.imports.error_codes import ImportErrorCode


def test_an_unregistered_code_is_refused():
    with pytest.raises(ValueError, match="unregistered error code 'no_such_code'"):
        CivicError("no_such_code")

    class Stray(StrEnum):
        STRAY = "stray_code"  # an enum nobody registered

    with pytest.raises(ValueError, match="unregistered"):
        CivicError(Stray.STRAY)


def test_each_app_registers_its_codes_with_status_and_message():
    codes = registered_codes()
    assert {c.value for c in ErrorCode} == {"not_found", "forbidden", "invalid", "conflict", "duplicate",
                                           "malformed_body", "payload_too_large", "unsupported_media_type"}
    assert {c.value for c in (*ErrorCode, *CaseErrorCode, *ImportErrorCode)} <= set(codes)
    error = CivicError("merge_invalid")  # by its string value too: the app's member comes back
    assert error.code is CaseErrorCode.MERGE_INVALID and error.status == 400 and error.message == "不能合并到该工单。"
    assert CivicError(CaseErrorCode.REPLY_REQUIRED).status == 409
    assert CivicError(ImportErrorCode.IMPORT_ROWS_INVALID).as_dict()["code"] == "import_rows_invalid"
    assert CivicError(ErrorCode.NOT_FOUND).status == 404


def test_a_code_belongs_to_one_app_and_every_code_has_its_row():
    class Clash(StrEnum):
        MERGE_INVALID = "merge_invalid"

    with pytest.raises(ValueError, match="already registered by CaseErrorCode"):
        register_error_codes(Clash, {Clash.MERGE_INVALID: (400, "x")})

    class Incomplete(StrEnum):
        ONE = "incomplete_one"
        TWO = "incomplete_two"

    with pytest.raises(ValueError, match="incomplete_two"):
        register_error_codes(Incomplete, {Incomplete.ONE: (400, "x")})
    assert "incomplete_one" not in registered_codes()
    register_error_codes(CaseErrorCode, {c: (registered_codes()[c].status, registered_codes()[c].message)
                                         for c in CaseErrorCode})  # the same enum again: harmless
