from datetime import date, datetime

import pytest

from civicloop.core.errors import CivicError
from civicloop.imports.error_codes import ImportErrorCode
from civicloop.imports.reader import cell_text, read_rows

from .helpers import csv_bytes, xlsx


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (310104002001.0, "310104002001"),  # a code Excel stored as a number
        (13812341234, "13812341234"),
        (31.195, "31.195"),
        (datetime(2024, 1, 2), "2024-01-02"),
        (datetime(2024, 1, 2, 8, 30), "2024-01-02 08:30:00"),
        (date(2024, 1, 2), "2024-01-02"),
        (None, ""),
        ("  天平路\u3000", "天平路"),
    ],
)
def test_cells_become_the_text_people_typed(value, text):
    assert cell_text(value) == text


def test_xlsx_rows_keep_spreadsheet_row_numbers_and_leading_zeros():
    data = xlsx([["编码", "室号"], [], [310104002001, "0101"]])  # row 2 left empty
    rows = read_rows(data, "x.xlsx")
    assert rows == [(1, ["编码", "室号"]), (3, ["310104002001", "0101"])]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_bom_and_gbk(encoding):
    rows = read_rows(csv_bytes([["户编码", "地址"], ["A-0101", "徐汇区天平路"]], encoding), "h.csv")
    assert rows[1] == (2, ["A-0101", "徐汇区天平路"])


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"PK\x03\x04 this is not really a workbook", "broken.xlsx"), (b"hello", "notes.txt"), (b"", "empty.csv")],
)
def test_malformed_files_refused_clearly(data, name):
    with pytest.raises(CivicError) as exc:
        read_rows(data, name)
    assert exc.value.code == ImportErrorCode.IMPORT_FILE_UNREADABLE
    assert exc.value.message
