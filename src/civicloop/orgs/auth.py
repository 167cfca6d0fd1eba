"""The authentication backends and the client's address.

`Backend`: Django's ModelBackend, loading the signed-in user with everything `scope.scope_for` needs on every
request — the unit, the unit's district and territory, the roles — in one statement compiled once (decision 30;
the places' outlines and names stay in the database).

`LoginThrottle`: django-axes' check, listed before `Backend` in AUTHENTICATION_BACKENDS: a locked account or
address is refused before any password is compared. It only checks — it never authenticates — so the session
keeps naming `Backend`, whose one-statement load serves every later request.

`client_ip`: the one place that says which address a request came from (axes counts failures by it; the audit
log records it).
"""

from __future__ import annotations

import ipaddress
from functools import cache

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connections

from civicloop.core.sql import Columns
from civicloop.places.models import Place

from .models import Unit, User, UserRole

_USER = Columns(User, None, "u")
_UNIT = Columns(Unit, ("district_id", "territory_id", "kind", "active", "code", "name"), "un")
_DISTRICT = Columns(Place, ("level", "path", "street_id"), "d")
_TERRITORY = Columns(Place, ("level", "path", "street_id"), "t")
_PARTS = (_USER, _UNIT, _DISTRICT, _TERRITORY)


@cache
def _sql(vendor: str, alias: str) -> str:
    connection = connections[alias]
    qn = connection.ops.quote_name
    agg = "string_agg(r.role, ',')" if vendor == "postgresql" else "group_concat(r.role, ',')"
    return (
        f"SELECT {', '.join(part.select(connection) for part in _PARTS)}, "
        f"(SELECT {agg} FROM {qn(UserRole._meta.db_table)} r WHERE r.user_id = u.id) "
        f"FROM {qn(User._meta.db_table)} u "
        f"LEFT JOIN {qn(Unit._meta.db_table)} un ON un.id = u.unit_id "
        f"LEFT JOIN {qn(Place._meta.db_table)} d ON d.id = un.district_id "
        f"LEFT JOIN {qn(Place._meta.db_table)} t ON t.id = un.territory_id "
        f"WHERE u.id = %s"
    )


def load_user(user_id) -> User | None:
    """The user with unit (+ district, territory) cached on it and `roles` filled; None if there is none."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, connection.alias), [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    parts, start = [], 0
    for part in _PARTS:
        parts.append(part.build(connection, row[start:start + len(part.fields)]))
        start += len(part.fields)
    user, unit, district, territory = parts
    if unit is not None:
        Unit.district.field.set_cached_value(unit, district)
        Unit.territory.field.set_cached_value(unit, territory)
    User.unit.field.set_cached_value(user, unit)
    user.__dict__["roles"] = frozenset(row[-1].split(",")) if row[-1] else frozenset()
    return user


class Backend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = load_user(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None


class LoginThrottle(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # A login through a page always carries its request (Django's LoginView, the admin's). Without one the
        # caller is code, not a visitor — the test client's `login()`, a shell — and there is no address to
        # count: axes would refuse with an error; we let the next backend decide.
        if request is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except PermissionDenied:
            request.civicloop_login_refused = True  # locked before this attempt (the audit row says so)
            raise


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or — behind `settings.PROXY_COUNT` trusted reverse proxies — the
    address the outermost of them saw, read from the right of X-Forwarded-For (entries further left are the
    client's own claims and may be forged). None when it is not an IP address."""
    meta = getattr(request, "META", None) or {}
    address = meta.get("REMOTE_ADDR")
    proxies = settings.PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None
