from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, DemoCaseRows, Nav, PeriodicTask


class DashboardConfig(CivicAppConfig):
    name = "civicloop.dashboard"
    label = "dashboard"
    verbose_name = pgettext_lazy("admin section", "数据看板")
    api_prefix = "dashboard/"
    pages_prefix = "dashboard/"
    # the weekly report is reached from the overview (a button beside its title), not from the menu
    navigation = (Nav("dashboard:overview", _("数据看板"), visible="civicloop.dashboard.permissions.may_read"),)
    # the rollups follow the case event log (decision file: dashboard-decision.md), every minute by default
    periodic_tasks = (PeriodicTask("civicloop.dashboard.tasks.refresh_rollups", every=60,
                                   env="CIVICLOOP_ROLLUP_EVERY"),)
    # after every app's demo steps (their cases too: visits, inspections, plans): the overview is current
    demo_final_steps = ("civicloop.dashboard.demo.generate_rollups",)
    # the demo's bulk-written cases' facts, folded where they are generated (the final step reads only the rest)
    demo_case_rows = (DemoCaseRows("civicloop.dashboard.demo.case_rows", models=(
        "dashboard.CaseFact", "dashboard.CaseReturn", "dashboard.CaseRedSpan")),)
    demo_reset_steps = ("civicloop.dashboard.demo.delete_rollups",)  # its rows point at the demo's cases
    field_labels = "civicloop.dashboard.field_labels.FIELD_LABELS"  # how validation refusals name the parameters
