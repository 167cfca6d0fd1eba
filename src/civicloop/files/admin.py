"""Attachments in the admin: read only (files come and go with their owner's services)."""

from django.contrib import admin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "owner_kind", "owner_id", "size", "metadata_kept", "created_at")
    list_filter = ("kind", "owner_kind")
    readonly_fields = [f.name for f in Attachment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
