"""Downloadable templates: one sheet, the header row (required columns marked *) and one example row."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _gettext

from civicloop.core.errors import CivicError

from .error_codes import ImportErrorCode
from .kinds import KINDS


def template_build(*, kind: str) -> bytes:
    if kind not in KINDS:
        raise CivicError(ImportErrorCode.IMPORT_UNKNOWN_KIND)
    spec = KINDS[kind]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(kind)
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    as_text = workbook.add_format({"num_format": "@"})  # codes, phones and ID numbers keep their leading zeros
    for col, column in enumerate(spec.columns):
        title = str(column.header) + ("*" if column.required else "")
        sheet.write_string(0, col, title, bold)
        sheet.write_comment(0, col, f"{column.header_en}{' (required)' if column.required else ''}")
        sheet.set_column(col, col, max(12, len(title) * 2 + 2), as_text)
        sheet.write_string(1, col, column.example, as_text)
    sheet.freeze_panes(1, 0)
    note = workbook.add_worksheet(_gettext("说明"))
    note.write_string(0, 0, _gettext("第一行为表头（带 * 为必填），第二行为示例，请替换为实际数据。编码、电话、身份证号请以文本格式填写。"))
    workbook.close()
    return buffer.getvalue()
