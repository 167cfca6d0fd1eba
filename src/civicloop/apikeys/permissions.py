"""Who manages API keys: the district's administrators, at district level (a key reaches the whole district)."""

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for


def may_manage_keys(actor, district_id: int | None = None) -> bool:
    """Create, list and revoke the district's keys."""
    scope = scope_for(actor)
    if not scope.has_role(Role.DISTRICT_ADMIN):
        return False
    return scope.is_district_level_for(district_id) if district_id is not None else scope.is_district_level


def may_act_for_key(user, district_id: int) -> bool:
    """A staff account a key may register as: active, of the key's district, with a registering role."""
    from civicloop.cases.permissions import may_register

    return bool(user.is_active and user.district_id == district_id and may_register(user, district_id=district_id))
