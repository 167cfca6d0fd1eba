"""Volunteers in the admin: read only — members, needs, sign-ups and the hours ledger change through the services
alone (a correction is a ledger row and an audit row)."""

from django.contrib import admin

from civicloop.core.admin import ReadOnlyAdmin

from .models import HoursEntry, Member, MemberYearHours, RecognitionRule, ServiceNeed, SignUp


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ("id", "community", "kind", "unit", "active")
    list_filter = ("kind", "active")


@admin.register(ServiceNeed)
class ServiceNeedAdmin(ReadOnlyAdmin):
    list_display = ("title", "community", "category", "starts_at", "slots", "taken", "state")
    list_filter = ("category", "state")


@admin.register(SignUp)
class SignUpAdmin(ReadOnlyAdmin):
    list_display = ("need", "member", "state", "check_in_at", "check_out_at", "hours")
    list_filter = ("state",)


@admin.register(HoursEntry)
class HoursEntryAdmin(ReadOnlyAdmin):
    list_display = ("day", "member", "unit", "kind", "hours")
    list_filter = ("kind",)


@admin.register(MemberYearHours)
class MemberYearHoursAdmin(ReadOnlyAdmin):
    list_display = ("year", "member", "community", "unit", "hours")
    list_filter = ("year",)


@admin.register(RecognitionRule)
class RecognitionRuleAdmin(ReadOnlyAdmin):
    list_display = ("name", "street", "kind", "top_n", "min_hours", "active")
