"""The imports app's error codes: their string values are part of the API contract (clients switch on them)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class ImportErrorCode(StrEnum):
    IMPORT_FILE_UNREADABLE = "import_file_unreadable"  # not .xlsx/.csv, empty, broken, or an unknown text encoding
    IMPORT_BAD_HEADER = "import_bad_header"  # the header row does not match the kind's template
    IMPORT_ROWS_INVALID = "import_rows_invalid"  # some rows failed their checks; nothing was written
    IMPORT_UNKNOWN_KIND = "import_unknown_kind"  # no registered import kind of that name
    IMPORT_FILE_TOO_LARGE = "import_file_too_large"  # over the upload limit (settings.CIVICLOOP_MAX_UPLOAD_BYTES)


register_error_codes(ImportErrorCode, {
    ImportErrorCode.IMPORT_FILE_UNREADABLE: (400, _("无法读取文件。")),
    ImportErrorCode.IMPORT_BAD_HEADER: (400, _("表头与模板不符。")),
    ImportErrorCode.IMPORT_ROWS_INVALID: (400, _("有行数据不合格，未写入任何数据。")),
    ImportErrorCode.IMPORT_UNKNOWN_KIND: (400, _("未知的导入类型。")),
    ImportErrorCode.IMPORT_FILE_TOO_LARGE: (413, _("文件过大（上限 %(mb)s MB）。")),
})
