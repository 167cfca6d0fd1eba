"""Writing .xlsx files (xlsxwriter): the one place every download of a workbook goes through — the import templates
(imports.workbook), list exports (visits' unvisited key-group subjects) — so headers, text cells and widths look
the same everywhere.

    data = workbook_bytes([Sheet("名单", columns=[Column("地址", width=40), …], rows=rows)])

Text is written as text (codes, phones and ID numbers keep their leading zeros; a value is never read as a
formula); integers and decimals as numbers; dates as dates, date-times (local wall time) to the minute. Rows may be a generator: the workbook holds them,
the caller need not.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter

HEADER_FORMAT = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
MAX_SHEET_NAME = 31  # Excel's limit; longer names are cut
MAX_CELL_TEXT = 32767  # Excel's limit per cell


@dataclass(frozen=True)
class Column:
    header: str
    comment: str = ""  # a note on the header cell (e.g. the column's English name)
    width: int | None = None  # in characters; default: fits the header (CJK counted double)


@dataclass
class Sheet:
    name: str
    columns: Sequence[Column] = ()  # no columns: no header row (a sheet of notes)
    rows: Iterable[Sequence] = ()
    freeze_header: bool = True


def _header_width(text: str) -> int:
    return max(12, sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2)


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The .xlsx file holding `sheets`, as bytes."""
    buffer = io.BytesIO()
    # strings_to_numbers/formulas off: a text cell stays the text it was ("=1+1", "0021" are not converted)
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    header = workbook.add_format(HEADER_FORMAT)
    as_text = workbook.add_format({"num_format": "@"})
    as_date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    as_datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.name[:MAX_SHEET_NAME])
        for col, column in enumerate(spec.columns):
            sheet.write_string(0, col, column.header, header)
            if column.comment:
                sheet.write_comment(0, col, column.comment)
            sheet.set_column(col, col, column.width or _header_width(column.header), as_text)
        if spec.columns and spec.freeze_header:
            sheet.freeze_panes(1, 0)
        first = 1 if spec.columns else 0
        for r, row in enumerate(spec.rows, start=first):
            for col, value in enumerate(row):
                _write(sheet, r, col, value, as_text, as_date, as_datetime)
    workbook.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value, as_text, as_date, as_datetime) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float, decimal.Decimal)):
        sheet.write_number(row, col, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), as_datetime)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), as_date)
    else:
        sheet.write_string(row, col, str(value)[:MAX_CELL_TEXT], as_text)
