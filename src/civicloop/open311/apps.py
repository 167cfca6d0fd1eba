from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig


class Open311Config(CivicAppConfig):
    name = "civicloop.open311"
    label = "open311"
    demo_reset_steps = ("civicloop.open311.demo.delete_submissions",)  # before cases and keys: submissions point at both
    verbose_name = pgettext_lazy("admin section", "Open311接口")
    pages_prefix = "open311/v2/"  # the spec's endpoints (views.py), JSON and XML — not the ninja API
    input_refusal = "civicloop.open311.formats.input_refusal"  # a NUL or an oversize body: the spec's error list
