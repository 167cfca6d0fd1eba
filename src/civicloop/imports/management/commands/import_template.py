"""civicloop import_template <kind> [-o file.xlsx]"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from civicloop.imports.kinds import KINDS
from civicloop.imports.workbook import template_build


class Command(BaseCommand):
    help = "Write the import template (header row + one example row) of a kind as .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("-o", "--output", help="file to write (default: civicloop-<kind>.xlsx)")

    def handle(self, *args, kind, output, **options):
        path = Path(output or f"civicloop-{kind}.xlsx")
        path.write_bytes(template_build(kind=kind))
        self.stdout.write(_("模板已写入 %(path)s") % {"path": path})
