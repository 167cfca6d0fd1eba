from django.contrib import admin

from .models import Case, CaseEvent, Category, Meeting, Notification, Supervision


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "limit_normal", "limit_urgent", "limit_critical", "default_lead", "active")
    list_filter = ("active", "parent")
    search_fields = ("code", "name")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cases change only through services (events!): the admin is for looking."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "state", "channel", "category", "lead_unit", "deadline", "created_at")
    list_filter = ("state", "channel", "urgency", "layer")
    search_fields = ("tracking_code", "external_id")
    exclude = ("reporter_phone", "reporter_id_number")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("case", "seq", "action", "actor", "actor_unit", "at")
    list_filter = ("action",)


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "opened_at", "replied_at")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "title", "body", "state")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "unit", "user", "kind", "text", "read_at")
