from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class VisitsConfig(CivicAppConfig):
    name = "civicloop.visits"
    label = "visits"
    verbose_name = pgettext_lazy("admin section", "走访")
    api_prefix = "visits/"
    pages_prefix = "visits/"
    field_labels = "civicloop.visits.field_labels.FIELD_LABELS"  # how validation refusals name the fields
    navigation = (
        Nav("visits:mine", _("走访任务"), visible="civicloop.visits.permissions.has_team"),
        Nav("visits:campaigns", _("走访活动"), visible="civicloop.visits.permissions.may_see_campaigns"),
    )
