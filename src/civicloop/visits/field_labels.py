"""What a validation refusal calls the visits app's API parameters (`VisitsConfig.field_labels`)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "campaign_id": _("走访活动"),
    # ----- coverage
    "street": _("街道"),
    "community": _("居委"),
    "team": _("走访组"),
    "unassigned": _("未分配走访组"),
    "group": _("覆盖分组"),
    "sort": _("排序"),
}
