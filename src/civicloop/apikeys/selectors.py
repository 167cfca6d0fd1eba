"""Reads of API keys: every read takes the acting user (district administrators see their district's keys)."""

from __future__ import annotations

from django.db.models import QuerySet

from civicloop.core.errors import not_found
from civicloop.orgs.scope import scope_for

from .models import ApiKey
from .permissions import may_manage_keys


def api_keys_for(actor) -> QuerySet:
    """The keys the actor manages, newest first (none for anyone else)."""
    if not may_manage_keys(actor):
        return ApiKey.objects.none()
    qs = ApiKey.objects.select_related("acting_user", "created_by", "revoked_by")
    return scope_for(actor).filter_district(qs)


def api_key_get_for(actor, pk: int) -> ApiKey:
    row = api_keys_for(actor).filter(pk=pk).first()
    if row is None:
        raise not_found()
    return row


def acting_user_choices(actor) -> list:
    """The staff a new key may register as: the actor's district's registrars (the rule: permissions)."""
    from civicloop.cases.permissions import REGISTRAR_ROLES
    from civicloop.orgs.models import User

    if actor.district_id is None:
        return []
    return list(User.objects.filter(district_id=actor.district_id, is_active=True,
                                    role_rows__role__in=REGISTRAR_ROLES).distinct().order_by("username")[:500])
