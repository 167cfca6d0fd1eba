"""`civicloop worker`: db_worker without a console line for every routine success, failures still written."""

import logging

from django_tasks_db.compat import TASKS_LOGGER

from civicloop.web.management.commands.worker import Command


def test_default_verbosity_writes_warnings_and_failures_only():
    Command().configure_logging(1)
    assert logging.getLogger(TASKS_LOGGER).level == logging.WARNING
    assert logging.getLogger("django_tasks_db").level == logging.WARNING


def test_verbosity_two_writes_every_task():
    Command().configure_logging(2)
    assert logging.getLogger("django_tasks_db").level == logging.DEBUG
