"""Portal reports in the admin: read only (the case is the cases app's; the secret's digest is never shown)."""

from django.contrib import admin

from .models import PortalReport


@admin.register(PortalReport)
class PortalReportAdmin(admin.ModelAdmin):
    list_display = ("case", "created_at")
    fields = ("case", "created_at")
    readonly_fields = ("case", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
