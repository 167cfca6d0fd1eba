"""Households (户) under buildings. Natural key: 户编码, e.g. 310104002001-C003-B12-0301 — the community's code,
-C and the compound's three digits, -B and the building's two, then the room (as `demo.territory` builds them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civicloop.places.constants import PlaceLevel, TagTarget
from civicloop.places.models import Household

from .. import ImportKind
from .. import spec as s
from .common import blank, places_by_code, tag_ids

HOUSEHOLD_FIELDS = ["building_id", "street_id", "community_id", "room", "address", "head_name", "head_phone",
                    "head_id_number", "members", "lat", "lng"]


class HouseholdSpec(s.KindSpec):
    kind = ImportKind.HOUSEHOLDS
    model = Household
    columns = [
        s.Column("code", _("户编码"), "Household code", True, s.code, "310104002001-C001-B01-0101"),
        s.Column("building", _("楼栋编码"), "Building code", True, s.code, "310104002001-C001-B01"),
        s.Column("room", _("室号"), "Room", False, s.not_a_date(s.text(20)), "0101"),
        s.Column("address", _("地址"), "Address", True, s.text(200), "天平路街道某小区1号楼101室"),
        s.Column("head_name", _("户主姓名"), "Head of household", False, s.text(40), "张三"),
        s.Column("head_phone", _("联系电话"), "Phone", False, s.phone, "13812341234"),
        s.Column("head_id_number", _("身份证号"), "ID number", False, s.id_number, "11010519491231002X"),
        s.Column("members", _("人数"), "Members", False, s.integer(1, 99), "3"),
        s.Column("lat", _("纬度"), "Latitude", False, s.latitude, "31.195000"),
        s.Column("lng", _("经度"), "Longitude", False, s.longitude, "121.437000"),
        s.Column("tags", _("标签"), "Tags", False, s.many(s.text(40)), "独居老人,低保"),
    ]
    compare_fields = HOUSEHOLD_FIELDS
    m2m_fields = ["tags"]

    def load(self, ctx) -> None:
        places_by_code(ctx, PlaceLevel.BUILDING)

    def resolve(self, ctx, row, data) -> s.Entry:
        building = places_by_code(ctx, PlaceLevel.BUILDING).get(data["building"])
        if building is None:
            raise s.RowProblem("building", _("楼栋编码不存在或不在本区。"))
        tags = tag_ids(ctx, TagTarget.HOUSEHOLD, data.get("tags"))
        values = {
            "code": data["code"], "district_id": ctx.district.pk, "building_id": building["id"],
            "street_id": building["street_id"], "community_id": building["community_id"],
            "room": blank(data.get("room")), "address": data["address"], "head_name": blank(data.get("head_name")),
            "head_phone": blank(data.get("head_phone")), "head_id_number": blank(data.get("head_id_number")),
            "members": data.get("members") or 1, "lat": data.get("lat"), "lng": data.get("lng"),
        }
        return s.Entry(row=row, key=data["code"], values=values, m2m={"tags": tags} if "tags" in data else {})

    def existing_m2m(self, ctx, ids):
        out: dict[int, dict[str, set]] = {}
        through = Household.tags.through
        for household_id, tag_id in through.objects.filter(household__district_id=ctx.district.pk).values_list("household_id", "tag_id"):
            out.setdefault(household_id, {"tags": set()})["tags"].add(tag_id)
        return {k: {"tags": frozenset(v["tags"])} for k, v in out.items()}
