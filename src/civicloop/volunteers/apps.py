from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class VolunteersConfig(CivicAppConfig):
    name = "civicloop.volunteers"
    label = "volunteers"
    verbose_name = pgettext_lazy("admin section", "志愿服务")
    api_prefix = "volunteers/"
    pages_prefix = "volunteers/"
    field_labels = "civicloop.volunteers.field_labels.FIELD_LABELS"
    navigation = (Nav("volunteers:board", _("志愿服务"), visible="civicloop.volunteers.permissions.may_see"),)
    home_panels = ("civicloop.volunteers.home.panel",)  # a committee's open needs and today's shifts
    demo_steps = ("civicloop.volunteers.demo.generate_volunteers",)  # after the people records of the demo
    demo_reset_steps = ("civicloop.volunteers.demo.delete_volunteers",)  # before orgs' people are deleted
