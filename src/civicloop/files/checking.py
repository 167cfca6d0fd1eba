"""What an upload is, decided by its bytes (never its name or the browser's content type), and what is stored.

Pure: bytes in, `Checked` out or a `CivicError`; nothing is written. An image is opened by Pillow restricted to
`IMAGE_FORMATS`, refused past `MAX_PIXELS` from its header alone (before a pixel is decoded: an image bomb costs
nothing), decoded, turned upright (its EXIF orientation), scaled to `MAX_SIDE` and re-encoded from its pixels
alone — so nothing of the upload but the picture survives (EXIF with its GPS position, XMP, comments, a script
appended to the file). Staff evidence keeps its EXIF (where and when it was taken is the point of it).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from civicloop.core.errors import CivicError

from .constants import IMAGE_FORMATS, JPEG, JPEG_QUALITY, MAX_BYTES, MAX_PIXELS, MAX_SIDE, PDF, PNG, FileKind
from .error_codes import FileErrorCode

KIND_NAMES = {FileKind.IMAGE: _("图片（JPG、PNG、WebP、GIF）"), FileKind.PDF: _("PDF 文件")}


@dataclass(frozen=True)
class Checked:
    """An upload as it will be stored: its kind, bytes (re-encoded for an image), type and safe name."""

    kind: str
    data: bytes
    content_type: str
    name: str
    width: int | None = None
    height: int | None = None
    metadata_kept: bool = False


def read_upload(upload, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of an uploaded file (Django's UploadedFile or any file object), refused past `max_bytes`
    without reading more than one byte beyond it."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large(max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data


def too_large(max_bytes: int) -> CivicError:
    return CivicError(FileErrorCode.FILE_TOO_LARGE, mb=max_bytes // (1024 * 1024))


def check_file(data: bytes, *, name: str = "", kinds=(FileKind.IMAGE,), keep_metadata: bool = False,
               max_bytes: int = MAX_BYTES) -> Checked:
    """`data` as one of `kinds`, else FILE_TYPE (an executable renamed `photo.jpg` is refused here)."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    if FileKind.IMAGE in kinds and not data.startswith(b"%PDF-"):
        image = _image_or_none(data)
        if image is not None:
            return _reencoded(image, name=name, keep_metadata=keep_metadata)
    if FileKind.PDF in kinds and data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return Checked(kind=FileKind.PDF, data=data, content_type=PDF[1], name=safe_name(name, PDF[2]))
    raise CivicError(FileErrorCode.FILE_TYPE, kinds="、".join(str(KIND_NAMES[k]) for k in kinds))


def _image_or_none(data: bytes):
    """The image Pillow recognises in `data` (header read, nothing decoded), None when it is no image we take;
    IMAGE_TOO_LARGE past MAX_PIXELS."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise CivicError(FileErrorCode.IMAGE_TOO_LARGE, mp=MAX_PIXELS // 1_000_000) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    width, height = image.size
    if width * height > MAX_PIXELS or width < 1 or height < 1:
        raise CivicError(FileErrorCode.IMAGE_TOO_LARGE, mp=MAX_PIXELS // 1_000_000)
    return image


def _reencoded(image, *, name: str, keep_metadata: bool) -> Checked:
    try:
        # a JPEG is decoded straight at the smallest DCT scale still at least the stored size (a phone's 12 MP
        # photo at half size: a quarter of the work); other formats ignore it
        scale = min(1.0, MAX_SIDE / max(image.size))
        image.draft(None, (max(1, round(image.width * scale)), max(1, round(image.height * scale))))
        image.load()  # decodes: a truncated or corrupt file fails here
        exif = image.getexif() if keep_metadata else None
        upright = ImageOps.exif_transpose(image)  # also drops the orientation tag from its EXIF
        if keep_metadata:
            exif = upright.getexif()
        alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
        upright = upright.convert("RGBA" if alpha else "RGB")
        upright.thumbnail((MAX_SIDE, MAX_SIDE))
        # a new image from the pixels alone: no info, comment, XMP or ICC profile of the upload comes along
        clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
        fmt, content_type, suffix = PNG if alpha else JPEG
        out = io.BytesIO()
        options = {"quality": JPEG_QUALITY, "optimize": True} if fmt == "JPEG" else {"optimize": True}
        if exif:
            options["exif"] = exif.tobytes()
        clean.save(out, fmt, **options)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise CivicError(FileErrorCode.FILE_TYPE, kinds=str(KIND_NAMES[FileKind.IMAGE])) from None
    return Checked(kind=FileKind.IMAGE, data=out.getvalue(), content_type=content_type, name=safe_name(name, suffix),
                   width=clean.width, height=clean.height, metadata_kept=bool(exif))


def safe_name(name: str, suffix: str) -> str:
    """A download name from what the uploader called the file: no folders, no control or quoting characters, at
    most 60 characters of its stem, and our own suffix (the content's, not the one the name claimed)."""
    stem = (name or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '"<>:|?*;%').strip(" .")[:60]
    return f"{stem or 'file'}.{suffix}"
