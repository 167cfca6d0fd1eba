"""The authentication backend: Django's ModelBackend, loading the signed-in user with the unit and the unit's
district and territory in one query — the facts `scope.scope_for` needs on every request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class Backend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("unit__district", "unit__territory").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
