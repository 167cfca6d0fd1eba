"""The territorial tree below the district: streets, communities, compounds, buildings.

A row's parent is a place already in the district or an earlier row of the same file. Paths and ancestors
come from `places.services.place_fields_under`, the one rule for the tree. Import never moves a place or
changes its level (that would rewrite a subtree); it creates places and updates names, addresses, points.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError
from civicloop.places.constants import LEVEL_DEPTH, PlaceLevel
from civicloop.places.models import Place
from civicloop.places.services import place_fields_under

from .. import ImportKind
from .. import spec as s
from .common import blank


class TerritorySpec(s.KindSpec):
    kind = ImportKind.TERRITORY
    model = Place
    columns = [
        s.Column("code", _("编码"), "Code", True, s.code, "310104002001-C001"),
        s.Column("name", _("名称"), "Name", True, s.text(100), "某某小区"),
        s.Column("level", _("层级"), "Level", True, s.choice(PlaceLevel), "小区"),
        s.Column("parent", _("上级编码"), "Parent code", False, s.code, "310104002001"),
        s.Column("address", _("地址"), "Address", False, s.text(200), ""),
        s.Column("lat", _("纬度"), "Latitude", False, s.latitude, "31.195000"),
        s.Column("lng", _("经度"), "Longitude", False, s.longitude, "121.437000"),
    ]
    compare_fields = ["name", "address", "lat", "lng", "level", "parent_id"]

    def load(self, ctx) -> None:
        qs = ctx.scope.filter_places(Place.objects.filter(district_id=ctx.district.pk))
        ctx.cache["places"] = {p.code: p for p in qs.select_related("district", "street", "community")}

    def resolve(self, ctx, row, data) -> s.Entry:
        code, level = data["code"], data["level"]
        values = {"name": data["name"], "address": blank(data.get("address")), "lat": data.get("lat"), "lng": data.get("lng")}
        existing = ctx.cache["places"].get(code)
        if level == PlaceLevel.DISTRICT:
            if code != ctx.district.code or data.get("parent"):
                raise s.RowProblem("level", _("只能导入本区以下的地点。"))
            return s.Entry(row=row, key=code, values=values)
        parent = self._parent(ctx, data.get("parent"))
        if existing is not None:
            if existing.level != level or existing.parent_id != parent.pk:
                raise s.RowProblem("parent", _("不能通过导入移动地点或改变其层级（与系统中的记录不同）。"))
            return s.Entry(row=row, key=code, values=values)
        try:
            tree = place_fields_under(parent, code=code, level=level)
        except CivicError as exc:
            raise s.RowProblem("parent", exc.message) from None
        place = Place(code=code, level=level, **tree, **values)
        return s.Entry(row=row, key=code, values=values, depth=LEVEL_DEPTH[level], instance=place)

    def _parent(self, ctx, parent_code: str | None) -> Place:
        if not parent_code:
            raise s.RowProblem("parent", _("上级编码为空。"))
        parent = ctx.cache["places"].get(parent_code)
        if parent is None and parent_code in ctx.seen:
            parent = ctx.seen[parent_code].instance
        if parent is None:
            raise s.RowProblem("parent", _("上级编码不存在（须已在本区系统中，或在本文件前面的行）。"))
        return parent
