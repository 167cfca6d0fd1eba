"""civicloop calendar_year <year> [--load FILE | --confirm] [--source TEXT]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError
from civicloop.workdays.calendar import WorkCalendar
from civicloop.workdays.holidays import statutory_holidays
from civicloop.workdays.models import CalendarDay
from civicloop.workdays.services import calendar_year_confirm, calendar_year_load


class Command(BaseCommand):
    help = ("Show a year's holidays (official, or computed from the national rules and provisional); confirm the "
            "year, or load the State Council's arrangement for it (workdays/README.md gives the file format).")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--load", metavar="FILE", help="the year's arrangement: holidays and swapped working days")
        action.add_argument("--confirm", action="store_true", help="confirm the computed holidays as they stand")
        parser.add_argument("--source", default="", help="the notice the arrangement comes from")

    def handle(self, *args, year, load, confirm, source, **options):
        try:
            if load:
                calendar_year_load(actor=None, year=year, text=Path(load).read_text(encoding="utf-8-sig"),
                                   source=source)
            elif confirm:
                calendar_year_confirm(actor=None, year=year, source=source)
        except CivicError as exc:
            raise CommandError(str(exc.message)) from None
        cal = WorkCalendar()
        if cal.is_provisional_year(year):
            self.stdout.write(_("%(year)s年：暂定（按放假办法推算，尚未确认）") % {"year": year})
            for day, name in statutory_holidays(year).items():
                self.stdout.write(f"  {day} {name}")
        else:
            self.stdout.write(_("%(year)s年：已确认") % {"year": year})
        for row in CalendarDay.objects.filter(date__year=year):
            kind = _("班") if row.is_workday else _("休")
            self.stdout.write(f"  {row.date} {kind} {row.name}")
