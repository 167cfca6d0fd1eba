"""Who may see what of the staff directory."""

from __future__ import annotations

from .constants import Role
from .scope import Scope


def can_see_login_names(scope: Scope) -> bool:
    """Colleagues' login names are half of a login: only administrators (who manage accounts) see them;
    everybody else knows a colleague by name, unit and role (issue 21)."""
    return scope.has_role(Role.DISTRICT_ADMIN)
