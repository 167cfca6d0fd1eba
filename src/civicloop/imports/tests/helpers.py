"""Build small workbooks and CSV files for the import tests."""

from __future__ import annotations

import csv
import io

import xlsxwriter


def xlsx(rows: list[list], *, text_cells: bool = False) -> bytes:
    """A workbook whose first sheet holds `rows`; numbers stay numbers unless text_cells (like Excel does)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if text_cells:
                sheet.write_string(r, c, str(value))
            else:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


HOUSEHOLD_HEADER = ["户编码", "楼栋编码", "室号", "地址", "户主姓名", "联系电话", "身份证号", "人数", "标签"]


def household_row(building: str, room: str, **over) -> list:
    row = {
        "code": f"{building}-{room}", "building": building, "room": room, "address": f"{building} {room}室",
        "head_name": "李四", "phone": "13912345678", "id": "11010519491231002X", "members": 2, "tags": "独居老人",
    }
    row.update(over)
    return [row["code"], row["building"], row["room"], row["address"], row["head_name"], row["phone"], row["id"],
            row["members"], row["tags"]]
