"""The files app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class FileErrorCode(StrEnum):
    FILE_TYPE = "file_type"  # the content is none of the kinds accepted here (whatever the file's name says)
    FILE_TOO_LARGE = "file_too_large"  # more bytes than the limit
    IMAGE_TOO_LARGE = "image_too_large"  # more pixels than the limit (an image bomb), before anything is decoded
    TOO_MANY_FILES = "too_many_files"  # more files than the form takes


register_error_codes(FileErrorCode, {
    FileErrorCode.FILE_TYPE: (415, _("文件类型不支持（按文件内容判断）：只接受%(kinds)s。")),
    FileErrorCode.FILE_TOO_LARGE: (413, _("文件过大：每个文件不超过 %(mb)s MB。")),
    FileErrorCode.IMAGE_TOO_LARGE: (413, _("图片尺寸过大：不超过 %(mp)s 百万像素。")),
    FileErrorCode.TOO_MANY_FILES: (400, _("文件过多：最多 %(max)s 个。")),
})
