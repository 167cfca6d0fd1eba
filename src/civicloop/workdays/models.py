from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An administrator-entered day that overrides the official calendar (a holiday or a swapped workday).

    Needed for years `chinesecalendar` does not know yet (the State Council publishes each year's holidays
    in late autumn) and for local exceptions. The calendar is national, so it is not a tenant table.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("如：春节、国庆节调休"))

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays an administrator has confirmed: deadlines counted over it are no longer provisional.

    Written by `services.calendar_year_confirm` (the computed statutory holidays and the year's entered days are
    right) or `services.calendar_year_load` (the State Council's arrangement, loaded as the year's entered days).
    Years `chinesecalendar` knows need no row."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("确认人"))
    confirmed_at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("已确认年度日历")
        verbose_name_plural = _("已确认年度日历")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
