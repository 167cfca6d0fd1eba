"""The hall's panel on a case's page (`HallConfig.record_panels`): the vote the case came from, so cases link to
the hall without importing it. Read through the selectors, as the viewer."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors


def record_panel(request, obj) -> str | None:
    if obj._meta.model_name != "case" or not getattr(request.user, "pk", None):
        return None
    vote = selectors.vote_of_case(request.user, obj)
    if vote is None:
        return None
    return render_to_string("hall/_case_panel.html", {"vote": vote}, request=request)
