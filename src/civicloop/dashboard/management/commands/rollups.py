"""`civicloop rollups [--rebuild]`: fold the new case events into the dashboard's rollups now (or all of them)."""

from django.core.management.base import BaseCommand

from civicloop.dashboard.services import rollups_rebuild, rollups_refresh


class Command(BaseCommand):
    help = "Fold the case events not yet read into the dashboard's facts and rollups (--rebuild: all of them)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="drop the rollups and read the whole event log")

    def handle(self, *args, rebuild=False, **options):
        read = rollups_rebuild() if rebuild else rollups_refresh()
        self.stdout.write(f"{read} events read")
