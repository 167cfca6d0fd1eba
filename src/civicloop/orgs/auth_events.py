"""Logins, logouts, failed logins and lockouts into the audit log (core.AuditLog).

These come from Django's auth signals and django-axes' `user_locked_out`, an exception to "no signals" (STYLE
rule 6): the events are raised inside the framework's own views (our login page, the admin's login, logout,
the session timeout), and the signal is the one place every path passes. Receivers only write the audit row.
The password is never recorded: Django hands failure receivers the credentials with the password masked, and
only the login name is taken from them.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from civicloop.core.services import audit_write

from .auth import client_ip
from .constants import AuthEvent
from .models import User


def _ip(request):
    return client_ip(request) if request is not None else None


def on_logged_in(sender, request, user, **kwargs):
    audit_write(action=AuthEvent.LOGIN, user=user, ip=_ip(request))


def on_logged_out(sender, request, user, **kwargs):
    if user is None:  # logging out while signed out
        return
    reason = getattr(request, "civicloop_logout_reason", "user")
    audit_write(action=AuthEvent.LOGOUT, user=user, ip=_ip(request), details={"reason": reason})


def _account(username: str) -> User | None:
    return User.objects.filter(username=username).only("id", "username", "district_id").first() if username else None


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    locked = bool(getattr(request, "civicloop_login_refused", False))
    audit_write(action=AuthEvent.LOGIN_FAILED, user=_account(username), username=username, ip=_ip(request),
                details={"locked": locked})


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    # axes signals on every attempt while locked; the lockout is the failure that reached the limit, when the
    # request was not already refused (those are "login_failed" rows with locked=true).
    if request is None or getattr(request, "civicloop_login_refused", False):
        return
    failures = getattr(request, "axes_failures_since_start", None)
    username = str(username or "")[:150]
    audit_write(action=AuthEvent.LOGIN_LOCKED, user=_account(username), username=username, ip=_ip(request),
                details={"failures": failures})


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="civicloop.audit.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="civicloop.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="civicloop.audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="civicloop.audit.locked_out")
