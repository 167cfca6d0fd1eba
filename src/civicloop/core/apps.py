from django.utils.translation import gettext_lazy as _

from .registry import CivicAppConfig, load_error_codes


class CoreConfig(CivicAppConfig):
    name = "civicloop.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        load_error_codes()
