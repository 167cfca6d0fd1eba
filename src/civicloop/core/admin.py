from django.contrib import admin

from .models import AuditLog, UnmaskLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the admin shows and never changes: an app's services are their only writers."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppendOnlyAdmin(ReadOnlyAdmin):
    """Read-only: the logs are append-only (`core.models.AppendOnlyModel`); rows past the retention leave
    only through `civicloop log_purge`."""


@admin.register(UnmaskLog)
class UnmaskLogAdmin(AppendOnlyAdmin):
    list_display = ("at", "user", "object_type", "object_id", "fields", "reason_code", "reason")
    list_filter = ("object_type", "reason_code")
    list_select_related = ("user",)
    date_hierarchy = "at"
    readonly_fields = [f.name for f in UnmaskLog._meta.fields]


@admin.register(AuditLog)
class AuditLogAdmin(AppendOnlyAdmin):
    """Written by `core.services.audit_write`."""

    list_display = ("at", "username", "action", "ip", "object_type", "object_id", "district")
    list_filter = ("action",)
    search_fields = ("username", "ip", "object_id")
    date_hierarchy = "at"
    list_select_related = ("district",)
    readonly_fields = [f.name for f in AuditLog._meta.fields]
