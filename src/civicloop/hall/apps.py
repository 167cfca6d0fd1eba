from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav, PeriodicTask


class HallConfig(CivicAppConfig):
    name = "civicloop.hall"
    label = "hall"
    verbose_name = pgettext_lazy("admin section", "议事厅")
    api_prefix = "hall/"
    pages_prefix = "hall/"
    field_labels = "civicloop.hall.field_labels.FIELD_LABELS"  # names in validation refusals (core.validation)
    navigation = (Nav("hall:index", _("议事厅"), visible="civicloop.hall.permissions.may_see_hall"),)
    # on a case's page, the vote it came from (the other way: the vote's page links its case)
    record_panels = ("civicloop.hall.home.record_panel",)
    demo_steps = ("civicloop.hall.demo.generate_hall",)  # after plans' and the cases': outcomes go through them
    demo_reset_steps = ("civicloop.hall.demo.delete_hall",)  # before plans' and the cases'
    # votes past their deadline closed and tallied (the result then frozen)
    periodic_tasks = (PeriodicTask("civicloop.hall.tasks.close_due", every=600, env="CIVICLOOP_HALL_CLOSE_EVERY"),)
