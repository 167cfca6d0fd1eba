"""`civicloop serve [--port P] [--workers N]`: the whole application in one command.

collectstatic (WhiteNoise serves the result), then gunicorn (threads), the django-tasks `db_worker` and
`civicloop scheduler` (enqueues periodic tasks such as overdue supervision), all children of this process;
Ctrl-C or SIGTERM stops them all, and if one dies the others are stopped too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ..stop import StopFlag


class Command(BaseCommand):
    help = "Run the web server (gunicorn) and the task worker (db_worker) together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT, help="port on 127.0.0.1 (default: PORT or 8000)")
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (each has 4 threads)")
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker and scheduler")

    def handle(self, *args, port: int, host: str, workers: int, threads: int, no_worker: bool, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "civicloop.settings"),
               # what a process may spend on batch intake is a share of its threads (core.capacity)
               "CIVICLOOP_WEB_THREADS": str(threads)}
        web_cmd = [
            sys.executable, "-m", "gunicorn", "civicloop.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread", "--access-logfile", "-", "--graceful-timeout", "10",
            # phone and ID numbers in request lines (searches) masked in the access log
            "--logger-class", "civicloop.core.log_masking.GunicornLogger",
        ]
        worker_cmd = [sys.executable, "-m", "civicloop", "worker"]  # db_worker, quiet about routine successes
        scheduler_cmd = [sys.executable, "-m", "civicloop", "scheduler"]
        children = [subprocess.Popen(web_cmd, env=env)]
        if not no_worker:
            children.append(subprocess.Popen(worker_cmd, env=env))
            children.append(subprocess.Popen(scheduler_cmd, env=env))
        self.stdout.write(self.style.SUCCESS(f"civicloop: http://{host}:{port}/  (Ctrl-C to stop)"))

        stop = StopFlag()
        try:
            while not stop.stopping and all(c.poll() is None for c in children):
                time.sleep(0.3)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
        failed = [c.args[2] if c.args[1] == "-m" else c.args[0] for c in children if c.returncode not in (0, -15, None)]
        if failed and not stop.stopping:
            self.stderr.write(f"civicloop serve: {', '.join(failed)} stopped unexpectedly")
            sys.exit(1)
