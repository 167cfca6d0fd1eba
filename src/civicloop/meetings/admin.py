"""Meetings in the admin: read only — a meeting, its pack and its decisions change through the services alone (a
decision's task or case is made with it)."""

from django.contrib import admin

from civicloop.core.admin import ReadOnlyAdmin

from .models import AgendaItem, Decision, Meeting


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("date", "title", "street", "state")
    list_filter = ("state",)


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "position", "source", "title")
    list_filter = ("source",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "kind", "text", "task_id", "case")
    list_filter = ("kind",)
