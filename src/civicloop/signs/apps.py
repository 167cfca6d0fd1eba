from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav, PeriodicTask


class SignsConfig(CivicAppConfig):
    name = "civicloop.signs"
    label = "signs"
    verbose_name = pgettext_lazy("admin section", "感知预警")
    api_prefix = "signs/"
    pages_prefix = "signs/"
    field_labels = "civicloop.signs.field_labels.FIELD_LABELS"
    home_panels = ("civicloop.signs.home.panel",)  # the territory's open alarms by severity, the newest few
    dashboard_panels = ("civicloop.signs.dashboard.panel",)  # open alarms by street on the overview
    import_kinds = ("civicloop.signs.import_kinds.DeviceSpec",)  # devices bound to places, from Excel
    navigation = (
        Nav("signs:alarms", _("感知预警"), visible="civicloop.signs.permissions.may_see_alarms"),
        Nav("signs:rules", _("告警规则"), visible="civicloop.signs.permissions.may_manage", more=True),
    )
    # silence is noticed by a sweep: a device that stopped reporting enqueues nothing itself
    periodic_tasks = (PeriodicTask("civicloop.signs.tasks.evaluate_all", every=300, env="CIVICLOOP_SIGNS_SWEEP_EVERY"),
                      # the readings' monthly partitions, made ahead (PostgreSQL; partitions.py)
                      PeriodicTask("civicloop.signs.tasks.partitions_ahead", every=6 * 3600,
                                   env="CIVICLOOP_SIGNS_PARTITIONS_EVERY"))
    demo_steps = ("civicloop.signs.demo.generate_signs",)  # after the cases: alarms open cases
    demo_reset_steps = ("civicloop.signs.demo.delete_signs",)  # before the cases: alarms point at them
