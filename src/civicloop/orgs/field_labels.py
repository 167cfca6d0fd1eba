"""What a validation refusal calls the orgs app's API parameters (`OrgsConfig.field_labels`)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "kind": _("类别"),
    "role": _("角色"),
    "unit": _("单位"),
}
