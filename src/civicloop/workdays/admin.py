from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .calendar import LAST_OFFICIAL_YEAR
from .models import CalendarDay, CalendarYear
from .services import calendar_year_confirm


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    search_fields = ("name",)
    date_hierarchy = "date"


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ("year", "source")

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year <= LAST_OFFICIAL_YEAR:
            raise forms.ValidationError(_("%(year)s年的节假日已有官方安排，无需确认。") % {"year": year})
        return year


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Adding a year confirms it (through the service, which writes the audit row); the State Council's
    arrangement is entered as the year's 日历调整 days first, or loaded with `civicloop calendar_year --load`."""

    list_display = ("year", "source", "confirmed_by", "confirmed_at")
    form = CalendarYearForm

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = calendar_year_confirm(actor=request.user, year=obj.year, source=obj.source).pk
        self.message_user(request, _("%(year)s年的节假日已确认：已算出的期限将按此重算，不再标为暂定。") % {"year": obj.year},
                          messages.SUCCESS)
