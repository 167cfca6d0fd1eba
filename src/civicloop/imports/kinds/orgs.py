"""Units, staff accounts and people records of the import district."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.orgs.constants import PersonKind, Role, UnitKind
from civicloop.orgs.models import Person, Unit, User, UserRole
from civicloop.places.constants import PlaceLevel

from .. import ImportKind
from .. import spec as s
from ..spec import _chunks
from .common import blank, places_by_code


def units_by_code(ctx) -> dict[str, int]:
    if "units" not in ctx.cache:
        ctx.cache["units"] = dict(ctx.scope.filter_district(Unit.objects.all()).filter(district_id=ctx.district.pk).values_list("code", "id"))
    return ctx.cache["units"]


class UnitSpec(s.KindSpec):
    """Units; a parent unit is one already in the district or an earlier row of the file."""

    kind = ImportKind.UNITS
    model = Unit
    columns = [
        s.Column("code", _("编码"), "Code", True, s.code, "U-SA"),
        s.Column("name", _("名称"), "Name", True, s.text(100), "天平路街道办事处"),
        s.Column("kind", _("类型"), "Kind", True, s.choice(UnitKind), "街道/镇"),
        s.Column("parent", _("上级单位编码"), "Parent unit code", False, s.code, ""),
        s.Column("territory", _("辖区编码"), "Territory code", False, s.code, "310104002000"),
        s.Column("duties", _("职责"), "Duties", False, s.text(2000), ""),
        s.Column("active", _("启用"), "Active", False, s.boolean, "是"),
    ]
    compare_fields = ["name", "kind", "parent_id", "territory_id", "duties", "active"]

    def load(self, ctx) -> None:
        units_by_code(ctx)
        places_by_code(ctx)

    def resolve(self, ctx, row, data) -> s.Entry:
        values = {"code": data["code"], "district_id": ctx.district.pk, "name": data["name"], "kind": data["kind"],
                  "duties": blank(data.get("duties")), "active": True if data.get("active") is None else data["active"]}
        depth = 0
        parent_code = data.get("parent")
        if parent_code:
            if parent_code == data["code"]:
                raise s.RowProblem("parent", _("上级单位不能是自己。"))
            if parent_code in units_by_code(ctx):
                values["parent_id"] = units_by_code(ctx)[parent_code]
            elif parent_code in ctx.seen:
                parent_entry = ctx.seen[parent_code]
                values["parent"] = parent_entry.instance
                depth = parent_entry.depth + 1
            else:
                raise s.RowProblem("parent", _("上级单位编码不存在（须已在本区系统中，或在本文件前面的行）。"))
        else:
            values["parent_id"] = None
        territory = data.get("territory")
        if territory:
            place = places_by_code(ctx).get(territory)
            if place is None:
                raise s.RowProblem("territory", _("辖区编码不存在或不在本区。"))
            values["territory_id"] = place["id"]
        else:
            values["territory_id"] = None
        entry = s.Entry(row=row, key=data["code"], values=values, depth=depth)
        if data["code"] not in units_by_code(ctx):
            entry.instance = Unit(**values)  # later rows may name it as their parent
        return entry


class StaffSpec(s.KindSpec):
    """Staff accounts by username; roles in the file replace the account's roles. New accounts get no
    usable password (set one in the admin or via password reset)."""

    kind = ImportKind.STAFF
    model = User
    natural_key = "username"
    natural_key_field = "username"
    taken_reason = _("用户名已被其他区或系统账户使用。")
    columns = [
        s.Column("username", _("用户名"), "Username", True, s.code, "xh_tpl_dispatcher"),
        s.Column("name", _("姓名"), "Name", True, s.text(40), "王五"),
        s.Column("unit", _("单位编码"), "Unit code", True, s.code, "U-SA"),
        s.Column("roles", _("角色"), "Roles", False, s.many(s.choice(Role)), "派单员,承办人"),
        s.Column("phone", _("手机"), "Phone", False, s.phone, "13912345678"),
    ]
    compare_fields = ["display_name", "unit_id", "phone"]
    m2m_fields = ["roles"]

    def load(self, ctx) -> None:
        units_by_code(ctx)

    def resolve(self, ctx, row, data) -> s.Entry:
        unit_id = units_by_code(ctx).get(data["unit"])
        if unit_id is None:
            raise s.RowProblem("unit", _("单位编码不存在或不在本区。"))
        values = {"username": data["username"], "district_id": ctx.district.pk, "display_name": data["name"],
                  "unit_id": unit_id, "phone": blank(data.get("phone"))}
        m2m = {"roles": frozenset(data.get("roles") or ())} if "roles" in data else {}
        return s.Entry(row=row, key=data["username"], values=values, m2m=m2m)

    def existing(self, ctx):
        rows = User.objects.filter(district_id=ctx.district.pk, is_superuser=False).values("id", "username", *self.compare_fields)
        return {r["username"]: r for r in rows}

    def taken_elsewhere(self, ctx, keys):
        taken = set()
        for chunk in _chunks(keys, 900):
            qs = User.objects.filter(username__in=chunk).filter(~Q(district_id=ctx.district.pk) | Q(district_id=None) | Q(is_superuser=True))
            taken.update(qs.values_list("username", flat=True))
        return taken

    def existing_m2m(self, ctx, ids):
        out: dict[int, set] = {}
        for chunk in _chunks(ids, 900):
            for user_id, role in UserRole.objects.filter(user_id__in=chunk).values_list("user_id", "role"):
                out.setdefault(user_id, set()).add(role)
        return {k: {"roles": frozenset(v)} for k, v in out.items()}

    def build(self, entry):
        return User(**entry.values, password=make_password(None))

    def write_m2m(self, ctx, plan) -> None:
        rows, replace = [], []
        for e in plan.create:
            rows += [UserRole(user_id=e.instance.pk, role=r) for r in sorted(e.m2m.get("roles", ()))]
        for e in plan.update:
            if "roles" in e.m2m_changed:
                replace.append(e.existing_id)
                rows += [UserRole(user_id=e.existing_id, role=r) for r in sorted(e.m2m["roles"])]
        for chunk in _chunks(replace, 500):
            UserRole.objects.filter(user_id__in=chunk).delete()
        UserRole.objects.bulk_create(rows)


class PersonSpec(s.KindSpec):
    """People records without login: representatives, lawyers, volunteers, party members."""

    kind = ImportKind.PEOPLE
    model = Person
    columns = [
        s.Column("code", _("编码"), "Code", True, s.code, "P-0001"),
        s.Column("name", _("姓名"), "Name", True, s.text(40), "赵六"),
        s.Column("kind", _("身份"), "Kind", True, s.choice(PersonKind), "人大代表"),
        s.Column("phone", _("手机"), "Phone", False, s.phone, "13712345678"),
        s.Column("id_number", _("身份证号"), "ID number", False, s.id_number, "11010519491231002X"),
        s.Column("unit", _("单位编码"), "Unit code", False, s.code, ""),
        s.Column("community", _("报到社区编码"), "Community code", False, s.code, "310104002001"),
        s.Column("note", _("备注"), "Note", False, s.text(200), ""),
    ]
    compare_fields = ["name", "kind", "phone", "id_number", "unit_id", "community_id", "note"]

    def load(self, ctx) -> None:
        units_by_code(ctx)
        places_by_code(ctx, PlaceLevel.COMMUNITY)

    def resolve(self, ctx, row, data) -> s.Entry:
        unit_id = community_id = None
        if data.get("unit"):
            unit_id = units_by_code(ctx).get(data["unit"])
            if unit_id is None:
                raise s.RowProblem("unit", _("单位编码不存在或不在本区。"))
        if data.get("community"):
            community = places_by_code(ctx, PlaceLevel.COMMUNITY).get(data["community"])
            if community is None:
                raise s.RowProblem("community", _("社区编码不存在或不在本区。"))
            community_id = community["id"]
        values = {"code": data["code"], "district_id": ctx.district.pk, "name": data["name"], "kind": data["kind"],
                  "phone": blank(data.get("phone")), "id_number": blank(data.get("id_number")), "unit_id": unit_id,
                  "community_id": community_id, "note": blank(data.get("note"))}
        return s.Entry(row=row, key=data["code"], values=values)
