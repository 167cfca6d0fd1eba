from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig, Nav


class WebConfig(CivicAppConfig):
    name = "civicloop.web"
    label = "web"
    verbose_name = _("界面")
    pages_prefix = ""  # home, login, logout at the root; last in INSTALLED_APPS, so its patterns come last
    navigation = (Nav("web:home", _("首页"), order=0),)
