from django.contrib import admin

from .models import Alarm, Device, Metric, Rule


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "device_kind", "normal_min", "normal_max")


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "place", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    raw_id_fields = ("place", "street", "community", "household", "district")


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("name", "metric", "kind", "active", "district")
    list_filter = ("kind", "active")


@admin.register(Alarm)
class AlarmAdmin(admin.ModelAdmin):
    """Read-only: alarms change through the rules' evaluation and the services (acknowledge, escalate)."""

    list_display = ("rule", "device", "severity", "count", "last_at", "cleared_at", "acknowledged_at", "case")
    list_filter = ("severity",)
    readonly_fields = [f.name for f in Alarm._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
