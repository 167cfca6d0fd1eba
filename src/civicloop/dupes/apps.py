from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig


class DupesConfig(CivicAppConfig):
    name = "civicloop.dupes"
    label = "dupes"
    verbose_name = pgettext_lazy("admin section", "重复工单")
    api_prefix = "dupes/"
    pages_prefix = "dupes/"
    # on a case's page: the open cases it likely duplicates, with a one-click merge (core.registry)
    record_panels = ("civicloop.dupes.home.record_panel",)
    demo_steps = ("civicloop.dupes.demo.generate_clusters",)  # after the cases: open clusters to find
