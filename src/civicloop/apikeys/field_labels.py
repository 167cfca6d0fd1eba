"""What a validation refusal calls the fields of the key form (`ApiKeysConfig.field_labels`)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "scopes": _("用途"),
    "rate_limit": _("每分钟请求上限"),
    "acting_user_id": _("代为登记的工作人员"),
}
