from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class PlansConfig(CivicAppConfig):
    name = "civicloop.plans"
    label = "plans"
    verbose_name = pgettext_lazy("admin section", "挂图作战")
    api_prefix = "plans/"
    pages_prefix = "plans/"
    field_labels = "civicloop.plans.field_labels.FIELD_LABELS"
    import_kinds = ("civicloop.plans.import_kinds.PlanTasksSpec",)  # a plan's task list from Excel
    attachment_owners = {"plans.report": "civicloop.plans.attachments.may_see"}  # a report's evidence
    demo_steps = ("civicloop.plans.demo.generate_plans",)  # after the assessment: letters read its findings
    demo_reset_steps = ("civicloop.plans.demo.delete_plans",)  # before the units, places and users
    home_panels = ("civicloop.plans.home.panel",)  # my tasks late or at risk, letters to acknowledge
    record_panels = ("civicloop.plans.home.record_panel",)  # on a case's page: the plan tasks linked to it
    # one entry (the bar is full at phone width): 我的任务 and 三书 are linked from the plans page
    navigation = (Nav("plans:plans", _("挂图作战"), visible="civicloop.plans.permissions.may_see_plans"),)
