from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class HotlineConfig(CivicAppConfig):
    name = "civicloop.hotline"
    label = "hotline"
    verbose_name = pgettext_lazy("admin section", "12345热线")
    api_prefix = "hotline/"
    pages_prefix = "hotline/"
    field_labels = "civicloop.hotline.field_labels.FIELD_LABELS"  # names in validation refusals (core.validation)
    import_kinds = ("civicloop.hotline.import_kinds.WorkOrderSpec",)  # 12345 work orders from Excel/CSV
    record_panels = ("civicloop.hotline.home.record_panel",)  # on a case's page: the work order it came as
    navigation = (Nav("hotline:index", _("12345热线"), visible="civicloop.hotline.permissions.may_exchange",
                      more=True),)
    demo_steps = ("civicloop.hotline.demo.generate_mappings",)  # after the cases: their categories exist
    demo_reset_steps = ("civicloop.hotline.demo.delete_hotline",)  # before the cases: work orders point at them
