import pytest

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.imports.error_codes import ImportErrorCode
from civicloop.imports.services import import_run
from civicloop.places.models import Household

from .helpers import HOUSEHOLD_HEADER, csv_bytes, household_row, xlsx

B_A1 = "310104001001-C001-B01"  # a building in street A of the test district
B_A2 = "310104001002-C001-B01"


def run(actor, data, name="h.xlsx", **kw):
    return import_run(actor=actor, kind="households", file_path_or_bytes=data, filename=name, **kw)


def details(exc):
    return [(d["where"], d["field"], d["reason"]) for d in exc.as_dict()["details"]]


def test_import_creates_households_with_ancestors_and_tags(world):
    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201"), household_row(B_A2, "0301", tags="独居老人,低保")])
    result = run(world.district_admin, data)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    h = Household.objects.get(code=f"{B_A2}-0301")
    assert (h.street, h.community, h.district) == (world.street_a, world.comm_a2, world.district)
    assert h.room == "0301" and h.head_id_number == "11010519491231002X"
    assert sorted(h.tags.values_list("name", flat=True)) == ["低保", "独居老人"]


def test_reimport_is_idempotent_and_changes_are_counted(world):
    rows = [HOUSEHOLD_HEADER, household_row(B_A1, "0201"), household_row(B_A1, "0202")]
    run(world.district_admin, xlsx(rows))
    again = run(world.district_admin, xlsx(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rows[2] = household_row(B_A1, "0202", members=5, tags="")
    changed = run(world.district_admin, xlsx(rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    h = Household.objects.get(code=f"{B_A1}-0202")
    assert h.members == 5 and not h.tags.exists()


def test_bad_rows_reported_with_row_column_reason_and_nothing_written(world):
    before = Household.objects.count()
    data = xlsx([
        HOUSEHOLD_HEADER,
        household_row(B_A1, "0201"),  # good, but must not be written
        household_row(B_A1, "0202", id="110105194912310021"),  # wrong check digit
        household_row(B_A1, "0203", phone="12345"),
        household_row("310104001001-C001-B99", "0204"),  # unknown building
        household_row(B_A1, "0205", address=None),  # required cell empty
        household_row(B_A1, "0201"),  # duplicate of row 2
        household_row(B_A1, "0207", tags="外星人"),
    ])
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, data)
    assert exc.value.code == ImportErrorCode.IMPORT_ROWS_INVALID
    got = details(exc.value)
    assert [(w, f) for w, f, _r in got] == [
        ("第3行", "身份证号"), ("第4行", "联系电话"), ("第5行", "楼栋编码"), ("第6行", "地址"), ("第7行", "户编码"), ("第8行", "标签"),
    ]
    reasons = dict(((w, f), r) for w, f, r in got)
    assert "校验位错误" in reasons[("第3行", "身份证号")]
    assert "不存在" in reasons[("第5行", "楼栋编码")]
    assert "第2行" in reasons[("第7行", "户编码")]
    assert Household.objects.count() == before


def test_chinese_headers_accepted_and_errors_reported_in_english(world):
    from django.utils import translation

    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0202", id="110105194912310021")])
    with translation.override("en"):
        with pytest.raises(CivicError) as exc:
            run(world.district_admin, data)
        detail = exc.value.as_dict()["details"][0]
        expected_where = translation.gettext("第%(row)s行") % {"row": 2}
        expected_field = translation.gettext("身份证号")
    assert (detail["where"], detail["field"]) == (expected_where, expected_field)


def test_dry_run_counts_but_writes_nothing(world):
    before = Household.objects.count()
    result = run(world.district_admin, xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")]), dry_run=True)
    assert result.dry_run and result.created == 1
    assert Household.objects.count() == before


def test_leading_zeros_survive_numeric_cells_and_text_cells(world):
    # room typed as text "0101"; phone and members stored as numbers, as Excel does
    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0901", phone=13912345678, members=3.0)])
    run(world.district_admin, data)
    h = Household.objects.get(code=f"{B_A1}-0901")
    assert (h.room, h.head_phone, h.members) == ("0901", "13912345678", 3)


def test_csv_gbk_import(world):
    data = csv_bytes([HOUSEHOLD_HEADER, household_row(B_A1, "0601")], "gbk")
    assert run(world.district_admin, data, "h.csv").created == 1


def test_only_district_admins_may_import(world):
    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")])
    for actor in (world.street_dispatcher, world.leader, world.nobody):
        with pytest.raises(CivicError) as exc:
            run(actor, data)
        assert exc.value.code == ErrorCode.FORBIDDEN
    assert not Household.objects.filter(code=f"{B_A1}-0201").exists()


def test_rows_outside_the_admins_district_refused(world):
    # the other district's admin cannot import into our buildings: they do not exist for them
    with pytest.raises(CivicError) as exc:
        run(world.stranger, xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")]))
    assert details(exc.value)[0][:2] == ("第2行", "楼栋编码")


def test_household_code_of_another_district_refused(world):
    other = "310105001001-C001-B01-0101"  # exists in the other district
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0101", code=other)]))
    assert details(exc.value)[0][:2] == ("第2行", "户编码")


def test_bad_header_refused(world):
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, xlsx([["户编码", "门牌"], ["x", "y"]]))
    assert exc.value.code == ImportErrorCode.IMPORT_BAD_HEADER
    fields = {d["field"] for d in exc.value.as_dict()["details"]}
    assert {"门牌", "楼栋编码", "地址"} <= fields


def test_unknown_kind_refused(world):
    with pytest.raises(CivicError) as exc:
        import_run(actor=world.district_admin, kind="aliens", file_path_or_bytes=b"", filename="a.csv")
    assert exc.value.code == ImportErrorCode.IMPORT_UNKNOWN_KIND


def test_every_checked_run_is_audited_with_its_counts(world):
    from civicloop.core.constants import AuditAction
    from civicloop.core.models import AuditLog

    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")])
    run(world.district_admin, data, dry_run=True)
    run(world.district_admin, data)
    with pytest.raises(CivicError):
        run(world.district_admin, xlsx([HOUSEHOLD_HEADER, household_row("NOPE", "0201")]))
    rows = list(AuditLog.objects.filter(action=AuditAction.IMPORT).order_by("id"))
    assert [(r.user, r.district_id, r.object_id) for r in rows] == [(world.district_admin, world.district.pk,
                                                                     "households")] * 2
    assert rows[0].details == {"kind": "households", "filename": "h.xlsx", "dry_run": True, "rows": 1,
                               "created": 1, "updated": 0, "unchanged": 0}
    assert rows[1].details["dry_run"] is False and rows[1].details["created"] == 1


def _with_date_room(rows: list[list], row_index: int) -> bytes:
    """A workbook like `xlsx(rows)` whose row `row_index` has a real Excel date in 室号 (what Excel makes of a
    typed "1-1" when the column is not text)."""
    import datetime as dt
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "m月d日"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if r == row_index and c == 2:
                sheet.write_datetime(r, c, dt.datetime(2026, 1, 1), date_format)
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def test_a_date_in_the_room_column_is_refused_even_in_a_dry_run(world):
    data = _with_date_room([HOUSEHOLD_HEADER, household_row(B_A1, "0201"), household_row(B_A1, "1-1")], 2)
    with pytest.raises(CivicError) as exc:
        import_run(actor=world.district_admin, kind="households", file_path_or_bytes=data, filename="h.xlsx",
                   dry_run=True)
    got = details(exc.value)
    assert [(w, f) for w, f, _r in got] == [("第3行", "室号")]
    assert "日期" in got[0][2] and "文本格式" in got[0][2]


@pytest.mark.parametrize("room", ["0101", "101", "1-1", "B1-0203", "12:30"])
def test_rooms_that_only_look_numeric_pass(world, room):
    row = household_row(B_A1, "0301")
    row[2] = room
    data = xlsx([HOUSEHOLD_HEADER, row], text_cells=True)
    result = import_run(actor=world.district_admin, kind="households", file_path_or_bytes=data, filename="h.xlsx",
                        dry_run=True)
    assert result.rows == 1
