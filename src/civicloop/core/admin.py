from django.contrib import admin

from .models import AuditLog, UnmaskLog


@admin.register(UnmaskLog)
class UnmaskLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "object_type", "object_id", "fields")
    list_filter = ("object_type",)
    readonly_fields = [f.name for f in UnmaskLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only (written by `core.services.audit_write`)."""

    list_display = ("at", "username", "action", "ip", "object_type", "object_id", "district")
    list_filter = ("action",)
    search_fields = ("username", "ip", "object_id")
    date_hierarchy = "at"
    list_select_related = ("district",)
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
