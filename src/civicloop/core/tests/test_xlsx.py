"""core.xlsx, the one .xlsx writer: text stays text (leading zeros, formulas), numbers and dates keep their type,
a sheet without columns has no header row."""

import datetime as dt
import io

from python_calamine import CalamineWorkbook

from civicloop.core.xlsx import Column, Sheet, workbook_bytes


def test_cells_keep_their_type_and_text_is_never_read_as_a_number_or_formula():
    data = workbook_bytes([
        Sheet("名单", columns=[Column("编码"), Column("公式"), Column("人数"), Column("日期"), Column("空"),
                             Column("时间")],
              rows=iter([["0021", "=1+1", 3, dt.date(2026, 3, 5), None, dt.datetime(2026, 3, 5, 17, 30)]])),
        Sheet("说明", rows=[["只有一格"]]),
    ])
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["名单", "说明"]
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == ["编码", "公式", "人数", "日期", "空", "时间"]
    assert rows[1][:4] == ["0021", "=1+1", 3, dt.date(2026, 3, 5)]
    assert rows[1][5] == dt.datetime(2026, 3, 5, 17, 30)  # to the minute, not cut to its day
    assert book.get_sheet_by_index(1).to_python() == [["只有一格"]]
