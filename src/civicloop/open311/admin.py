from django.contrib import admin

from .models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read only: a submission is written once, with its case, by services.request_submit."""

    list_display = ("case", "api_key", "token", "created_at")
    raw_id_fields = ("case", "api_key")
    readonly_fields = ("case", "api_key", "token", "attributes", "media_url", "created_at", "district")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
