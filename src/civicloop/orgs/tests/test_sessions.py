"""Session limits (issue 21): signed out after the idle time and after the absolute lifetime, the last activity
written at most once a minute. The middleware's clock (`sessions.now`) is shifted; the stored session is not."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicloop.core.models import AuditLog
from civicloop.orgs import sessions
from civicloop.orgs.constants import AuthEvent
from civicloop.testing import PASSWORD


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        t = 1_800_000_000.0

        def shift(self, seconds):
            self.t += seconds

    c = Clock()
    monkeypatch.setattr(sessions, "now", lambda: c.t)
    return c


@pytest.fixture
def signed_in(client, world, clock):
    response = client.post("/login/", {"username": world.street_dispatcher.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def session_writes(queries) -> int:
    return sum(1 for q in queries if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")))


def test_login_starts_both_clocks_and_the_stored_session_ends_at_the_absolute_limit(signed_in, clock, settings):
    data = signed_in.session
    assert data[sessions.STARTED] == data[sessions.SEEN] == clock.t
    row = Session.objects.get(pk=signed_in.session.session_key)
    age = (row.expire_date - data.get_expiry_date()).total_seconds()
    assert abs(age) < 2 and signed_in.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


def test_activity_is_written_at_most_once_a_minute(signed_in, clock):
    home = reverse("web:home")
    clock.shift(30)
    with CaptureQueriesContext(connection) as q:
        assert signed_in.get(home).status_code == 200
    assert session_writes(q.captured_queries) == 0
    clock.shift(31)
    with CaptureQueriesContext(connection) as q:
        assert signed_in.get(home).status_code == 200
    assert session_writes(q.captured_queries) == 1
    assert signed_in.session[sessions.SEEN] == clock.t


def test_idle_for_longer_than_the_limit_signs_out_with_a_message(signed_in, clock, world):
    home = reverse("web:home")
    clock.shift(29 * 60)
    assert signed_in.get(home).status_code == 200  # 29 minutes: still in (and the activity recorded)
    clock.shift(29 * 60)
    assert signed_in.get(home).status_code == 200
    clock.shift(30 * 60 + 1)
    response = signed_in.get(home, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("web:login"))
    assert "长时间未操作，已自动退出登录" in response.content.decode()
    assert "_auth_user_id" not in signed_in.session
    row = AuditLog.objects.filter(action=AuthEvent.LOGOUT).get()
    assert row.user_id == world.street_dispatcher.pk and row.details == {"reason": "idle"}


def test_the_api_answers_401_after_the_idle_limit(signed_in, clock):
    assert signed_in.get("/api/orgs/units").status_code == 200
    clock.shift(31 * 60)
    response = signed_in.get("/api/orgs/units")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_the_absolute_limit_holds_however_active(signed_in, clock, settings):
    home = reverse("web:home")
    for _ in range(12 * 3 - 1):  # a request every 20 minutes for 11 h 40 min
        clock.shift(20 * 60)
        assert signed_in.get(home).status_code == 200
    clock.shift(20 * 60 + 1)
    response = signed_in.get(home, follow=True)
    assert "登录已超过最长时限" in response.content.decode() and "_auth_user_id" not in signed_in.session
    assert AuditLog.objects.filter(action=AuthEvent.LOGOUT).get().details == {"reason": "expired"}


def test_limits_come_from_settings(signed_in, clock, settings):
    settings.SESSION_IDLE_SECONDS = 120
    clock.shift(121)
    assert signed_in.get(reverse("web:home")).status_code == 302


def test_a_session_from_before_the_limits_starts_counting(client, world, clock):
    client.force_login(world.leader)  # force_login sends user_logged_in too; drop the stamps to mimic an old session
    session = client.session
    del session[sessions.STARTED], session[sessions.SEEN]
    session.save()
    assert client.get(reverse("web:home")).status_code == 200
    assert client.session[sessions.STARTED] == clock.t
