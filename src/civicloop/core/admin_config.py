"""Django's admin app with the project's site (`core.admin_site.CivicAdminSite`: every admin change audited)."""

from django.contrib.admin.apps import AdminConfig


class CivicAdminConfig(AdminConfig):
    default_site = "civicloop.core.admin_site.CivicAdminSite"
