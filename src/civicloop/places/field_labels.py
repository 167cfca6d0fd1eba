"""What a validation refusal calls the places app's API parameters (`PlacesConfig.field_labels`)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "credit_code": _("统一社会信用代码"),
    "level": _("层级"),
    "parent": _("上级地点"),
    "park_building": _("园区楼宇"),
    "place": _("地点"),
    "tag": _("标签"),
    "zone": _("园区"),
}
