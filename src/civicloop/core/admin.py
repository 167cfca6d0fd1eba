from django.contrib import admin

from .models import UnmaskLog


@admin.register(UnmaskLog)
class UnmaskLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "object_type", "object_id", "fields")
    list_filter = ("object_type",)
    readonly_fields = [f.name for f in UnmaskLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
