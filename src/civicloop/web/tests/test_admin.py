"""The admin pages for configuration open for a superuser."""

import pytest
from django.urls import reverse

from civicloop.testing import PASSWORD, make_user


@pytest.mark.parametrize("model", ["places_place", "places_tag", "places_household", "places_zone",
                                   "places_parkbuilding", "places_enterprise", "orgs_unit", "orgs_user", "orgs_person"])
def test_admin_changelists_and_add_forms(client, world, model):
    make_user("root", None, superuser=True)
    client.login(username="root", password=PASSWORD)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{model}_changelist"), {"q": "1"}).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_user_change_page_has_roles_inline(client, world):
    make_user("root", None, superuser=True)
    client.login(username="root", password=PASSWORD)
    page = client.get(reverse("admin:orgs_user_change", args=[world.street_dispatcher.pk])).content.decode()
    assert "role_rows-TOTAL_FORMS" in page


def test_admin_created_place_gets_its_path_and_ancestors(client, world):
    from civicloop.places.models import Place

    make_user("root", None, superuser=True)
    client.login(username="root", password=PASSWORD)
    response = client.post(reverse("admin:places_place_add"), {
        "code": f"{world.comm_a1.code}-C99", "name": "新小区", "level": "compound", "parent": world.comm_a1.pk,
        "abbr": "", "address": "", "boundary": "", "lat": "", "lng": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get(code=f"{world.comm_a1.code}-C99")
    assert place.path == f"{world.comm_a1.path}{place.code}/"
    assert (place.district, place.street, place.community) == (world.district, world.street_a, world.comm_a1)


def test_admin_is_branded_and_its_sections_named_in_the_language(client, world):
    make_user("root", None, superuser=True)
    client.login(username="root", password=PASSWORD)
    page = client.get("/admin/").content.decode()
    assert page.count("民情闭环 civicloop 管理") >= 2 and "Django" not in page
    for label in ("工单", "地点", "组织与人员", "基础", "工作日历", "登录锁定", "后台任务", "认证和授权"):
        assert f">{label}<" in page, label
    assert "Axes" not in page and "Tasks Database Backend" not in page
    client.cookies["django_language"] = "en"
    page = client.get("/admin/").content.decode()
    assert "civicloop administration" in page and ">Cases<" in page and ">Login lockouts<" in page
