"""Downloadable templates: one sheet, the header row (required columns marked *) and one example row."""

from __future__ import annotations

from django.utils.translation import gettext as _gettext

from civicloop.core.errors import CivicError
from civicloop.core.xlsx import Column, Sheet, workbook_bytes

from .error_codes import ImportErrorCode
from .kinds import KINDS


def template_build(*, kind: str) -> bytes:
    if kind not in KINDS:
        raise CivicError(ImportErrorCode.IMPORT_UNKNOWN_KIND)
    spec = KINDS[kind]
    columns = []
    for column in spec.columns:
        title = str(column.header) + ("*" if column.required else "")
        columns.append(Column(title, comment=f"{column.header_en}{' (required)' if column.required else ''}",
                              width=max(12, len(title) * 2 + 2)))
    # codes, phones and ID numbers keep their leading zeros: the shared writer formats every column as text
    example = Sheet(kind, columns=columns, rows=[[column.example for column in spec.columns]])
    note = Sheet(_gettext("说明"), rows=[[_gettext(
        "第一行为表头（带 * 为必填），第二行为示例，请替换为实际数据。编码、电话、身份证号请以文本格式填写。")]])
    return workbook_bytes([example, note])
