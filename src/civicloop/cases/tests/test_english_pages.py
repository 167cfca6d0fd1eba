"""The English catalogue is complete where it shows (issue 11): the main pages rendered in English hold no
Chinese except data — the names of places, units, people and categories, and the cases' own text."""

import re

import pytest
from django.contrib.auth import get_user_model

from civicloop.places.models import Household
from civicloop.testing import parameterless_urls

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+")


def _data_strings() -> list[str]:
    """What the database holds in Chinese (longest first, so a name is removed before its parts)."""
    from django.apps import apps

    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"places", "orgs", "cases", "workdays", "hotline"}:  # hotline: its categories
            continue
        text_fields = [f.attname for f in model._meta.concrete_fields
                       if f.get_internal_type() in ("CharField", "TextField")]
        for row in model.objects.values_list(*text_fields) if text_fields else ():
            found.update(v for v in row if isinstance(v, str) and _CJK.search(v))
    found.update(str(u) for u in get_user_model().objects.all())
    return sorted(found, key=len, reverse=True)


def _chinese_left(html: str, data: list[str]) -> list[str]:
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    html = re.sub(r'<option value="(zh-hans)".*?</option>', "", html)  # the language switch names itself
    html = html.replace("简体中文", "")
    for text in data:
        html = html.replace(text, "")
    html = re.sub(r"[\u3400-\u9fff][*＊]+", "", html)  # a masked name (张*) is data too
    return _CJK.findall(html)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_main_pages_in_english_show_chinese_only_in_data(english, world, flow, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched()
    household = Household.objects.filter(community=world.comm_a1).first()
    # the case page itself is being reworked in its own branch (issue 11's case page) and checked there
    paths = {p for p in parameterless_urls() if not p.startswith(("/admin/", "/api/", "/i18n/", "/logout"))} | {
        f"/places/{world.comm_a1.code}/", f"/places/households/{household.code}/", "/cases/notifications/"}
    assert case.tracking_code
    data = _data_strings()
    problems = {}
    for user in (world.dept_handler, world.street_dispatcher, world.leader, world.district_admin):
        english.force_login(user)
        for path in sorted(paths):
            response = english.get(path)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            left = _chinese_left(response.content.decode(), data)
            if left:
                problems[(user.username, path)] = left
    assert not problems, problems


def test_inbox_section_names_are_english(english, world, flow):
    case = flow.dispatched()
    english.force_login(world.dept_handler)
    html = english.get("/cases/").content.decode()
    assert case.tracking_code in html
    header = re.search(r'data-section="to_accept".*?</strong>', html, re.S).group(0)
    assert "To accept" in header or not _CJK.search(header), header
