"""The portal's loop (issue 14): a report with a photo → its tracking code and secret → staff reply through the
cases services → the reporter proves it is them (wrong, then right) and rates; 不满意 reopens the case."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from civicloop.cases import services as s
from civicloop.cases.constants import AppealType, CaseState, Channel
from civicloop.cases.models import Case, CaseEvent
from civicloop.files.models import Attachment
from civicloop.files.tests.conftest import jpeg_with_gps
from civicloop.portal.models import PortalReport
from civicloop.portal.services import secret_digest
from civicloop.testing import PASSWORD

from .conftest import post_report, reported


def photo(name="路灯.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def reply(world, cats, case):
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=case.pk, lead_unit_id=world.committee_a1.pk,
                    note="内部：请王科长盯一下，别让他再打12345")
    s.case_accept(actor=world.committee_worker, case_id=case.pk)
    s.case_add_progress(actor=world.committee_worker, case_id=case.pk, note="内部进展：联系了电工老李13800001111")
    s.case_resolve(actor=world.committee_worker, case_id=case.pk, result="已更换灯泡")
    s.case_reply(actor=world.street_dispatcher, case_id=case.pk, channel="portal",
                 content="您反映的路灯已修复，如有问题请致电13911112222。")
    return Case.objects.get(pk=case.pk)


def test_report_track_reply_and_rate_with_wrong_then_right_proof(world, cats, public):
    response = post_report(public, world, files=[photo()], category_id=cats["0201"].pk)
    assert response.status_code == 302 and response["Location"] == "/portal/reported/"  # nothing personal in a URL
    code, secret = reported(public)
    assert public.get("/portal/reported/").status_code == 302  # the secret is shown once
    case = Case.objects.get(tracking_code=code)
    assert case.channel == Channel.PORTAL and case.state == CaseState.REGISTERED and case.registered_by is None
    assert case.street_id == world.street_a.pk and case.community_id == world.comm_a1.pk  # the street's inbox
    assert case.reporter_phone == "13912345678" and not case.reporter_anonymous
    report = PortalReport.objects.get(case=case)
    assert report.secret_digest == secret_digest(secret) and secret not in report.secret_digest
    # the photo: stored re-encoded without its GPS, owned by the case, named in the register event
    [attachment] = Attachment.objects.filter(owner_kind="cases.case", owner_id=case.pk)
    event = CaseEvent.objects.get(case=case, action="register")
    assert event.attachments == [{"key": attachment.key, "name": "路灯.jpg", "kind": "image"}]
    assert attachment.uploaded_by is None and not attachment.metadata_kept

    page = public.get(f"/portal/t/{code}/")
    assert page.status_code == 200 and "已受理您的诉求" in page.content.decode()
    assert 'id="rate-form"' not in page.content.decode()
    assert public.get(f"/files/{attachment.key}/").status_code == 404  # not before the proof

    case = reply(world, cats, case)
    assert case.state == CaseState.REPLIED
    wrong = public.post(f"/portal/t/{code}/prove/", {"proof": "0000"})
    assert wrong.status_code == 403 and "验证未通过" in wrong.content.decode()
    assert public.post(f"/portal/t/{code}/rate/", {"value": "satisfied"}).status_code == 403  # no proof: no rating
    assert Case.objects.get(pk=case.pk).state == CaseState.REPLIED

    right = public.post(f"/portal/t/{code}/prove/", {"proof": "5678"})  # the phone's last four digits
    assert right.status_code == 302
    page = public.get(f"/portal/t/{code}/").content.decode()
    assert 'id="rate-form"' in page and f"/files/{attachment.key}/" in page
    served = public.get(f"/files/{attachment.key}/")
    assert served.status_code == 200
    stored = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    rated = public.post(f"/portal/t/{code}/rate/", {"value": "unsatisfied"})
    assert rated.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.REOPENED and case.unsatisfied_count == 1  # the cases service's own rule
    assert case.ratings.get().recorded_by is None
    again = public.post(f"/portal/t/{code}/rate/", {"value": "satisfied"})
    assert again.status_code == 409 and "不能评价" in again.content.decode()


def test_an_anonymous_suggestion_proves_with_its_secret(world, cats, public):
    assert post_report(public, world, phone="", appeal_type=AppealType.SUGGESTION).status_code == 302
    code, secret = reported(public)
    case = Case.objects.get(tracking_code=code)
    assert case.reporter_anonymous and case.reporter_phone == "" and case.appeal_type == AppealType.SUGGESTION
    assert "建议" in public.get(f"/portal/t/{code}/").content.decode()
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.post(f"/portal/t/{code}/prove/", {"proof": "5678"}).status_code == 403  # no phone: digits prove nothing
    assert other.post(f"/portal/t/{code}/prove/", {"proof": secret.lower()}).status_code == 302
    assert 'id="proof-form"' not in other.get(f"/portal/t/{code}/").content.decode()


def test_the_photo_stays_out_of_reach_of_another_streets_staff(world, cats, public):
    post_report(public, world, files=[photo()])
    code, _secret = reported(public)
    attachment = Attachment.objects.get()
    for user, status in ((world.outsider, 404), (world.street_dispatcher, 200), (world.committee_worker, 200)):
        client = Client()
        client.login(username=user.username, password=PASSWORD)
        assert client.get(f"/files/{attachment.key}/").status_code == status, user


def test_a_point_on_the_map_alone_places_the_report_in_the_district(world, cats, public):
    response = post_report(public, world, street="", community="", lat="31.180000", lng="121.437000")
    assert response.status_code == 302
    case = Case.objects.get()
    assert str(case.lat) == "31.180000" and case.street_id is None and case.district_id == world.district.pk
    outside = post_report(public, world, street="", community="", lat="39.900000", lng="116.400000")  # Beijing
    assert outside.status_code == 400 and "不在本区范围内" in outside.content.decode()
    nowhere = post_report(public, world, street="", community="")
    assert nowhere.status_code == 400 and "请选择街道" in nowhere.content.decode()
    assert Case.objects.count() == 1


def test_a_place_of_another_district_is_refused(world, cats, public):
    other_street = world.other_district.children.first()
    response = post_report(public, world, street=other_street.code, community="")
    assert response.status_code == 404 and Case.objects.count() == 0


def test_staff_see_the_photo_on_the_case_page(world, cats, public):
    post_report(public, world, files=[photo()])
    case = Case.objects.get()
    attachment = Attachment.objects.get()
    client = Client()
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    page = client.get(f"/cases/{case.tracking_code}/").content.decode()
    assert f'src="/files/{attachment.key}/"' in page
