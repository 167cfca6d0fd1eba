"""Meetings in the admin: read only — a meeting, its pack and its decisions change through the services alone (a
decision's task or case is made with it)."""

from django.contrib import admin

from .models import AgendaItem, Decision, Meeting


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("date", "title", "street", "state")
    list_filter = ("state",)


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnly):
    list_display = ("meeting", "position", "source", "title")
    list_filter = ("source",)


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ("meeting", "kind", "text", "task_id", "case")
    list_filter = ("kind",)
