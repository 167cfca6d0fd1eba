import pytest

from civicloop.core.errors import CivicError
from civicloop.imports.services import import_run
from civicloop.orgs.constants import Role
from civicloop.orgs.models import Person, Unit, User
from civicloop.places.models import Enterprise

from .helpers import xlsx


def run(actor, kind, rows, **kw):
    return import_run(actor=actor, kind=kind, file_path_or_bytes=xlsx(rows), filename="x.xlsx", **kw)


UNIT_HEADER = ["编码", "名称", "类型", "上级单位编码", "辖区编码", "启用"]


def test_units_with_parent_in_an_earlier_row(world):
    rows = [UNIT_HEADER,
            ["U-SC", "丙街道办事处", "街道/镇", "", "310104002000", "是"],
            ["U-SC1", "丙一居委", "居委/村委", "U-SC", "310104002001", "是"]]
    assert run(world.district_admin, "units", rows).created == 2
    child = Unit.objects.get(code="U-SC1")
    assert child.parent.code == "U-SC" and child.district == world.district and child.territory == world.comm_b1
    again = run(world.district_admin, "units", rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_unit_unknown_parent_refused(world):
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, "units", [UNIT_HEADER, ["U-X", "某局", "委办局", "U-NOPE", "", ""]])
    assert exc.value.as_dict()["details"][0]["field"] == "上级单位编码"
    assert not Unit.objects.filter(code="U-X").exists()


STAFF_HEADER = ["用户名", "姓名", "单位编码", "角色", "手机"]


def test_staff_roles_replace_and_reimport_is_idempotent(world):
    rows = [STAFF_HEADER, ["xh_new", "王五", "U-SA", "派单员,承办人", "13912345678"]]
    assert run(world.district_admin, "staff", rows).created == 1
    user = User.objects.get(username="xh_new")
    assert user.unit == world.street_a_office and user.roles == {Role.DISPATCHER, Role.HANDLER}
    assert not user.has_usable_password()
    assert run(world.district_admin, "staff", rows).unchanged == 1
    rows[1][3] = "handler"
    assert run(world.district_admin, "staff", rows).updated == 1
    assert User.objects.get(username="xh_new").roles == {Role.HANDLER}


def test_staff_of_another_district_cannot_be_taken_over(world):
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, "staff", [STAFF_HEADER, ["stranger", "冒名", "U-SA", "领导", ""]])
    assert exc.value.as_dict()["details"][0]["field"] == "用户名"
    assert User.objects.get(username="stranger").unit.code == "U-OTHER"


def test_people_records(world):
    rows = [["编码", "姓名", "身份", "手机", "身份证号", "报到社区编码"],
            ["P-1", "赵六", "人大代表", "13712345678", "11010519491231002X", "310104001001"],
            ["P-2", "钱七", "律师", "", "", ""]]
    assert run(world.district_admin, "people", rows).created == 2
    assert Person.objects.get(code="P-1").community == world.comm_a1
    assert run(world.district_admin, "people", rows).unchanged == 2


ENTERPRISE_HEADER = ["统一社会信用代码", "名称", "街道编码", "居委编码", "规模", "联系电话", "标签"]


def test_enterprises_checked_against_gb32100(world):
    good = ["91350100M000100Y43", "某某科技有限公司", "310104001000", "310104001001", "小型", "64871234", "重点企业"]
    bad_check = ["91350100M000100Y44", "错号公司", "310104001000", "", "", "", ""]
    wrong_community = ["911100001000044477", "错居委公司", "310104001000", "310104002001", "", "", ""]
    with pytest.raises(CivicError) as exc:
        run(world.district_admin, "enterprises", [ENTERPRISE_HEADER, good, bad_check, wrong_community])
    got = [(d["where"], d["field"]) for d in exc.value.as_dict()["details"]]
    assert got == [("第3行", "统一社会信用代码"), ("第4行", "居委编码")]
    assert not Enterprise.objects.exists()
    assert run(world.district_admin, "enterprises", [ENTERPRISE_HEADER, good]).created == 1
    e = Enterprise.objects.get()
    assert (e.contact_phone, e.size, list(e.tags.values_list("code", flat=True))) == ("021-64871234", "small", ["key_enterprise"])
