"""The public timeline shows where a portal case stands in public words — and nothing internal: no notes but the
answer (masked), no staff names, only the lead unit; no reporter data. Only portal cases have one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.cases.models import Case

from .conftest import post_report, reported
from .test_report_and_rate import reply


@pytest.fixture
def replied(world, cats, public):
    world.street_dispatcher.display_name = "王调度"
    world.street_dispatcher.save()
    world.committee_worker.display_name = "赵网格"
    world.committee_worker.save()
    post_report(public, world, reporter_name=None, description="我是张三，电话13912345678，路灯坏了")
    code, _secret = reported(public)
    return reply(world, cats, Case.objects.get(tracking_code=code))


def test_the_public_timeline_leaks_nothing_internal(world, replied, django_assert_max_num_queries):
    from django.test import Client

    with django_assert_max_num_queries(12):
        page = Client().get(f"/portal/t/{replied.tracking_code}/").content.decode()
    for step in ("已受理您的诉求", f"已交由 {world.committee_a1.name} 办理", f"{world.committee_a1.name} 已签收",
                 f"{world.committee_a1.name} 已办结", "已答复", "您反映的路灯已修复"):
        assert step in page, step
    assert "139****2222" in page  # the answer's number masked
    for secret in ("内部", "王科长", "老李", "13800001111", "13911112222", "已更换灯泡",  # notes, results
                   "王调度", "赵网格", "street_dispatcher", "committee_worker",  # staff
                   "13912345678", "张三", "5678", "1号门"):  # the reporter: phone, words, address
        assert secret not in page, secret


def test_a_case_that_came_another_way_has_no_public_page(world, cats):
    from django.test import Client

    case = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, place_id=world.comm_a1.pk,
                           description="热线工单", reporter_phone="13912345678")
    response = Client().get(f"/portal/t/{case.tracking_code}/")
    assert response.status_code == 404 and "热线工单" not in response.content.decode()
    assert Client().get("/portal/t/NOPE/").status_code == 404


def test_the_lookup_form_goes_to_the_code_s_page(world, cats, public):
    post_report(public, world)
    code, _secret = reported(public)
    response = public.get("/portal/track/", {"code": f" {code.lower()} "})
    assert response.status_code == 302 and response["Location"] == f"/portal/t/{code}/"


def test_english(world, cats, public):
    public.cookies.load({"django_language": "en"})
    page = public.get("/portal/")
    assert page.status_code == 200


def test_photos_never_reach_the_page_of_someone_who_has_not_proved(world, cats, public):
    from civicloop.files.tests.conftest import jpeg_with_gps

    post_report(public, world, files=[SimpleUploadedFile("a.jpg", jpeg_with_gps())])
    code, _secret = reported(public)
    from django.test import Client

    assert "/files/" not in Client().get(f"/portal/t/{code}/").content.decode()


def test_the_pickers_list_the_next_level_of_the_district_only(world, cats, public):
    page = public.get("/portal/places/communities/", {"street": world.street_a.code}).content.decode()
    assert world.comm_a1.name in page and world.comm_b1.name not in page and 'hx-swap-oob="true"' in page
    compounds = public.get("/portal/places/compounds/", {"community": world.comm_a1.code}).content.decode()
    assert f"{world.comm_a1.name}小区" in compounds and "1号楼" not in compounds
    other = world.other_district.children.first()
    assert public.get("/portal/places/communities/", {"street": other.code}).status_code == 404
    assert public.get("/portal/places/households/", {"street": world.street_a.code}).status_code == 404


def test_a_merged_report_shows_the_answer_its_target_got_but_not_the_target(world, cats, public):
    from django.test import Client

    post_report(public, world)
    code, _secret = reported(public)
    mine = Case.objects.get(tracking_code=code)
    target = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, place_id=world.comm_a1.pk,
                             description="同一路灯")
    s.case_merge(actor=world.street_dispatcher, case_id=mine.pk, into_case_id=target.pk)
    reply(world, cats, target)
    page = Client().get(f"/portal/t/{code}/").content.decode()
    assert "与同类诉求合并办理" in page and "已答复（与同类诉求一并办理）" in page and "您反映的路灯已修复" in page
    assert target.tracking_code not in page
