"""The authentication backend: Django's ModelBackend, loading the signed-in user with everything
`scope.scope_for` needs on every request — the unit, the unit's district and territory, the roles — in one
statement compiled once (decision 30; the places' outlines and names stay in the database)."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.backends import ModelBackend
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
