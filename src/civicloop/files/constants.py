"""The vocabulary of attachments and their limits."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    IMAGE = "image", _("图片")  # JPEG, PNG, WebP or GIF by content; stored re-encoded as JPEG or PNG
    PDF = "pdf", _("PDF 文件")  # by its header; stored as sent, always served as a download


# What a re-encoded image is stored and served as: (Pillow format, content type, suffix of the download name).
JPEG = ("JPEG", "image/jpeg", "jpg")
PNG = ("PNG", "image/png", "png")
PDF = (None, "application/pdf", "pdf")

# The image formats Pillow may open (its other plugins — EPS, PSD, ICNS … — are never tried on an upload).
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")

MAX_BYTES = 10 * 1024 * 1024  # one file as sent (a phone photo is 2–6 MB)
MAX_PIXELS = 40_000_000  # width × height of an image before it is decoded: a larger one is refused (an image bomb)
MAX_SIDE = 1920  # the longest side of a stored image (larger ones are scaled down when re-encoded)
JPEG_QUALITY = 85
