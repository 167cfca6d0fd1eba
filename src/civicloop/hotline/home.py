"""The hotline app's panel on a case's page (`HotlineConfig.record_panels`): the 12345 work order the case came as —
its number, when the hotline received it, the hotline's category, urgency and deadline as last imported."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import WorkOrder


def record_panel(request, obj) -> str | None:
    if obj._meta.model_name != "case" or not getattr(request.user, "pk", None):
        return None
    order = WorkOrder.objects.filter(case_id=obj.pk).first()  # the case page checked the viewer's sight of it
    if order is None:
        return None
    return render_to_string("hotline/_record_panel.html", {"order": order}, request=request)
