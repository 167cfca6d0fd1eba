"""Reads that may go to the streaming replica (issue 20; docs/scaling.md, /work/wt/cluster-decision.md).

Configured only when `DATABASE_REPLICA_URL` is set (settings.py adds the `replica` alias, this router and the
middleware); without it nothing here runs and every query goes to `default`, the primary.

Which requests read from the replica: a GET or HEAD whose URL name is in `settings.CIVICLOOP_REPLICA_VIEWS`
("namespace:name" or "namespace:*"): the dashboard, its reports and exports — read-only views whose figures may be a
few seconds old. Everything else reads from the primary: every write, and every read that follows one — the case
page after an action, the inbox. A browser that wrote in the last `CIVICLOOP_REPLICA_PIN_SECONDS` (a cookie set on
the answer to any unsafe request, so it holds across app servers) reads from the primary even on those views, so
the dashboard it opens after closing a case shows the close.

Within a replica request, a read still goes to the primary when it must see this request's own writes: inside a
transaction on the primary, or about an object that came from the primary (Django's `instance` hint).

The replica is used only while it is usable: reachable, and its replay lag (seconds behind the primary's last
transaction it has received; 0 when it has replayed all it received) at most `CIVICLOOP_REPLICA_MAX_LAG`. Each
process measures that at most every `CIVICLOOP_REPLICA_CHECK_SECONDS`; when the replica is down or too far behind,
reads fall back to the primary until a later check finds it usable again.
"""

from __future__ import annotations

import contextvars
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "cl_primary"  # "wrote recently: read from the primary" (its value is the time of the write)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Whatever the view: sessions, login throttling and the task queue are read right after they are written.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_tasks_database", "contenttypes"})

_reads = contextvars.ContextVar("civicloop_reads", default=PRIMARY)


@dataclass(frozen=True)
class ReplicaState:
    """What the last check of the replica found."""

    reachable: bool
    lag_seconds: float | None  # None when unreachable
    checked_at: float  # time.time()
    error: str = ""

    @property
    def usable(self) -> bool:
        return self.reachable and self.lag_seconds is not None and self.lag_seconds <= max_lag()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def max_lag() -> float:
    return float(getattr(settings, "CIVICLOOP_REPLICA_MAX_LAG", 5.0))


LAG_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


def measure(alias: str = REPLICA) -> ReplicaState:
    """Ask the replica how far behind it is (one short query). Unreachable, or no longer a standby (promoted: it is
    a primary now, and this process's `default` is not it) counts as not usable."""
    now = time.time()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except Exception as exc:  # any failure to reach it: fall back to the primary
        connections[alias].close()
        return ReplicaState(False, None, now, error=type(exc).__name__)
    if not in_recovery:
        return ReplicaState(False, None, now, error="not_a_standby")
    return ReplicaState(True, float(lag), now)


class _Probe:
    """The per-process cache of the last measurement (one query every few seconds at most, shared by threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: ReplicaState | None = None

    def state(self) -> ReplicaState:
        every = float(getattr(settings, "CIVICLOOP_REPLICA_CHECK_SECONDS", 2.0))
        current = self._state
        if current is not None and time.time() - current.checked_at < every:
            return current
        with self._lock:
            if self._state is None or time.time() - self._state.checked_at >= every:
                self._state = measure()
            return self._state

    def reset(self) -> None:
        self._state = None

    def mark_down(self, error: str) -> None:
        """A query on the replica just failed: treat it as down until the next check."""
        self._state = ReplicaState(False, None, time.time(), error=error)


probe = _Probe()


def replica_usable() -> bool:
    return replica_configured() and probe.state().usable


class use_replica:
    """Context manager: reads within go to the replica when it is usable (the middleware's switch; commands and
    tasks that only read, e.g. a report build, may use it too)."""

    def __enter__(self):
        self._token = _reads.set(REPLICA)
        return self

    def __exit__(self, *exc):
        _reads.reset(self._token)
        return False


def reads_wanted() -> str:
    return _reads.get()


class ReplicaRouter:
    """DATABASE_ROUTERS entry: writes to the primary; reads to the replica only inside `use_replica`."""

    def db_for_read(self, model, **hints):
        if _reads.get() != REPLICA or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        instance = hints.get("instance")
        if instance is not None and getattr(instance._state, "db", None) == PRIMARY:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:  # this request wrote (or is about to): read its own writes
            return PRIMARY
        return REPLICA if replica_usable() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica follows the primary's schema through replication


def _view_matches(resolver_match, patterns) -> bool:
    if resolver_match is None:
        return False
    name = resolver_match.view_name  # "namespace:name"
    namespace = ":".join(resolver_match.namespaces)
    return name in patterns or f"{namespace}:*" in patterns


class ReplicaReadsMiddleware:
    """Turns `use_replica` on for the listed read-only views (safe methods, no recent write by this browser), and
    marks a browser that has just written so its next reads go to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.patterns = frozenset(getattr(settings, "CIVICLOOP_REPLICA_VIEWS", ()))
        self.pin_seconds = float(getattr(settings, "CIVICLOOP_REPLICA_PIN_SECONDS", 10.0))

    def __call__(self, request):
        token = _reads.set(PRIMARY)  # process_view may switch it for this request; reset whatever happens
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        reads_from = getattr(request, "reads_from", None)
        if reads_from is not None:  # which copy the listed view read (the failure tests and the bench check it)
            response["X-Civicloop-Reads"] = "replica" if reads_from == REPLICA and replica_usable() else "primary"
        if request.method not in SAFE_METHODS and response.status_code < 500:
            response.set_cookie(PIN_COOKIE, str(int(time.time())), max_age=max(1, int(self.pin_seconds)),
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

    def recently_wrote(self, request) -> bool:
        try:
            return time.time() - int(request.COOKIES.get(PIN_COOKIE, "0")) < self.pin_seconds
        except ValueError:
            return False

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Last in MIDDLEWARE, so every other middleware's process_view has run; the switch holds through the view
        # and the rendering of its answer (a streamed body is produced later, after the reset: on the primary).
        if request.method not in SAFE_METHODS or not _view_matches(request.resolver_match, self.patterns):
            return None
        if self.recently_wrote(request):
            request.reads_from = PRIMARY
            return None
        request.reads_from = REPLICA
        request.replica_view = (view_func, view_args, view_kwargs)
        _reads.set(REPLICA)
        return None

    def process_exception(self, request, exception):
        """The replica failed during this read-only view (stopped, restarting): mark it down, so the following
        requests read from the primary at once, and answer this one from the primary too."""
        if getattr(request, "reads_from", None) != REPLICA or not isinstance(exception, (OperationalError,
                                                                                         InterfaceError)):
            return None
        probe.mark_down(type(exception).__name__)
        if REPLICA in settings.DATABASES:
            connections[REPLICA].close()
        request.reads_from = PRIMARY
        _reads.set(PRIMARY)
        view_func, view_args, view_kwargs = request.replica_view
        response = view_func(request, *view_args, **view_kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
