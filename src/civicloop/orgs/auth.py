"""The authentication backend: Django's ModelBackend, loading the signed-in user with the unit and the unit's
district and territory in one query — the facts `scope.scope_for` needs on every request (and no more: the
places' outlines and names stay in the database)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User

_PLACE_FACTS = ("level", "path", "street_id")
_UNIT_FACTS = ("district_id", "territory_id", "kind", "active", "code", "name")


def _fields() -> list[str]:
    fields = [f.name for f in User._meta.concrete_fields]
    fields += [f"unit__{f}" for f in _UNIT_FACTS]
    for rel in ("district", "territory"):
        fields += [f"unit__{rel}__{f}" for f in _PLACE_FACTS]
    return fields


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = (User._default_manager.select_related("unit__district", "unit__territory").only(*_fields())
                .filter(pk=user_id).first())
        return user if user is not None and self.user_can_authenticate(user) else None
