from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicloop.places.models import Household
from civicloop.testing import PASSWORD

from .helpers import HOUSEHOLD_HEADER, household_row, xlsx

B_A1 = "310104001001-C001-B01"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def upload(data, name="h.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_page_imports_and_shows_counts(world, client):
    login(client, world.district_admin)
    assert client.get(reverse("imports:upload")).status_code == 200
    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")])
    response = client.post(reverse("imports:upload"), {"kind": "households", "file": upload(data)})
    assert response.status_code == 200
    assert response.context["result"].created == 1
    assert Household.objects.filter(code=f"{B_A1}-0201").exists()


def test_page_shows_row_errors_and_writes_nothing(world, client):
    login(client, world.district_admin)
    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201"), household_row(B_A1, "0202", phone="123")])
    response = client.post(reverse("imports:upload"), {"kind": "households", "file": upload(data)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-errors"' in html and "第3行" in html and "联系电话" in html
    assert not Household.objects.filter(code=f"{B_A1}-0201").exists()


def test_page_dry_run(world, client):
    login(client, world.district_admin)
    data = xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")])
    response = client.post(reverse("imports:upload"), {"kind": "households", "dry_run": "1", "file": upload(data)})
    assert response.context["result"].dry_run and response.context["result"].created == 1
    assert not Household.objects.filter(code=f"{B_A1}-0201").exists()


def test_page_and_templates_refused_to_non_admins(world, client):
    login(client, world.committee_worker)
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:template", args=["households"])).status_code == 403


def test_template_download(world, client):
    login(client, world.district_admin)
    response = client.get(reverse("imports:template", args=["staff"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]


def test_api_run_and_errors(world, client):
    login(client, world.district_admin)
    ok = client.post("/api/imports/run", {"kind": "households", "file": upload(xlsx([HOUSEHOLD_HEADER, household_row(B_A1, "0201")]))})
    assert ok.status_code == 200 and ok.json()["created"] == 1
    bad = client.post("/api/imports/run", {"kind": "households", "file": upload(b"not a workbook", "x.xlsx")})
    assert bad.status_code == 400 and bad.json()["code"] == "import_file_unreadable"
    rows = client.post("/api/imports/run", {"kind": "households", "file": upload(xlsx([HOUSEHOLD_HEADER, household_row("nope", "1")]))})
    assert rows.status_code == 400 and rows.json()["details"][0] == {"where": "第2行", "field": "楼栋编码", "reason": rows.json()["details"][0]["reason"]}


def test_api_refuses_non_admin(world, client):
    login(client, world.outsider)
    response = client.post("/api/imports/run", {"kind": "households", "file": upload(xlsx([HOUSEHOLD_HEADER]))})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
