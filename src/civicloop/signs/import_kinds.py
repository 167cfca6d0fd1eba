"""The signs app's kind of the imports framework: devices (感知设备) bound to places, from Excel.

A row names the device's code (unique across districts), name, kind, the place it is at (a street, community,
compound or building code of the district) and, for a water meter, the household's code. A stored code is
compared and updated; every row is checked as `services.catalogue.device_register` checks one, and the rows are
written all together or not at all, by the framework.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civicloop.imports import spec as s

from .constants import DeviceKind, SignsImportKind
from .models import Device


class DeviceSpec(s.KindSpec):
    kind = SignsImportKind.DEVICES
    model = Device
    natural_key = "code"
    compare_fields = ["name", "kind", "place_id", "street_id", "community_id", "household_id"]
    columns = [
        s.Column("code", _("设备编码"), "Device code", True, s.code, "DEV-EL-0001"),
        s.Column("name", _("名称"), "Name", True, s.text(100), "1号楼1号电梯"),
        s.Column("kind", _("设备类型"), "Device kind", True, s.choice(DeviceKind), "电梯"),
        s.Column("place", _("地点编码"), "Place code", True, s.code, "310104001001-C001-B01"),
        s.Column("household", _("户编码"), "Household code", False, s.code, ""),
    ]

    def load(self, ctx) -> None:
        from civicloop.places.models import Household, Place

        district = ctx.district.pk
        ctx.cache["places"] = {p.code: p for p in Place.objects.filter(district_id=district).only(
            "pk", "code", "level", "district_id", "street_id", "community_id")}
        ctx.cache["households"] = {code: (pk, building) for code, pk, building in Household.objects.filter(
            district_id=district).values_list("code", "pk", "building_id")}

    def resolve(self, ctx, row, data) -> s.Entry:
        from .services.catalogue import device_fields

        place = ctx.cache["places"].get(data["place"])
        if place is None:
            raise s.RowProblem("place", _("地点编码不存在或不属于本区。"))
        household_id = None
        if data.get("household"):
            found = ctx.cache["households"].get(data["household"])
            if found is None:
                raise s.RowProblem("household", _("户编码不存在或不属于本区。"))
            household_id = found[0]
            place = next((p for p in ctx.cache["places"].values() if p.pk == found[1]), place)
        values = {"code": data["code"], "name": data["name"], "kind": data["kind"], "household_id": household_id,
                  **device_fields(place, None)}
        values["district_id"] = ctx.district.pk
        return s.Entry(row=row, key=data["code"], values=values)
