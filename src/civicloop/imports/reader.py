"""Read an uploaded .xlsx/.xls/.ods or .csv into rows of text, each with its spreadsheet row number.

Spreadsheets store codes and phone numbers as numbers and dates as dates; everything here becomes the text a
person typed: 310104002001.0 → "310104002001", 13812341234 → "13812341234", a date → "2024-01-02".
(A leading zero that Excel already dropped from a *number* cell cannot be recovered: the templates format code
columns as text so it is never dropped.)
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

import python_calamine
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError

from .error_codes import ImportErrorCode

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8 (with or without BOM), then GBK/GB18030 from Chinese Excel


def cell_text(value) -> str:
    if type(value) is str:  # the common case first: this runs for every cell of 180,000-row files
        return value.replace("\u3000", " ").strip() if value else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).replace("\u3000", " ").strip()


def read_rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    """All non-empty rows as (row number, cells); the first one is the header. Refuses unreadable files."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".csv":
        raw_rows = _csv_rows(data)
    elif suffix in SPREADSHEET_SUFFIXES:
        raw_rows = _spreadsheet_rows(data)
    else:
        raise CivicError(ImportErrorCode.IMPORT_FILE_UNREADABLE, _("只支持 .xlsx 或 .csv 文件。"))
    rows = []
    for number, raw in enumerate(raw_rows, start=1):
        cells = [cell_text(v) for v in raw]
        if any(cells):
            rows.append((number, cells))
    if not rows:
        raise CivicError(ImportErrorCode.IMPORT_FILE_UNREADABLE, _("文件是空的。"))
    return rows


def _spreadsheet_rows(data: bytes):
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        # iter_rows starts at the sheet's first row (A1), so enumerate() gives the row number people see.
        return list(sheet.iter_rows())
    except Exception as exc:  # calamine raises several types for broken zips/xml/unknown formats
        raise CivicError(
            ImportErrorCode.IMPORT_FILE_UNREADABLE, _("不是有效的 Excel 工作簿：%(reason)s"), reason=str(exc)
        ) from exc


def _csv_rows(data: bytes):
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CivicError(ImportErrorCode.IMPORT_FILE_UNREADABLE, _("CSV 文件编码无法识别（请用 UTF-8 或 GBK）。"))
    if "\x00" in text:
        raise CivicError(ImportErrorCode.IMPORT_FILE_UNREADABLE, _("不是文本格式的 CSV 文件。"))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CivicError(ImportErrorCode.IMPORT_FILE_UNREADABLE, _("CSV 格式错误：%(reason)s"), reason=str(exc)) from exc
