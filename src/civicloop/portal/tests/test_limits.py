"""Abuse limits (issue 14): per client address for reports and look-ups, per code for proofs, sizes and counts of
photos, CSRF — each refused with a clear message and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civicloop.cases.models import Case
from civicloop.files.models import Attachment
from civicloop.files.tests.conftest import ELF, jpeg_with_gps, png_bomb
from civicloop.portal import services

from .conftest import post_report, report_data, reported


def test_reports_per_client_address(world, cats, public, monkeypatch):
    monkeypatch.setattr(services, "REPORT_LIMIT", (2, 3600))
    assert post_report(public, world).status_code == 302
    assert post_report(public, world).status_code == 302
    refused = post_report(public, world)
    assert refused.status_code == 429 and "操作过于频繁" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Case.objects.count() == 2
    assert post_report(Client(REMOTE_ADDR="198.51.100.1"), world).status_code == 302  # another address counts apart


def test_proofs_per_code_even_from_many_addresses(world, cats, public):
    post_report(public, world)
    code, secret = reported(public)
    for i in range(5):
        assert Client(REMOTE_ADDR=f"198.51.100.{i}").post(f"/portal/t/{code}/prove/", {"proof": f"{i:04d}"}).status_code == 403
    refused = Client(REMOTE_ADDR="198.51.100.99").post(f"/portal/t/{code}/prove/", {"proof": secret})
    assert refused.status_code == 429 and "操作过于频繁" in refused.content.decode()  # even the right one, now


def test_lookups_per_client_address(world, cats, public, monkeypatch):
    from civicloop.portal import views

    monkeypatch.setattr(views, "LOOKUP_LIMIT", (3, 3600))
    post_report(public, world)
    code, _secret = reported(public)
    assert [public.get(f"/portal/t/{code}/").status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.parametrize("files,message", [
    ([SimpleUploadedFile("photo.jpg", ELF, content_type="image/jpeg")], "文件类型不支持"),
    ([SimpleUploadedFile("bomb.png", png_bomb(), content_type="image/png")], "图片尺寸过大"),
    ([SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps()) for i in range(4)], "最多 3 个"),
])
def test_bad_photos_are_refused_and_nothing_is_written(world, cats, public, files, message, settings):
    response = post_report(public, world, files=files)
    assert response.status_code in (400, 413, 415) and message in response.content.decode()
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert not any(settings.CIVICLOOP_FILES_DIR.rglob("*")) if settings.CIVICLOOP_FILES_DIR.exists() else True


def test_an_oversize_photo_is_refused(world, cats, public, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 1000)
    response = post_report(public, world, files=[SimpleUploadedFile("a.jpg", jpeg_with_gps((400, 400)))])
    assert response.status_code == 413 and "文件过大" in response.content.decode() and not Case.objects.exists()


def test_csrf_is_required(world, cats):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/portal/", report_data(world)).status_code == 403
    assert not Case.objects.exists()


def test_bad_input_changes_nothing(world, cats, public):
    for extra in ({"description": ""}, {"phone": "abc"}, {"description": "x" * 5000}, {"lat": "1e400", "lng": "1"},
                  {"category_id": "99999999999999999999"}, {"appeal_type": "nonsense"}):
        response = post_report(public, world, **extra)
        assert response.status_code == 400, extra
    assert post_report(public, world, description="a\x00b").status_code == 400
    assert not Case.objects.exists()
