"""The project's admin site: every change made in the Django admin is also an AuditLog row.

Django writes its `LogEntry` from `ModelAdmin.log_addition` / `log_change` / `log_deletions`, inside the
admin's own transaction; `AuditedAdminMixin` adds the audit row beside it (`core.services.audit_write`), so the
two commit or roll back together. `CivicAdminSite.register` mixes it into every ModelAdmin registered — ours,
Django's (groups) and the libraries' (axes' access attempts: deleting one is an unlock) — so a new app's
admin is audited without remembering to. The site replaces Django's default one through `CivicAdminConfig`
(`core/admin_config.py`, in `INSTALLED_APPS` instead of `django.contrib.admin`).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .constants import AuditAction
from .services import audit_write


def _message(message):
    return message if isinstance(message, list | str) else str(message)


class AuditedAdminMixin:
    """Mirror the admin's LogEntry into AuditLog: who, what (model, id, its name), the change message (the
    names of the fields changed, never their values), from which address."""

    def _audit(self, request, obj, action: str, message="") -> None:
        from civicloop.orgs.auth import client_ip  # the address the login audit uses (PROXY_COUNT aware)

        audit_write(action=action, user=request.user, object_type=obj._meta.label_lower, object_id=obj.pk,
                    ip=client_ip(request), details={"repr": str(obj)[:200], "message": _message(message)})

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, AuditAction.ADMIN_ADD, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, obj, AuditAction.ADMIN_CHANGE, message)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, obj, AuditAction.ADMIN_DELETE)
        return entries


class CivicAdminSite(admin.AdminSite):
    site_header = _("民情闭环 civicloop 管理")
    site_title = _("民情闭环 civicloop 管理")
    index_title = _("民情闭环 civicloop 管理")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(admin_class.__name__, (AuditedAdminMixin, admin_class),
                               {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__})
        return super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        from django.urls import path

        from .health import replication_page  # the replica's lag (issue 20)

        view = self.admin_view(lambda request: replication_page(request, self))
        return [path("replication/", view, name="replication"), *super().get_urls()]
