"""`civicloop backup FILE [--force]`: the whole database into one file (core/backup.py; docs/operations.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from civicloop.core import backup


class Command(BaseCommand):
    help = "Back up the database: pg_dump custom format on PostgreSQL, the online backup API on SQLite."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="where to write the backup")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file: Path, force: bool, database: str, **options):
        try:
            db = backup.backup(file, alias=database, overwrite=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"backup of the {db.engine} database written to {file} "
                                             f"({file.stat().st_size:,} bytes)"))
