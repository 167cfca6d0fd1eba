"""`civicloop worker` — django-tasks-db's `db_worker`, quiet about tasks that succeed.

`civicloop serve` runs it beside gunicorn. At the default verbosity `db_worker` writes two lines for every task it
runs; with the periodic write-ahead-log checkpoint every 30 s that buried the console in routine lines. Here a
task's start and success are written only from verbosity 2; failures and warnings always.
"""

import logging

from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DbWorker


class Command(DbWorker):
    help = "Run the task worker (db_worker), logging failures and warnings but not routine successes."

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            logging.getLogger(TASKS_LOGGER).setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
