from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "civicloop.orgs"
    label = "orgs"
    verbose_name = _("组织与人员")

    def ready(self):
        from . import auth_events, sessions

        auth_events.connect()
        sessions.connect()
