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
