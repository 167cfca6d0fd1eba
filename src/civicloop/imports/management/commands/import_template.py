"""civicloop import_template <kind> -o file.xlsx   (or: civicloop import_template <kind> > file.xlsx)"""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from civicloop.imports.kinds import KINDS
from civicloop.imports.workbook import template_build


class Command(BaseCommand):
    help = ("Write the import template (header row + one example row) of a kind as .xlsx: to the file given with "
            "-o; without -o, to standard output when it is redirected or piped, else to civicloop-<kind>.xlsx.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("-o", "--output", help="file to write ('-' for standard output)")

    def handle(self, *args, kind, output, **options):
        data = template_build(kind=kind)
        to_stdout = output == "-" or (output is None and not self.stdout.isatty())
        if to_stdout:
            # the workbook's bytes, not text: `> f.xlsx` and `| …` get a real .xlsx
            self.stdout.flush()
            self.stdout.buffer.write(data)
            self.stdout.buffer.flush()
            return
        path = Path(output or f"civicloop-{kind}.xlsx")
        path.write_bytes(data)
        self.stdout.write(_("模板已写入 %(path)s") % {"path": path})
