"""Sessions: the store and the time limits.

`SessionStore`: Django's database session store, reading the session with one statement compiled once
(decision 30): every request of a signed-in user loads its session, and the ORM's compile of that lookup cost
more than the lookup itself. Writing, expiry and clearing are Django's own.

`SessionTimeoutMiddleware`: signs a user out after `SESSION_IDLE_SECONDS` without a request (idle) and
`SESSION_COOKIE_AGE` after login (absolute), whatever they do in between. Both times live in the session. The
last activity is written at most once every `TOUCH_EVERY` seconds: each write is a database UPDATE of the
session row, and a request that changes nothing in the session writes nothing.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED = "_civicloop_started"  # when the user logged in (seconds since the epoch)
SEEN = "_civicloop_seen"  # the last activity recorded (at most TOUCH_EVERY seconds old while active)
TOUCH_EVERY = 60


class SessionStore(DbSessionStore):
    def load(self):
        if not self.session_key:
            return {}
        connection = connections["default"]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                           [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])


def now() -> float:
    """The clock of the session limits (tests shift it)."""
    return time.time()


def session_start(session) -> None:
    """Start the clocks of a new login. The stored session and its cookie end at the absolute limit too, so
    neither outlives it even when the middleware never sees the session again."""
    t = now()
    session[STARTED] = session[SEEN] = t
    session.set_expiry(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))


def _on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_start(request.session)


def connect() -> None:
    # The framework's login signal is the one place both login pages (ours, the admin's) pass.
    user_logged_in.connect(_on_logged_in, dispatch_uid="civicloop.sessions.start")


class SessionTimeoutMiddleware:
    """After SessionMiddleware, AuthenticationMiddleware and MessageMiddleware. A session past a limit is
    signed out before the view runs, so the view sees an anonymous visitor: pages send them to the login page
    (with a message saying why), the API answers 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(SESSION_KEY) is not None:
            t = now()
            started, seen = session.get(STARTED), session.get(SEEN)
            if started is None or seen is None:
                session_start(session)  # signed in before these limits existed: count from now
            elif t - started > settings.SESSION_COOKIE_AGE:
                self._end(request, "expired", _("登录已超过最长时限，请重新登录。"))
            elif t - seen > settings.SESSION_IDLE_SECONDS:
                self._end(request, "idle", _("长时间未操作，已自动退出登录，请重新登录。"))
            elif t - seen >= TOUCH_EVERY:
                session[SEEN] = t
        return self.get_response(request)

    @staticmethod
    def _end(request, reason: str, message: str) -> None:
        request.civicloop_logout_reason = reason  # for the audit row (orgs.auth_events)
        logout(request)
        if not request.path_info.startswith("/api/"):
            messages.info(request, message)
