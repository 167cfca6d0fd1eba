from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class AssessConfig(CivicAppConfig):
    name = "civicloop.assess"
    label = "assess"
    verbose_name = pgettext_lazy("admin section", "考核评比")
    api_prefix = "assess/"
    pages_prefix = "assess/"
    field_labels = "civicloop.assess.field_labels.FIELD_LABELS"
    import_kinds = ("civicloop.assess.import_kinds.IndicatorSpec",)  # indicators of a set from Excel
    navigation = (Nav("assess:home", _("考核评比"), visible="civicloop.assess.permissions.may_see_assessment"),)
    demo_steps = ("civicloop.assess.demo.generate_assessment",)  # after the cases: findings become cases
    demo_final_steps = ("civicloop.assess.demo.publish_earlier_year",)  # after the dashboard's fold: it computes
    demo_reset_steps = ("civicloop.assess.demo.delete_assessment",)  # before the cases: findings point at them
    record_panels = ("civicloop.assess.home.record_panel",)
    attachment_owners = {"assess.finding": "civicloop.assess.attachments.may_see"}  # a finding's photos  # on a rectification case's page: its finding

