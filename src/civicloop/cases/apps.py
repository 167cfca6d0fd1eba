from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav, PeriodicTask


class CasesConfig(CivicAppConfig):
    name = "civicloop.cases"
    label = "cases"
    verbose_name = pgettext_lazy("admin section", "工单")
    api_prefix = "cases/"
    pages_prefix = "cases/"
    navigation = (
        Nav("cases:inbox", _("我的待办")),
        Nav("cases:register", _("登记工单"), visible="civicloop.cases.permissions.may_register"),
    )
    demo_steps = ("civicloop.cases.demo.generate_cases",)  # two years of cases, after units and staff exist
    demo_reset_steps = ("civicloop.cases.demo.delete_cases",)  # every cases row of the district, children first
    # Red cases supervised on their own (one supervision per overdue episode), every 10 minutes by default.
    periodic_tasks = (PeriodicTask("civicloop.cases.tasks.supervise_overdue", every=600, env="CIVICLOOP_SUPERVISE_EVERY"),)
    # The households and enterprises of the cases a unit leads or co-handles: a department sees those (places.permissions).
    handled_links = ("civicloop.cases.permissions.handled_ids",)
    field_labels = "civicloop.cases.field_labels.FIELD_LABELS"  # how validation refusals name the fields
    record_panels = ("civicloop.cases.home.record_panel",)  # a household's or enterprise's cases on its page
    home_panels = ("civicloop.cases.home.panel",)  # the person's inbox counts and notifications on the home page
    # a calendar year confirmed or loaded: the open cases' deadlines counted over it are counted again (tasks.py)
    calendar_listeners = ("civicloop.cases.tasks.recount_for_year",)
    # who sees the files a case came with (civicloop.files): whoever sees the case
    attachment_owners = {"cases.case": "civicloop.cases.attachments.may_see"}
