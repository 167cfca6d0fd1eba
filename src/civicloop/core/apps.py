from django.utils.translation import gettext_lazy as _

from .registry import CivicAppConfig, PeriodicTask, load_error_codes


class CoreConfig(CivicAppConfig):
    name = "civicloop.core"
    label = "core"
    verbose_name = _("基础")
    # SQLite: cut the write-ahead log back regularly, or bulk intake grows it without bound (docs/decisions.md,
    # "SQLite under bulk intake").
    periodic_tasks = (PeriodicTask("civicloop.core.tasks.wal_checkpoint", every=30,
                                   env="CIVICLOOP_WAL_CHECKPOINT_EVERY"),
                      PeriodicTask("civicloop.core.tasks.rate_counts_purge", every=3600,
                                   env="CIVICLOOP_RATE_PURGE_EVERY"))

    def ready(self):
        load_error_codes()
