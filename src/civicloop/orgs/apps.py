from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig


class OrgsConfig(CivicAppConfig):
    name = "civicloop.orgs"
    label = "orgs"
    verbose_name = _("组织与人员")
    field_labels = "civicloop.orgs.field_labels.FIELD_LABELS"  # how validation refusals name the fields
    api_prefix = "orgs/"

    def ready(self):
        from . import auth_events, sessions

        auth_events.connect()
        sessions.connect()
