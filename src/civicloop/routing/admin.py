from django.contrib import admin

from civicloop.core.admin import ReadOnlyAdmin

from .models import RoutingModel, Suggestion


@admin.register(RoutingModel)
class RoutingModelAdmin(ReadOnlyAdmin):
    list_display = ("district", "version", "fitted_at", "cases", "seconds")
    exclude = ("blob",)


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ("case", "model_version", "shown_at", "used_at")
    raw_id_fields = ("case",)
