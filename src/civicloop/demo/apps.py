from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig


class DemoConfig(CivicAppConfig):
    # The demo's own steps are demo/steps.py; other apps add theirs with `demo_steps` on their AppConfig.
    name = "civicloop.demo"
    label = "demo"
    verbose_name = _("演示数据")
