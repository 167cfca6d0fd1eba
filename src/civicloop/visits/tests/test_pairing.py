"""Pairing: the service's checks (each naming what is wrong), the Excel import (dry run, per-row errors, all or
nothing), unpaired buildings and communities counted, the pairings page and endpoints (scoped, bounded)."""

import pytest

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import AuditLog
from civicloop.imports.error_codes import ImportErrorCode
from civicloop.imports.services import import_run
from civicloop.imports.tests.helpers import xlsx
from civicloop.places.models import ParkBuilding, Place, Zone
from civicloop.testing import PASSWORD
from civicloop.visits.constants import CampaignAuditAction, PairingTarget
from civicloop.visits.error_codes import VisitErrorCode
from civicloop.visits.models import Pairing
from civicloop.visits.selectors import unpaired_communities_for, unpaired_park_buildings_for
from civicloop.visits.services.pairing import pairing_create, pairing_delete
from civicloop.visits.testing import make_party_org

HEADER = ["党组织编码", "结对类型", "楼宇/居委/小区编码"]


@pytest.fixture
def zone(world):
    zone = Zone.objects.create(district=world.district, code="Z-01", name="徐家汇功能区")
    for i in (1, 2, 3):
        ParkBuilding.objects.create(district=world.district, code=f"PB-000{i}", name=f"{i}号楼宇", zone=zone,
                                    street=world.street_a)
    return zone


def compound_of(community: Place) -> Place:
    return Place.objects.get(parent=community, level="compound")


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def test_create_and_delete_with_audit(world, zone):
    org = make_party_org(world)
    building = ParkBuilding.objects.get(code="PB-0001")
    pairing = pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.PARK_BUILDING,
                             target_id=building.pk)
    assert pairing.park_building == building and pairing.place is None
    pairing_delete(actor=world.district_admin, pairing_id=pairing.pk)
    assert not Pairing.objects.exists()
    actions = list(AuditLog.objects.filter(object_type="visits.pairing").order_by("id").values_list("action", flat=True))
    assert actions == [CampaignAuditAction.PAIRING_CREATE, CampaignAuditAction.PAIRING_DELETE]


def test_refusals_name_what_is_wrong(world, zone):
    org = make_party_org(world)
    building = ParkBuilding.objects.get(code="PB-0001")
    cases = [
        (world.housing.pk, PairingTarget.PARK_BUILDING, building.pk, "不是机关党组织"),
        (org.pk, PairingTarget.COMPOUND, world.comm_a1.pk, "不是小区"),
        (org.pk, PairingTarget.COMMUNITY, Place.objects.filter(district=world.other_district, level="community")
         .first().pk, "不属于本区"),
        (org.pk, PairingTarget.PARK_BUILDING, 999999, "园区楼宇不存在"),
    ]
    for party_org_id, target, target_id, words in cases:
        with pytest.raises(CivicError) as exc:
            pairing_create(actor=world.district_admin, party_org_id=party_org_id, target=target, target_id=target_id)
        assert exc.value.code == VisitErrorCode.PAIRING_INVALID and words in exc.value.message, exc.value.message
    pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.COMMUNITY,
                   target_id=world.comm_a1.pk)
    with pytest.raises(CivicError) as exc:
        pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.COMMUNITY,
                       target_id=world.comm_a1.pk)
    assert "已与此居委结对" in exc.value.message
    assert Pairing.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "leader", "street_dispatcher"])
def test_only_managers_pair(world, zone, persona):
    org = make_party_org(world)
    with pytest.raises(CivicError) as exc:
        pairing_create(actor=getattr(world, persona), party_org_id=org.pk, target=PairingTarget.COMMUNITY,
                       target_id=world.comm_a1.pk)
    assert exc.value.code == ErrorCode.FORBIDDEN


def test_unpaired_visible_and_counted(world, zone):
    org = make_party_org(world)
    assert unpaired_park_buildings_for(world.district_admin).count() == 3
    assert unpaired_communities_for(world.district_admin).count() == 4
    pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.PARK_BUILDING,
                   target_id=ParkBuilding.objects.get(code="PB-0002").pk)
    pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.COMMUNITY,
                   target_id=world.comm_a1.pk)
    pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.COMPOUND,
                   target_id=compound_of(world.comm_b1).pk)  # the community counts as paired through it
    assert set(unpaired_park_buildings_for(world.district_admin).values_list("code", flat=True)) == {"PB-0001", "PB-0003"}
    assert list(unpaired_communities_for(world.district_admin)) == [world.comm_a2, Place.objects.get(
        parent=world.street_b, level="community", code__endswith="002")]
    # a street's staff count their street's
    assert list(unpaired_communities_for(world.street_dispatcher)) == [world.comm_a2]


# ----- the import


def rows(*body):
    return xlsx([HEADER, *body], text_cells=True)


def test_import_dry_run_then_write(world, zone):
    org = make_party_org(world)
    data = rows([org.code, "园区楼宇", "PB-0001"], [org.code, "居委", world.comm_a2.code],
                [org.code, "compound", compound_of(world.comm_a1).code])
    result = import_run(actor=world.district_admin, kind="pairings", file_path_or_bytes=data, filename="p.xlsx",
                        dry_run=True)
    assert (result.created, result.unchanged) == (3, 0) and not Pairing.objects.exists()
    result = import_run(actor=world.district_admin, kind="pairings", file_path_or_bytes=data, filename="p.xlsx")
    assert result.created == 3 and Pairing.objects.count() == 3
    assert Pairing.objects.get(place=world.comm_a2).target == PairingTarget.COMMUNITY
    again = import_run(actor=world.district_admin, kind="pairings", file_path_or_bytes=data, filename="p.xlsx")
    assert (again.created, again.unchanged) == (0, 3)


