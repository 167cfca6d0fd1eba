"""`civicloop restore FILE [--no-input]`: replace the database with a backup made by `civicloop backup`.

The file is checked first (same engine, readable, a civicloop database); a file that is not such a backup is
refused and nothing changes. After restoring an older backup, run `civicloop migrate`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicloop.core import backup


class Command(BaseCommand):
    help = "Restore the database from a backup made by `civicloop backup` (replaces all current data)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a backup written by `civicloop backup`")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help="do not ask for confirmation")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file: Path, interactive: bool, database: str, **options):
        try:
            db = backup.check_restorable(file, alias=database)
            if interactive:
                answer = input(f"This replaces ALL data in the {db.engine} database {db.name} with {file}.\n"
                               "Type 'yes' to continue: ")
                if answer.strip() != "yes":
                    raise CommandError("restore cancelled; nothing was changed")
            backup.restore(file, alias=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"restored the {db.engine} database {db.name} from {file}; "
                                             "run `civicloop migrate` if the backup is older than this version"))
