"""The checks every upload passes, by its bytes: the attacks of issue 14 (a renamed executable, an oversize file, an
image bomb) and what survives of a photo (EXIF stripped for the public, kept for staff)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from civicloop.core.errors import CivicError
from civicloop.files.checking import check_file, read_upload, safe_name
from civicloop.files.constants import MAX_BYTES, FileKind
from civicloop.files.error_codes import FileErrorCode

from .conftest import ELF, jpeg_with_gps, png_bomb


def refusal(call) -> CivicError:
    with pytest.raises(CivicError) as e:
        call()
    return e.value


def test_a_renamed_executable_is_refused_whatever_its_name_says():
    err = refusal(lambda: check_file(ELF, name="photo.jpg"))
    assert err.code == FileErrorCode.FILE_TYPE and err.status == 415
    assert "图片" in err.message  # says what is accepted
    # an HTML page or a script named as an image likewise; and a PDF where only images are taken
    for data in (b"<html><script>alert(1)</script></html>", b"#!/bin/sh\nrm -rf /\n", b"%PDF-1.4\n%%EOF"):
        assert refusal(lambda d=data: check_file(d, name="x.png")).code == FileErrorCode.FILE_TYPE


def test_an_oversize_file_is_refused_before_it_is_read_whole():
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_BYTES + 1), content_type="image/jpeg")
    err = refusal(lambda: read_upload(upload))
    assert err.code == FileErrorCode.FILE_TOO_LARGE and err.status == 413 and "10 MB" in err.message
    assert refusal(lambda: check_file(b"x" * 101, max_bytes=100)).code == FileErrorCode.FILE_TOO_LARGE
    assert read_upload(SimpleUploadedFile("ok.jpg", b"abc")) == b"abc"


def test_an_image_bomb_is_refused_from_its_header():
    bomb = png_bomb()
    assert len(bomb) < 1000
    err = refusal(lambda: check_file(bomb, name="bomb.png"))
    assert err.code == FileErrorCode.IMAGE_TOO_LARGE and err.status == 413
    # past Pillow's own bomb limit too (its error is ours)
    assert refusal(lambda: check_file(png_bomb(200_000, 200_000))).code == FileErrorCode.IMAGE_TOO_LARGE


def test_a_truncated_image_is_refused():
    data = jpeg_with_gps()
    assert refusal(lambda: check_file(data[: len(data) // 2])).code == FileErrorCode.FILE_TYPE


def test_exif_gps_is_stripped_for_the_public():
    checked = check_file(jpeg_with_gps(), name="../../etc/现场.JPG")
    stored = Image.open(io.BytesIO(checked.data))
    assert not stored.getexif() and not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert checked.metadata_kept is False and checked.content_type == "image/jpeg"
    assert checked.name == "现场.jpg" and checked.kind == FileKind.IMAGE


def test_exif_gps_is_kept_for_staff():
    checked = check_file(jpeg_with_gps(), name="evidence.jpg", keep_metadata=True)
    gps = Image.open(io.BytesIO(checked.data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[ExifTags.GPS.GPSLatitude] == (31.0, 11.0, 0.0) and checked.metadata_kept is True


def test_what_follows_the_picture_does_not_survive():
    """Re-encoding from the pixels: a script appended to a valid image (a polyglot) is not in what is stored."""
    data = jpeg_with_gps() + b"<script>alert(document.cookie)</script>"
    stored = check_file(data).data
    assert b"<script" not in stored and stored.startswith(b"\xff\xd8")


def test_large_photos_are_scaled_and_transparent_ones_stay_png():
    out = io.BytesIO()
    Image.new("RGBA", (4000, 1000), (0, 0, 0, 0)).save(out, "PNG")
    checked = check_file(out.getvalue(), name="a.gif")
    assert (checked.width, checked.height) == (1920, 480) and checked.content_type == "image/png"
    assert checked.name == "a.png"


def test_pdf_only_where_asked():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    checked = check_file(pdf, name="报告.pdf", kinds=(FileKind.IMAGE, FileKind.PDF))
    assert checked.kind == FileKind.PDF and checked.content_type == "application/pdf"


@pytest.mark.parametrize("name,expected", [("", "file.jpg"), ('a"b;c.exe', "abc.jpg"), ("x" * 200, "x" * 60 + ".jpg"),
                                           ("C:\\Users\\me\\p.png", "p.jpg")])
def test_safe_names(name, expected):
    assert safe_name(name, "jpg") == expected
