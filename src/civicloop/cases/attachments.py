"""The cases app's rule for the files a case came with (civicloop.files, declared in apps.py): whoever may see the
case — the same scope as every other read of it (selectors.cases_visible_to). The portal adds its own rule for the
reporter who proved it is them (portal.permissions)."""

from __future__ import annotations

from .selectors import cases_visible_to


def may_see(request, attachment) -> bool:
    user = request.user
    return bool(user.is_authenticated) and cases_visible_to(user).filter(pk=attachment.owner_id).exists()
