from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import register_error_codes


class SampleErrorCode(StrEnum):
    SAMPLE_REFUSED = "sample_refused"


register_error_codes(SampleErrorCode, {SampleErrorCode.SAMPLE_REFUSED: (409, _("输入有误。"))})
