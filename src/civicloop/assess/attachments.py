"""The assessment's rule for the photos taken with an inspection finding (civicloop.files, declared in apps.py):
whoever may see the finding — the same scope as every other read of it (selectors.findings_for: the district's
assessment staff, the street's or community's staff where it was found, the round's members)."""

from __future__ import annotations

from .selectors import findings_for


def may_see(request, attachment) -> bool:
    user = request.user
    return bool(user.is_authenticated) and findings_for(user).filter(pk=attachment.owner_id).exists()
