from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig


class PortalConfig(CivicAppConfig):
    name = "civicloop.portal"
    label = "portal"
    demo_reset_steps = ("civicloop.portal.demo.delete_reports",)  # before the cases: reports point at them
    verbose_name = pgettext_lazy("admin section", "市民上报")
    pages_prefix = "portal/"  # no login: the public's pages (urls.py)
    # the reporter who proved it is them sees the photos they sent (civicloop.files; staff: the cases app's rule)
    attachment_owners = {"cases.case": "civicloop.portal.permissions.reporter_sees_attachment"}
