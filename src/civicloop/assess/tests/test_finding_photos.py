"""Photos on inspection findings through the shared files facility: taken with the finding form (multipart, as a
phone sends it), re-encoded without their EXIF, attached to the finding (owner `assess.finding`) and served to
whoever may see the finding — the round's members, the district's assessment staff, the street's staff — and to
nobody else. A refused upload records nothing."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image

from civicloop.assess.constants import FINDING_OWNER
from civicloop.assess.models import Finding
from civicloop.assess.services import inspections as ins
from civicloop.cases.models import Case
from civicloop.files.models import Attachment
from civicloop.orgs.constants import Role
from civicloop.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_dir(settings, tmp_path):
    settings.CIVICLOOP_FILES_DIR = tmp_path / "files"


@pytest.fixture
def team(world):
    world.inspector = make_user("inspector", world.research, Role.INSPECTOR)
    world.inspection = ins.round_create(actor=world.district_admin, name="三月巡访", kind="citizen_team",
                                        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
                                        member_ids=[world.inspector.pk])
    return world


def photo(name="垃圾.jpg") -> SimpleUploadedFile:
    """A phone's JPEG with a GPS position in its EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (31.0, 11.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 120, 30)).save(out, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def post_finding(client, w, photos):
    return client.post(reverse("assess:round", args=[w.inspection.pk]), data={
        "place_id": w.comm_a1.pk, "description": "小区门口垃圾满溢", "severity": "major", "rectify": "on",
        "photos": photos}, HTTP_HX_REQUEST="true")


def fetch(user, key):
    client = Client()
    if user is not None:
        assert client.login(username=user.username, password=PASSWORD)
    return client.get(f"/files/{key}/")


def test_the_finding_form_takes_photos_that_those_who_see_the_finding_see(team, client):
    w = team
    client.force_login(w.inspector)
    page = client.get(reverse("assess:round", args=[w.inspection.pk])).content.decode()
    assert 'type="file" name="photos"' in page and 'enctype="multipart/form-data"' in page
    response = post_finding(client, w, [photo(), photo("积水.jpg")])
    assert response.status_code in (200, 204, 302), response.content
    finding = Finding.objects.get()
    photos = list(Attachment.objects.filter(owner_kind=FINDING_OWNER, owner_id=finding.pk).order_by("id"))
    assert len(photos) == 2 and {p.uploaded_by_id for p in photos} == {w.inspector.pk}
    assert not any(p.metadata_kept for p in photos)
    body = b"".join(fetch(w.inspector, photos[0].key).streaming_content)
    assert body.startswith(b"\xff\xd8") and b"PhoneCam" not in body  # re-encoded, EXIF gone
    # the finding's page shows them to those who see the finding
    client.force_login(w.street_dispatcher)
    page = client.get(reverse("assess:finding", args=[finding.pk])).content.decode()
    assert reverse("files:file", args=[photos[0].key]) in page
    for user in (w.inspector, w.district_admin, w.street_dispatcher):
        assert fetch(user, photos[1].key).status_code == 200, user.username
    for user in (w.outsider, w.dept_handler, w.stranger, None):  # another street, a department, another district
        assert fetch(user, photos[1].key).status_code == 404


def test_a_refused_photo_records_nothing(team, client):
    w = team
    client.force_login(w.inspector)
    cases = Case.objects.count()
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image at all", content_type="image/jpeg")
    response = post_finding(client, w, [photo(), fake])
    assert response.status_code == 415  # files' FILE_TYPE: what it is is decided by its bytes
    too_many = post_finding(client, w, [photo() for _ in range(5)])
    assert too_many.status_code == 400
    assert not Finding.objects.exists() and Case.objects.count() == cases
    assert not Attachment.objects.filter(owner_kind=FINDING_OWNER).exists()

