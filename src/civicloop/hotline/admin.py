from django.contrib import admin

from .models import CategoryMapping, WorkOrder


@admin.register(CategoryMapping)
class CategoryMappingAdmin(admin.ModelAdmin):
    list_display = ("hotline_category", "category", "district")
    search_fields = ("hotline_category",)
    raw_id_fields = ("category",)


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = ("work_order_no", "received_at", "hotline_category", "urgency", "deadline", "case")
    search_fields = ("work_order_no",)
    raw_id_fields = ("case",)
