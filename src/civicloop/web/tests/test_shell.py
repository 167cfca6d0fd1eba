"""The shell: login, home with scope and counts, navigation, language switch, error pages."""

from django.test import RequestFactory
from django.urls import reverse

from civicloop.core import registry
from civicloop.core.errors import CivicError
from civicloop.core.middleware import CivicErrorMiddleware
from civicloop.imports.error_codes import ImportErrorCode
from civicloop.places.models import Household
from civicloop.testing import PASSWORD
from civicloop.web import context


def test_login_then_home_shows_unit_roles_scope_and_counts(client, world):
    page = client.get(reverse("web:login")).content.decode()
    assert 'lang="zh-hans"' in page and "vendor/htmx.min.js" in page and "street_dispatcher" not in page
    response = client.post(reverse("web:login"), {"username": "street_dispatcher", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    page = client.get(reverse("web:home")).content.decode()
    assert world.street_a_office.name in page and "派单员" in page and world.street_a.name in page
    households = Household.objects.filter(street=world.street_a).count()
    assert f'data-count="households">{households}<' in page
    assert 'id="messages"' in page and "X-CSRFToken" in page
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:home")).status_code == 302


def test_wrong_password_is_refused(client, world):
    page = client.post(reverse("web:login"), {"username": "street_dispatcher", "password": "nope"}).content.decode()
    assert "用户名或密码不正确" in page


def test_navigation_skips_names_that_do_not_reverse(rf, world, monkeypatch):
    entries = registry.navigation_entries()
    monkeypatch.setattr(registry, "navigation_entries", lambda: [*entries, registry.Nav("nowhere:inbox", "x")])
    request = rf.get("/")
    request.user = world.street_dispatcher
    labels = [str(item["label"]) for item in context.navigation(request)["navigation"]]
    assert labels == ["首页", "地点", "我的待办", "登记工单", "走访活动", "数据看板", "考核评比", "挂图作战", "工作例会",
                      "感知预警", "志愿服务", "议事厅"]


def test_language_switch_to_english(client, world):
    client.login(username="street_dispatcher", password=PASSWORD)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302
    page = client.get(reverse("web:home")).content.decode()
    assert 'lang="en"' in page and ">Home<" in page and ">Places<" in page


def test_civic_error_renders_page_and_fragment(world):
    error = CivicError(ImportErrorCode.IMPORT_ROWS_INVALID, details=[{"where": "3", "field": "电话", "reason": "格式不对"}])
    middleware = CivicErrorMiddleware(lambda r: None)
    request = RequestFactory().get("/imports/")
    request.user = world.street_dispatcher
    page = middleware.process_exception(request, error)
    assert page.status_code == 400 and "<html" in page.content.decode() and "格式不对" in page.content.decode()
    request = RequestFactory().get("/imports/", HTTP_HX_REQUEST="true")
    request.user = world.street_dispatcher
    fragment = middleware.process_exception(request, error)
    body = fragment.content.decode()
    assert "<html" not in body and "import_rows_invalid" in body and fragment["HX-Retarget"] == "#messages"


def test_pages_stay_chinese_for_an_english_browser_but_the_api_negotiates(client, world):
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page
    client.cookies["django_language"] = "xx-bogus"
    assert 'lang="zh-hans"' in client.get(reverse("web:login")).content.decode()
    del client.cookies["django_language"]
    api = client.get("/api/places/places", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 401 and api.json()["message"] == "Please log in first."
    assert client.get("/api/places/places").json()["message"] == "请先登录。"
