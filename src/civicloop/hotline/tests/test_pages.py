"""The desk's pages: import with the result and its notices, the mapping table, the work order on a case page."""

from django.core.files.uploadedfile import SimpleUploadedFile

from civicloop.cases.constants import Channel
from civicloop.cases.models import Case
from civicloop.hotline.models import CategoryMapping
from civicloop.testing import PASSWORD

from .conftest import csv_of

ROW = "HL201,2026-12-01 08:42,市容环境/乱堆乱放,求助,楼道堆物,测试区甲街道1居委,13812340001,紧急,2026-12-10"
UNMAPPED = "HL202,2026-12-01 08:50,其他/其他,咨询,咨询办证,,,,"


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def test_import_page_shows_the_counts_and_the_unmapped(client, world, mapped):
    login(client, world.district_admin)
    assert client.get("/hotline/").status_code == 200
    upload = SimpleUploadedFile("12345.csv", csv_of(ROW, UNMAPPED), content_type="text/csv")
    page = client.post("/hotline/", {"file": upload}).content.decode()
    assert 'data-count="created">1<' in page and 'data-count="skipped">1<' in page
    assert "其他/其他" in page
    case = Case.objects.get(channel=Channel.HOTLINE_12345, external_id="HL201")
    detail = client.get(f"/cases/{case.tracking_code}/").content.decode()
    assert 'id="hotline-order"' in detail and "HL201" in detail and "12345工单" in detail


def test_a_bad_file_shows_its_rows_and_writes_nothing(client, world, mapped):
    login(client, world.district_admin)
    upload = SimpleUploadedFile("12345.csv", csv_of(ROW, "HL203,,其他/其他,咨询,,,,,"), content_type="text/csv")
    r = client.post("/hotline/", {"file": upload})
    assert r.status_code == 400 and 'id="import-errors"' in r.content.decode()
    assert not Case.objects.exists()


def test_the_mapping_table_is_edited_by_the_desk(client, world, cats):
    login(client, world.district_admin)
    r = client.post("/hotline/mappings/", {"hotline_category": " 其他/其他 ", "category_id": cats["0103"].pk})
    assert r.status_code in (302, 204)
    mapping = CategoryMapping.objects.get(hotline_category="其他/其他")
    client.post("/hotline/mappings/", {"hotline_category": "其他/其他", "category_id": cats["0104"].pk})
    mapping.refresh_from_db()
    assert mapping.category_id == cats["0104"].pk and CategoryMapping.objects.count() == 1
    assert "其他/其他" in client.get("/hotline/mappings/").content.decode()
    r = client.post("/hotline/mappings/", {"hotline_category": "x", "category_id": 999999})
    assert r.status_code == 400 and CategoryMapping.objects.count() == 1
    login(client, world.street_dispatcher)  # a street's dispatcher is not the district's 12345 desk
    assert client.get("/hotline/mappings/").status_code == 403
    assert client.post(f"/hotline/mappings/{mapping.pk}/delete/").status_code == 403
    login(client, world.stranger)  # another district's desk: not found
    assert client.post(f"/hotline/mappings/{mapping.pk}/delete/").status_code == 404
    login(client, world.district_admin)
    client.post(f"/hotline/mappings/{mapping.pk}/delete/")
    assert not CategoryMapping.objects.exists()


def test_the_mapping_api(client, world, cats):
    login(client, world.district_admin)
    r = client.post("/api/hotline/mappings", {"hotline_category": "市容环境/乱堆乱放", "category_id": cats["0103"].pk},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    assert [m["hotline_category"] for m in client.get("/api/hotline/mappings").json()] == ["市容环境/乱堆乱放"]
    assert client.delete(f"/api/hotline/mappings/{r.json()['id']}").status_code == 204


def test_the_sample_file_imports_with_the_demo_mapping(world, cats):
    """The sample a user can import (data/sample_12345.csv) against the demo's mapping table: its one unmapped
    category reported, the rest registered."""
    from pathlib import Path

    from civicloop.hotline.demo import mappings_ensure
    from civicloop.imports.services import import_run

    mappings_ensure(world.district)
    path = Path(__file__).parents[1] / "data" / "sample_12345.csv"
    result = import_run(actor=world.district_admin, kind="hotline_orders", file_path_or_bytes=str(path))
    assert (result.created, result.skipped) == (7, 1)
    assert any("其他/其他" in n for n in result.notices)
