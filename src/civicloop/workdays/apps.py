from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig


class WorkdaysConfig(CivicAppConfig):
    name = "civicloop.workdays"
    label = "workdays"
    verbose_name = _("工作日历")
