"""The assessment in the admin: read only. Sets freeze and runs publish through the services (their rules and
audit rows); an edit here would bypass both."""

from django.contrib import admin

from civicloop.core.admin import ReadOnlyAdmin

from .models import EvaluationRun, Finding, Indicator, IndicatorSet, InspectionRound, Score, UnitResult


@admin.register(IndicatorSet)
class IndicatorSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "version", "unit_group", "frozen_at", "district")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "indicator_set", "kind", "rule", "weight")
    list_filter = ("kind", "rule")


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "indicator_set", "start", "end", "state", "computed_at", "published_at")
    list_filter = ("state",)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("run", "unit", "indicator", "value", "points")


@admin.register(UnitResult)
class UnitResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "unit", "total", "rank", "medal")


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "start", "end", "state", "district")


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ("found_on", "street", "severity", "indicator_code", "case")
    list_filter = ("severity",)
