"""The places browser: drill-down pages, htmx fragments, masking and the logged unmask."""

from django.urls import reverse

from civicloop.core.models import UnmaskLog
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Place
from civicloop.testing import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_browse_starts_at_the_viewers_root(client, world):
    login(client, world.street_dispatcher)
    response = client.get(reverse("places:browse"))
    assert response.status_code == 302 and response["Location"] == reverse("places:place", args=[world.street_a.code])
    login(client, world.nobody)
    response = client.get(reverse("places:browse"))
    assert response.status_code == 200 and "暂无下级" in response.content.decode()


def test_drill_down_to_households(client, world, django_assert_max_num_queries):
    login(client, world.street_dispatcher)
    page = client.get(reverse("places:place", args=[world.street_a.code])).content.decode()
    assert world.comm_a1.name in page and world.comm_b1.name not in page
    assert "<html" in page
    fragment = client.get(reverse("places:place", args=[world.comm_a1.code]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="children"' in fragment and "breadcrumb" in fragment
    building = Place.objects.get(level=PlaceLevel.BUILDING, community=world.comm_a1)
    for i in range(60):
        Household.objects.create(code=f"{building.code}-X{i:03d}", district=world.district, street=world.street_a,
                                 community=world.comm_a1, building=building, room=f"X{i:03d}", address=f"addr {i}")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("places:place", args=[building.code])).content.decode()
    assert page.count('href="/places/households/') == 50
    page2 = client.get(reverse("places:place", args=[building.code]) + "?page=2").content.decode()
    assert page2.count('href="/places/households/') == 11


def test_counts_are_not_n_plus_one(client, world, django_assert_max_num_queries):
    login(client, world.district_admin)
    for i in range(3, 12):
        Place.objects.create(code=f"310104{i:03d}000", name=f"街{i}", level=PlaceLevel.STREET, parent=world.district,
                             path=f"{world.district.path}310104{i:03d}000/", district=world.district)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("places:place", args=[world.district.code]))
    assert response.content.decode().count("<tr>") == 1 + Place.objects.filter(parent=world.district).count()


def test_out_of_scope_place_is_a_404_like_a_missing_one(client, world):
    login(client, world.outsider)
    other = client.get(reverse("places:place", args=[world.comm_a1.code]))
    missing = client.get(reverse("places:place", args=["310104999999"]))
    assert other.status_code == missing.status_code == 404
    assert "not_found" in other.content.decode() and "not_found" in missing.content.decode()
    hh = Household.objects.get(community=world.comm_a1)
    assert client.get(reverse("places:household", args=[hh.code])).status_code == 404


def test_household_is_masked_and_unmask_is_logged(client, world):
    hh = Household.objects.get(community=world.comm_a1)
    login(client, world.street_dispatcher)
    page = client.get(reverse("places:household", args=[hh.code])).content.decode()
    assert "138****1234" in page and "13812341234" not in page and "张*" in page
    assert "household_unmask" not in page and "显示</button>" not in page
    denied = client.post(reverse("places:household_unmask", args=[hh.code]), HTTP_HX_REQUEST="true")
    assert denied.status_code == 403 and denied["HX-Retarget"] == "#messages"
    assert UnmaskLog.objects.count() == 0

    login(client, world.committee_worker)
    page = client.get(reverse("places:household", args=[hh.code])).content.decode()
    assert "显示</button>" in page
    fragment = client.post(reverse("places:household_unmask", args=[hh.code]), {"reason_code": "on_site"},
                           HTTP_HX_REQUEST="true").content.decode()
    assert "13812341234" in fragment and "张三" in fragment and "<html" not in fragment
    log = UnmaskLog.objects.get()
    assert (log.user, log.object_id, log.district_id) == (world.committee_worker, hh.code, world.district.pk)


def test_pages_need_login(client, world):
    response = client.get(reverse("places:place", args=[world.street_a.code]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
