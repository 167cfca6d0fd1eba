"""Enterprises (法人单位). Natural key: 统一社会信用代码, checked against GB 32100."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civicloop.places.constants import EnterpriseSize, PlaceLevel, TagTarget
from civicloop.places.models import Enterprise, ParkBuilding

from .. import ImportKind
from .. import spec as s
from .common import blank, places_by_code, tag_ids


class EnterpriseSpec(s.KindSpec):
    kind = ImportKind.ENTERPRISES
    model = Enterprise
    natural_key = "credit_code"
    natural_key_field = "credit_code"
    taken_reason = _("该统一社会信用代码已登记在其他区。")
    columns = [
        s.Column("credit_code", _("统一社会信用代码"), "Unified social credit code", True, s.credit_code, "91310104MA1FL8TB0E"),
        s.Column("name", _("名称"), "Name", True, s.text(120), "上海某某科技有限公司"),
        s.Column("street", _("街道编码"), "Street code", True, s.code, "310104002000"),
        s.Column("community", _("居委编码"), "Community code", False, s.code, "310104002001"),
        s.Column("park_building", _("园区楼宇编码"), "Park building code", False, s.code, ""),
        s.Column("industry", _("行业"), "Industry", False, s.text(60), "信息技术"),
        s.Column("size", _("规模"), "Size", False, s.choice(EnterpriseSize), "小型"),
        s.Column("address", _("地址"), "Address", False, s.text(200), "天平路1号"),
        s.Column("contact_name", _("联系人"), "Contact", False, s.text(40), "李四"),
        s.Column("contact_phone", _("联系电话"), "Contact phone", False, s.phone, "021-64871234"),
        s.Column("lat", _("纬度"), "Latitude", False, s.latitude, ""),
        s.Column("lng", _("经度"), "Longitude", False, s.longitude, ""),
        s.Column("tags", _("标签"), "Tags", False, s.many(s.text(40)), "重点企业"),
    ]
    compare_fields = ["name", "street_id", "community_id", "park_building_id", "industry", "size", "address",
                      "contact_name", "contact_phone", "lat", "lng"]
    m2m_fields = ["tags"]

    def load(self, ctx) -> None:
        places_by_code(ctx, PlaceLevel.STREET, PlaceLevel.COMMUNITY)
        ctx.cache["park_buildings"] = dict(
            ParkBuilding.objects.filter(district_id=ctx.district.pk).values_list("code", "id")
        )

    def resolve(self, ctx, row, data) -> s.Entry:
        places = places_by_code(ctx, PlaceLevel.STREET, PlaceLevel.COMMUNITY)
        street = places.get(data["street"])
        if street is None or street["level"] != PlaceLevel.STREET:
            raise s.RowProblem("street", _("街道编码不存在或不在本区。"))
        community_id = None
        if data.get("community"):
            community = places.get(data["community"])
            if community is None or community["level"] != PlaceLevel.COMMUNITY:
                raise s.RowProblem("community", _("居委编码不存在或不在本区。"))
            if community["street_id"] != street["id"]:
                raise s.RowProblem("community", _("该居委不属于所填街道。"))
            community_id = community["id"]
        park_building_id = None
        if data.get("park_building"):
            park_building_id = ctx.cache["park_buildings"].get(data["park_building"])
            if park_building_id is None:
                raise s.RowProblem("park_building", _("园区楼宇编码不存在或不在本区。"))
        tags = tag_ids(ctx, TagTarget.ENTERPRISE, data.get("tags"))
        values = {
            "credit_code": data["credit_code"], "district_id": ctx.district.pk, "name": data["name"],
            "street_id": street["id"], "community_id": community_id, "park_building_id": park_building_id,
            "industry": blank(data.get("industry")), "size": blank(data.get("size")), "address": blank(data.get("address")),
            "contact_name": blank(data.get("contact_name")), "contact_phone": blank(data.get("contact_phone")),
            "lat": data.get("lat"), "lng": data.get("lng"),
        }
        return s.Entry(row=row, key=data["credit_code"], values=values, m2m={"tags": tags} if "tags" in data else {})

    def existing_m2m(self, ctx, ids):
        out: dict[int, set] = {}
        through = Enterprise.tags.through
        for enterprise_id, tag_id in through.objects.filter(enterprise__district_id=ctx.district.pk).values_list("enterprise_id", "tag_id"):
            out.setdefault(enterprise_id, set()).add(tag_id)
        return {k: {"tags": frozenset(v)} for k, v in out.items()}
