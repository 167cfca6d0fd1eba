import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image


@pytest.fixture(autouse=True)
def _files_dir(settings, tmp_path):
    settings.CIVICLOOP_FILES_DIR = tmp_path / "files"
    return settings.CIVICLOOP_FILES_DIR


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A small JPEG whose EXIF holds a camera make and a GPS position (as a phone's photo does)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (31.0, 11.0, 0.0),
                                  ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (121.0, 26.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bomb(width=100_000, height=100_000) -> bytes:
    """A PNG of a few hundred bytes claiming `width` × `height` pixels (10^10: decoded, tens of gigabytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * 4096, 9)  # the first rows; the rest would be decoded to zeros, endlessly
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200  # a Linux executable's start
