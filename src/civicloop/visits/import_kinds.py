"""The visits app's kinds of the imports framework: pairings (结对) from Excel.

Each row pairs a party organisation (by its unit code) with a park building (by its code) or a community or
compound (by its place code). A row is identified by the party organisation and the target together, so a
building paired with two party organisations is two rows; a row already stored is counted unchanged, and the
import only adds (a pairing is removed on the pairings page). Every row is checked as `services.pairing`
checks one — a PARTY_ORG unit of the district, a target of the type named, in the district — and the rows are
written all together or not at all, by the framework.
"""

from __future__ import annotations

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.imports import spec as s
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import ParkBuilding, Place

from .constants import PairingTarget, VisitImportKind
from .models import Pairing
from .services.pairing import TARGET_LEVEL


class PairingSpec(s.KindSpec):
    kind = VisitImportKind.PAIRINGS
    model = Pairing
    natural_key = "target_code"
    example_setup = "civicloop.visits.testing.make_party_org"  # the example's party organisation (U-PO1)
    columns = [
        s.Column("party_org", _("党组织编码"), "Party organisation code", True, s.code, "U-PO1"),
        s.Column("target", _("结对类型"), "Pairing type", True, s.choice(PairingTarget), "小区"),
        s.Column("target_code", _("楼宇/居委/小区编码"), "Building / community / compound code", True, s.code,
                 "310104002001-C001"),
    ]

    def row_key(self, data):
        if data.get("party_org") is None or data.get("target_code") is None:
            return None
        return f"{data['party_org']}|{data.get('target')}|{data['target_code']}"

    def load(self, ctx) -> None:
        district = ctx.district.pk
        ctx.cache["orgs"] = {code: (pk, kind) for code, pk, kind in
                             Unit.objects.filter(district_id=district).values_list("code", "pk", "kind")}
        ctx.cache["buildings"] = dict(ParkBuilding.objects.filter(district_id=district).values_list("code", "pk"))
        ctx.cache["places"] = {code: (pk, level) for code, pk, level in Place.objects.filter(
            district_id=district).values_list("code", "pk", "level")}

    def resolve(self, ctx, row, data) -> s.Entry:
        org = ctx.cache["orgs"].get(data["party_org"])
        if org is None:
            raise s.RowProblem("party_org", _("党组织编码不存在或不属于本区。"))
        if org[1] != UnitKind.PARTY_ORG:
            raise s.RowProblem("party_org", _gettext("该单位不是机关党组织（单位类型：%(kind)s）。")
                               % {"kind": UnitKind(org[1]).label})
        target, code = data["target"], data["target_code"]
        values = {"district_id": ctx.district.pk, "party_org_id": org[0], "target": target,
                  "park_building_id": None, "place_id": None}
        if target == PairingTarget.PARK_BUILDING:
            values["park_building_id"] = ctx.cache["buildings"].get(code)
            if values["park_building_id"] is None:
                raise s.RowProblem("target_code", _("园区楼宇编码不存在或不属于本区。"))
        else:
            place = ctx.cache["places"].get(code)
            if place is not None and place[1] != TARGET_LEVEL[target]:
                raise s.RowProblem("target_code", _gettext("该编码不是%(target)s，而是%(level)s。")
                                   % {"target": PairingTarget(target).label, "level": PlaceLevel(place[1]).label})
            if place is None:
                raise s.RowProblem("target_code", _gettext("%(target)s编码不存在或不属于本区。")
                                   % {"target": PairingTarget(target).label})
            values["place_id"] = place[0]
        return s.Entry(row=row, key=self.row_key(data), values=values)

    def existing(self, ctx) -> dict[str, dict]:
        rows = Pairing.objects.filter(district_id=ctx.district.pk).values_list(
            "pk", "party_org__code", "target", "park_building__code", "place__code")
        return {f"{org}|{target}|{building or place}": {"id": pk} for pk, org, target, building, place in rows}

    def taken_elsewhere(self, ctx, keys) -> set[str]:
        return set()  # no key of a pairing is unique across districts