def test_import_reports_each_bad_row_and_writes_nothing(world, zone):
    org = make_party_org(world)
    data = rows([org.code, "园区楼宇", "PB-0001"],
                ["U-HOUSING", "园区楼宇", "PB-0002"],                      # not a party organisation
                [org.code, "小区", world.comm_a1.code],                    # a community, not a compound
                [org.code, "园区楼宇", "PB-9999"],                           # no such building
                ["U-NONE", "居委", world.comm_a2.code],                     # no such unit
                [org.code, "楼栋", "PB-0003"],                               # not a pairing type
                [org.code, "园区楼宇", "PB-0001"])                           # the first row again
    with pytest.raises(CivicError) as exc:
        import_run(actor=world.district_admin, kind="pairings", file_path_or_bytes=data, filename="p.xlsx")
    assert exc.value.code == ImportErrorCode.IMPORT_ROWS_INVALID
    got = [(d["where"], d["field"]) for d in exc.value.details]
    assert got == [("第3行", "党组织编码"), ("第4行", "楼宇/居委/小区编码"), ("第5行", "楼宇/居委/小区编码"),
                   ("第6行", "党组织编码"), ("第7行", "结对类型"), ("第8行", "楼宇/居委/小区编码")]
    reasons = " ".join(d["reason"] for d in exc.value.details)
    assert "不是机关党组织" in reasons and "不是小区" in reasons and "与第2行重复" in reasons
    assert not Pairing.objects.exists()


def test_import_only_by_district_admins(world, zone):
    org = make_party_org(world)
    with pytest.raises(CivicError) as exc:
        import_run(actor=world.outsider, kind="pairings", file_path_or_bytes=rows([org.code, "居委", world.comm_a1.code]),
                   filename="p.xlsx")
    assert exc.value.code == ErrorCode.FORBIDDEN
    assert not Pairing.objects.exists()


# ----- page and API


def test_pairings_page(client, world, zone, django_assert_max_num_queries):
    org = make_party_org(world)
    for code in ("PB-0001", "PB-0002"):
        pairing_create(actor=world.district_admin, party_org_id=org.pk, target=PairingTarget.PARK_BUILDING,
                       target_id=ParkBuilding.objects.get(code=code).pk)
    login(client, world.district_admin)
    with django_assert_max_num_queries(20):
        page = client.get("/visits/pairings/").content.decode()
    assert "未结对的园区楼宇：1 栋" in page and "PB-0003" in page and "未结对的居委：4 个" in page
    assert "/imports/?kind=pairings" in page and "解除" in page
    r = client.post("/visits/pairings/", {"party_org_id": org.pk, "target": "community",
                                          "target_code": world.comm_a2.code}, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and Pairing.objects.filter(place=world.comm_a2).exists()
    login(client, world.street_dispatcher)  # reads, does not manage
    page = client.get("/visits/pairings/").content.decode()
    assert "解除" not in page and "新增结对" not in page
    pairing = Pairing.objects.first()
    assert client.post(f"/visits/pairings/{pairing.pk}/delete/").status_code == 403
    login(client, world.stranger)
    assert client.post(f"/visits/pairings/{pairing.pk}/delete/").status_code == 404
    assert Pairing.objects.count() == 3


def test_pairings_api(client, world, zone, django_assert_max_num_queries):
    org = make_party_org(world)
    login(client, world.district_admin)
    r = client.post("/api/visits/pairings", {"party_org_id": org.pk, "target": "park_building",
                                             "target_id": ParkBuilding.objects.get(code="PB-0001").pk},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["target_code"] == "PB-0001"
    r = client.post("/api/visits/pairings", {"party_org_id": world.housing.pk, "target": "community",
                                             "target_id": world.comm_a1.pk}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "pairing_invalid"
    with django_assert_max_num_queries(8):
        body = client.get("/api/visits/pairings").json()
    assert body["count"] == 1
    body = client.get("/api/visits/pairings/unpaired").json()
    assert body["park_buildings_count"] == 2 and body["communities_count"] == 4
    login(client, world.stranger)
    assert client.get("/api/visits/pairings").json()["count"] == 0


def test_the_pairings_page_is_paged(client, world, zone, django_assert_max_num_queries):
    """~450 pairings in the demo district: 100 a page, every pairing on exactly one page, the count of all."""
    from civicloop.visits.views import PAIRINGS_PER_PAGE

    buildings = [ParkBuilding(district=world.district, code=f"PB-9{i:03d}", name=f"{i}号楼", zone=zone,
                              street=world.street_a) for i in range(PAIRINGS_PER_PAGE + 30)]
    ParkBuilding.objects.bulk_create(buildings)
    orgs = [make_party_org(world, code=f"U-PO{n}", name=f"党组织{n}") for n in range(3)]
    Pairing.objects.bulk_create([
        Pairing(district=world.district, party_org=orgs[i % 3], target=PairingTarget.PARK_BUILDING, park_building=b)
        for i, b in enumerate(ParkBuilding.objects.filter(code__startswith="PB-9"))])
    login(client, world.district_admin)
    seen = []
    for number in (1, 2):
        with django_assert_max_num_queries(20):
            page = client.get(f"/visits/pairings/?page={number}").content.decode()
        assert f"共 {PAIRINGS_PER_PAGE + 30} 对" in page and f"{number} / 2" in page
        seen += [code for code in (f"PB-9{i:03d}" for i in range(PAIRINGS_PER_PAGE + 30)) if f">{code}<" in page]
    assert sorted(seen) == sorted(f"PB-9{i:03d}" for i in range(PAIRINGS_PER_PAGE + 30))
    assert "1 / 2" in client.get("/visits/pairings/?page=x").content.decode()  # a bad page: the first
