"""Indicator sets to Excel and back through the imports framework."""

import io
from decimal import Decimal as D

import openpyxl
import pytest

from civicloop.assess.export import set_workbook
from civicloop.assess.models import Dimension, Indicator
from civicloop.assess.selectors import set_indicators
from civicloop.core.errors import CivicError
from civicloop.imports.services import import_run

pytestmark = pytest.mark.django_db


def _rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_then_import_back_changes_only_what_was_edited(world, small_set):
    rows = _rows(set_workbook(small_set, set_indicators(world.district_admin, small_set)))
    assert rows[0][:4] == ["指标体系编码", "维度", "指标编码", "指标名称"] and len(rows) == 6
    unchanged = import_run(actor=world.district_admin, kind="assess_indicators", file_path_or_bytes=_xlsx(rows),
                           filename="x.xlsx")
    assert (unchanged.created, unchanged.updated, unchanged.unchanged) == (0, 0, 5)
    k1 = next(r for r in rows if r[2] == "K1")
    k1[8] = "30"  # weight
    rows.append(["small", "新维度", "N1", "新指标", "主观指标", "", "", "", "4", "扣分", "", "", "", "", "1", ""])
    result = import_run(actor=world.district_admin, kind="assess_indicators", file_path_or_bytes=_xlsx(rows),
                        filename="x.xlsx")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 4)
    assert Indicator.objects.get(indicator_set=small_set, code="K1").weight == D(30)
    n1 = Indicator.objects.get(indicator_set=small_set, code="N1")
    assert (n1.dimension.name, n1.rule, n1.per_item) == ("新维度", "deduction", D(1))


def test_a_row_with_an_incomplete_rule_or_a_frozen_set_writes_nothing(computed):
    w = computed.loop.world
    rows = _rows(set_workbook(computed.set, set_indicators(w.district_admin, computed.set)))
    with pytest.raises(CivicError) as exc:  # the set is frozen (computed)
        import_run(actor=w.district_admin, kind="assess_indicators", file_path_or_bytes=_xlsx(rows), filename="x.xlsx")
    assert "冻结" in str(exc.value.details)


def test_incomplete_rule_row_refused(world, small_set):
    header = _rows(set_workbook(small_set, []))[0]
    bad = ["small", "办理", "X1", "缺保底值", "客观指标", "on_time_rate", "", "", "5", "线性计分", "", "95", "", "",
           "", ""]
    dims = Dimension.objects.count()
    with pytest.raises(CivicError) as exc:
        import_run(actor=world.district_admin, kind="assess_indicators", file_path_or_bytes=_xlsx([header, bad]),
                   filename="x.xlsx")
    assert "保底值" in str(exc.value.details)
    assert not Indicator.objects.filter(code="X1").exists() and Dimension.objects.count() == dims
