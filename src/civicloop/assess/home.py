"""What the assessment shows on other apps' pages (core.registry): on a case's page, the inspection finding it
was registered for."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors


def record_panel(request, obj) -> str | None:
    if obj._meta.model_name != "case" or not getattr(request.user, "pk", None):
        return None
    finding = selectors.finding_of_case(request.user, obj)
    if finding is None:
        return None
    return render_to_string("assess/_case_panel.html", {"finding": finding}, request=request)  # no free text
