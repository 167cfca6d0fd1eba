from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class VisitsConfig(CivicAppConfig):
    name = "civicloop.visits"
    label = "visits"
    verbose_name = pgettext_lazy("admin section", "走访")
    api_prefix = "visits/"
    pages_prefix = "visits/"
    field_labels = "civicloop.visits.field_labels.FIELD_LABELS"  # names in validation refusals (core.validation)
    # a household's or enterprise's visits, and on a case's page the visit it was raised in (core.registry)
    record_panels = ("civicloop.visits.home.record_panel",)
    import_kinds = ("civicloop.visits.import_kinds.PairingSpec",)  # 结对 (pairings) from Excel
    navigation = (
        Nav("visits:mine", _("走访任务"), visible="civicloop.visits.permissions.has_team"),
        Nav("visits:campaigns", _("走访活动"), visible="civicloop.visits.permissions.may_see_campaigns"),
    )
