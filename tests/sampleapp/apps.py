from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig, Nav, PeriodicTask


class SampleConfig(CivicAppConfig):
    name = "tests.sampleapp"
    label = "sampleapp"
    api_prefix = "sample/"
    pages_prefix = "sample/"
    navigation = (Nav("sampleapp:index", _("首页")),
                  Nav("sampleapp:index", _("首页"), visible="tests.sampleapp.permissions.never"))
    demo_steps = ("tests.sampleapp.demo.generate",)
    demo_reset_steps = ("tests.sampleapp.demo.reset",)
    periodic_tasks = (PeriodicTask("tests.sampleapp.tasks.tick", every=60, env="SAMPLE_TICK_EVERY"),)
    import_kinds = ("tests.sampleapp.import_kinds.SampleSpec",)
    field_labels = "tests.sampleapp.api.FIELD_LABELS"
    home_panels = ("tests.sampleapp.home.panel", "tests.sampleapp.home.nothing")
    calendar_listeners = ("tests.sampleapp.tasks.year_official",)
