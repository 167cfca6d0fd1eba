"""`civicloop log_purge [--dry-run]`: remove unmask-log and audit-log rows older than the retention.

The one way rows leave the append-only logs (`core.services.log_purge`); run it by hand or from cron. The
retention is `CIVICLOOP_LOG_RETENTION_DAYS` (at least 180 days). It writes an audit row with the counts.
"""

from django.core.management.base import BaseCommand

from civicloop.core.services import log_purge


class Command(BaseCommand):
    help = "Delete unmask-log and audit-log rows older than CIVICLOOP_LOG_RETENTION_DAYS (at least 180)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count the rows that would go; delete nothing")

    def handle(self, *args, dry_run=False, **options):
        result = log_purge(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {result['unmask_log']} unmask-log and {result['audit_log']} audit-log rows "
                          f"older than {result['cutoff']}")
