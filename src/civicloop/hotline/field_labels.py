"""What a validation refusal calls the fields of the hotline app's request schemas (`HotlineConfig.field_labels`,
read by core.validation). `category_id` is named by the cases app."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "hotline_category": _("12345分类"),
    "cursor": _("游标"),
    "limit": _("条数"),
    "start": _("开始日期"),
    "end": _("结束日期"),
    "mapping_id": _("分类对照"),
}
