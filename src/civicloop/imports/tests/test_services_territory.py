import pytest

from civicloop.core.errors import CivicError
from civicloop.imports.services import import_run
from civicloop.places.models import Place

from .helpers import xlsx

HEADER = ["编码", "名称", "层级", "上级编码", "纬度", "经度"]


def run(actor, rows, **kw):
    return import_run(actor=actor, kind="territory", file_path_or_bytes=xlsx([HEADER, *rows]), filename="t.xlsx", **kw)


def test_tree_with_parents_in_earlier_rows_gets_paths_and_ancestors(world):
    rows = [
        [310104003000, "丙街道", "街道/镇", 310104000000, None, None],  # codes as Excel numbers
        [310104003001, "丙一居委", "community", 310104003000, None, None],
        ["310104003001-C01", "丙一小区", "小区", "310104003001", 31.19, 121.43],
        ["310104003001-C01-B01", "1号楼", "楼栋/楼组", "310104003001-C01", None, None],
    ]
    result = run(world.district_admin, rows)
    assert result.created == 4
    b = Place.objects.get(code="310104003001-C01-B01")
    assert b.path == "/310104000000/310104003000/310104003001/310104003001-C01/310104003001-C01-B01/"
    assert (b.district, b.street.code, b.community.code) == (world.district, "310104003000", "310104003001")
    assert str(Place.objects.get(code="310104003001-C01").lat) == "31.190000"
    again = run(world.district_admin, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_unknown_parent_and_wrong_level_reported(world):
    before = Place.objects.count()
    rows = [
        ["310104009001", "某居委", "居委/村委", "310104009000", None, None],  # parent nowhere
        ["310104001001-C09", "某小区", "小区", "310104001000", None, None],  # a compound under a street
        ["310105001001-C09", "他区小区", "小区", "310105001001", None, None],  # parent in another district
        ["310104001001-C08", "后面的父级", "楼栋/楼组", "310104001001-C07", None, None],  # parent only in a later row
        ["310104001001-C07", "小区", "小区", "310104001001", None, None],
    ]
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, rows)
    got = [(d["where"], d["field"]) for d in exc.value.as_dict()["details"]]
    assert got == [("第2行", "上级编码"), ("第3行", "上级编码"), ("第4行", "上级编码"), ("第5行", "上级编码")]
    assert "层级" in exc.value.as_dict()["details"][1]["reason"]
    assert Place.objects.count() == before


def test_names_update_but_moves_are_refused(world):
    result = run(world.district_admin, [["310104001001", "新名字居委", "居委/村委", "310104001000", None, None]])
    assert result.updated == 1
    assert Place.objects.get(code="310104001001").name == "新名字居委"
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, [["310104001001", "新名字居委", "居委/村委", "310104002000", None, None]])
    assert "移动" in exc.value.as_dict()["details"][0]["reason"]
