from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class MeetingsConfig(CivicAppConfig):
    name = "civicloop.meetings"
    label = "meetings"
    verbose_name = pgettext_lazy("admin section", "工作例会")
    api_prefix = "meetings/"
    pages_prefix = "meetings/"
    field_labels = "civicloop.meetings.field_labels.FIELD_LABELS"  # names in validation refusals (core.validation)
    navigation = (Nav("meetings:list", _("工作例会"), visible="civicloop.meetings.permissions.may_see_meetings"),)
    demo_steps = ("civicloop.meetings.demo.generate_meetings",)  # after plans': decisions become plan tasks
    demo_reset_steps = ("civicloop.meetings.demo.delete_meetings",)  # before plans' and the cases'
