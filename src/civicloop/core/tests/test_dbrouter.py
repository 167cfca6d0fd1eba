"""The replica read router (issue 20, core.dbrouter): which reads may go to the replica, and the fallbacks.

Runs on SQLite: the replica's state is given, not measured (the cluster's failure test measures it for real)."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from civicloop.cases.models import Case
from civicloop.core import dbrouter
from civicloop.core.dbrouter import (
    PRIMARY,
    REPLICA,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    ReplicaState,
    use_replica,
)
from civicloop.web.management.commands.scheduler import enqueue_due


@pytest.fixture
def replica(monkeypatch, settings):
    """A configured replica whose measured lag the test sets (`replica.lag = …`, `replica.reachable = …`)."""
    settings.CIVICLOOP_REPLICA_MAX_LAG = 5.0

    class Given:
        lag: float | None = 0.0
        reachable = True
        measured = 0

    given = Given()

    def measure(alias=REPLICA):
        given.measured += 1
        return ReplicaState(given.reachable, given.lag if given.reachable else None, time.time())

    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouter, "measure", measure)
    dbrouter.probe.reset()
    settings.CIVICLOOP_REPLICA_CHECK_SECONDS = 0.0  # measured on every read, unless a test says otherwise
    yield given
    dbrouter.probe.reset()


def test_reads_go_to_the_primary_unless_asked(replica):
    assert ReplicaRouter().db_for_read(Case) == PRIMARY
    with use_replica():
        assert ReplicaRouter().db_for_read(Case) == REPLICA
    assert ReplicaRouter().db_for_read(Case) == PRIMARY


def test_a_lagging_or_unreachable_replica_falls_back_to_the_primary(replica):
    router = ReplicaRouter()
    with use_replica():
        replica.lag = 4.9
        assert router.db_for_read(Case) == REPLICA
        replica.lag = 5.1
        assert router.db_for_read(Case) == PRIMARY
        replica.lag, replica.reachable = 0.0, False
        assert router.db_for_read(Case) == PRIMARY
        replica.reachable = True
        assert router.db_for_read(Case) == REPLICA


def test_sessions_and_objects_from_the_primary_stay_on_the_primary(replica):
    router = ReplicaRouter()
    case = Case()
    case._state.db = PRIMARY
    with use_replica():
        assert router.db_for_read(Session) == PRIMARY  # the session was just written by the login
        assert router.db_for_read(Case, instance=case) == PRIMARY
        case._state.db = REPLICA
        assert router.db_for_read(Case, instance=case) == REPLICA


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_on_the_primary_see_its_writes(replica):
    router = ReplicaRouter()
    with use_replica():
        with transaction.atomic():
            assert router.db_for_read(Case) == PRIMARY
        assert router.db_for_read(Case) == REPLICA


def test_writes_and_migrations_only_on_the_primary(replica):
    router = ReplicaRouter()
    with use_replica():
        assert router.db_for_write(Case) == PRIMARY
    assert router.allow_migrate(PRIMARY, "cases") is True
    assert router.allow_migrate(REPLICA, "cases") is False


def test_the_replica_is_measured_at_most_every_check_interval(replica, settings):
    settings.CIVICLOOP_REPLICA_CHECK_SECONDS = 60.0
    with use_replica():
        for _ in range(5):
            ReplicaRouter().db_for_read(Case)
    assert replica.measured == 1


def _middleware(view_reads: list, settings, pin_seconds=10.0):
    settings.CIVICLOOP_REPLICA_VIEWS = ["dashboard:*", "api:overview"]
    settings.CIVICLOOP_REPLICA_PIN_SECONDS = pin_seconds

    def view(request):
        view_reads.append(dbrouter.reads_wanted())
        return HttpResponse("ok")

    def handler(request):  # what Django's handler does between the middleware's __call__ and process_view
        request.resolver_match = resolve(request.path)
        return middleware.process_view(request, view, (), {}) or view(request)

    middleware = ReplicaReadsMiddleware(handler)
    return middleware


def test_listed_views_read_from_the_replica_others_from_the_primary(replica, settings):
    reads: list = []
    middleware = _middleware(reads, settings)
    response = middleware(RequestFactory().get("/dashboard/"))
    assert reads == [REPLICA] and response["X-Civicloop-Reads"] == "replica"
    middleware(RequestFactory().get("/cases/"))  # the inbox: read right after writes
    assert reads[-1] == PRIMARY
    middleware(RequestFactory().post("/dashboard/"))  # not a safe method
    assert reads[-1] == PRIMARY
    assert dbrouter.reads_wanted() == PRIMARY  # reset after each request


def test_a_browser_that_just_wrote_reads_from_the_primary(replica, settings):
    reads: list = []
    middleware = _middleware(reads, settings)
    response = middleware(RequestFactory().post("/cases/"))
    pin = response.cookies[dbrouter.PIN_COOKIE].value
    request = RequestFactory().get("/dashboard/")
    request.COOKIES[dbrouter.PIN_COOKIE] = pin
    response = middleware(request)
    assert reads[-1] == PRIMARY and response["X-Civicloop-Reads"] == "primary"
    request = RequestFactory().get("/dashboard/")
    request.COOKIES[dbrouter.PIN_COOKIE] = str(int(time.time()) - 11)  # older than the pin
    middleware(request)
    assert reads[-1] == REPLICA
    request = RequestFactory().get("/dashboard/")
    request.COOKIES[dbrouter.PIN_COOKIE] = "not-a-number"
    middleware(request)
    assert reads[-1] == REPLICA


def test_a_replica_failing_mid_view_is_answered_from_the_primary(replica, settings):
    settings.CIVICLOOP_REPLICA_VIEWS = ["dashboard:*"]
    settings.CIVICLOOP_REPLICA_CHECK_SECONDS = 60.0
    reads: list = []

    def view(request):
        reads.append(dbrouter.reads_wanted())
        if dbrouter.reads_wanted() == REPLICA:
            raise OperationalError("connection refused")
        return HttpResponse("from the primary")

    def handler(request):
        request.resolver_match = resolve(request.path)
        middleware.process_view(request, view, (), {})
        try:
            return view(request)
        except OperationalError as exc:
            return middleware.process_exception(request, exc)

    middleware = ReplicaReadsMiddleware(handler)
    response = middleware(RequestFactory().get("/dashboard/"))
    assert response.content == b"from the primary" and reads == [REPLICA, PRIMARY]
    assert response["X-Civicloop-Reads"] == "primary"
    assert dbrouter.probe.state().usable is False  # the next requests go to the primary without trying
    with use_replica():
        assert ReplicaRouter().db_for_read(Case) == PRIMARY


def test_an_error_not_of_the_database_is_left_to_the_other_middleware(replica, settings):
    middleware = _middleware([], settings)
    request = RequestFactory().get("/dashboard/")
    request.reads_from = REPLICA
    assert middleware.process_exception(request, ValueError("x")) is None


def test_two_schedulers_enqueue_each_run_once(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "scheduler-test"}}  # one cache both schedulers share, as Redis

    class Task:
        runs = 0

        def enqueue(self):
            Task.runs += 1

    tasks = [(f"test.task.{time.time()}", Task(), 60)]
    first, second = {}, {}
    wall = 6_000_000.0
    for step in range(10):  # ten minutes, both schedulers waking every 60 s, 7 s apart
        enqueue_due(tasks, first, step * 60.0, wall + step * 60.0)
        enqueue_due(tasks, second, step * 60.0 + 7, wall + step * 60.0 + 7)
    assert Task.runs == 10


@pytest.mark.django_db
def test_healthz_answers_for_the_load_balancer(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}


@pytest.mark.django_db
def test_the_admin_replication_page_says_when_no_replica_is_configured(client):
    from civicloop.testing import make_user

    client.force_login(make_user("root", None, superuser=True))
    response = client.get("/admin/replication/")
    assert response.status_code == 200 and "未配置只读副本" in response.content.decode()


@pytest.mark.django_db
def test_the_admin_replication_page_shows_the_measured_lag(client, replica):
    from civicloop.testing import make_user

    replica.lag = 1.25
    client.force_login(make_user("root", None, superuser=True))
    html = client.get("/admin/replication/").content.decode()
    assert "1.25" in html and "副本" in html


@pytest.mark.django_db
def test_the_admin_replication_page_is_for_staff_only(client):
    from civicloop.testing import make_user

    client.force_login(make_user("someone", None))
    assert client.get("/admin/replication/").status_code == 302  # to the admin's login
