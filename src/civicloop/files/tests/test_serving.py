"""A stored file is served only through `views.serve`, to a viewer the owner's rule lets see the owner (a case:
whoever sees the case), never rendered as a page: safe type, nosniff, sandbox, a download name."""

import pytest
from django.test import Client

from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.files.checking import check_file
from civicloop.files.models import Attachment
from civicloop.files.services import attachments_attach, attachments_orphans_purge, attachments_write
from civicloop.files.storage import path_of
from civicloop.testing import PASSWORD

from .conftest import jpeg_with_gps


@pytest.fixture
def case_photo(world):
    case = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, place_id=world.comm_a1.pk,
                           description="路灯不亮")
    pending = attachments_write([check_file(jpeg_with_gps(), name="路灯.jpg", keep_metadata=True)])
    [attachment] = attachments_attach(pending=pending, owner_kind="cases.case", owner_id=case.pk,
                                      district_id=case.district_id, uploaded_by=world.street_dispatcher)
    return attachment


def fetch(user, key):
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client.get(f"/files/{key}/")


def test_staff_who_see_the_case_get_the_file_served_safely(world, case_photo):
    response = fetch(world.street_dispatcher, case_photo.key)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == path_of(case_photo.storage_name).read_bytes() and body.startswith(b"\xff\xd8")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline") and ".jpg" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert fetch(world.district_admin, case_photo.key).status_code == 200  # the district sees every street


def test_another_streets_staff_the_public_and_a_department_not_on_the_case_cannot_fetch(world, case_photo):
    for user in (world.outsider, world.stranger, world.dept_handler, world.nobody, None):
        assert fetch(user, case_photo.key).status_code == 404, user
    assert fetch(world.street_dispatcher, "0" * 32).status_code == 404  # no such key: the same answer
    assert fetch(world.street_dispatcher, "x").status_code == 404


def test_the_stored_name_is_random_and_not_the_key(world, case_photo):
    assert case_photo.storage_name != case_photo.key and "路灯" not in case_photo.storage_name
    assert len(case_photo.storage_name) == 40 and len(case_photo.key) == 32
    assert case_photo.metadata_kept and case_photo.uploaded_by == world.street_dispatcher


def test_a_pdf_is_always_a_download(world, case_photo):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    pending = attachments_write([check_file(pdf, name="x.pdf", kinds=("pdf",))])
    [a] = attachments_attach(pending=pending, owner_kind="cases.case", owner_id=case_photo.owner_id,
                             district_id=case_photo.district_id)
    response = fetch(world.street_dispatcher, a.key)
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment")


def test_a_file_of_a_kind_nobody_declared_is_refused_and_orphans_are_purged(world, tmp_path):
    pending = attachments_write([check_file(jpeg_with_gps())])
    with pytest.raises(CivicError) as e:
        attachments_attach(pending=pending, owner_kind="nobody.thing", owner_id=1, district_id=world.district.pk)
    assert e.value.code == ErrorCode.INVALID and not Attachment.objects.exists()
    assert path_of(pending[0].storage_name).exists()
    assert attachments_orphans_purge(older_than=3600) == 0  # too recent: perhaps its owner is being written
    assert attachments_orphans_purge(older_than=0, now=10**12) == 1
    assert not path_of(pending[0].storage_name).exists()
