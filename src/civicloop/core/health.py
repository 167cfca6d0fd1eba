"""`/healthz` — what HAProxy asks every app server every two seconds (issue 20), and the replication page of the
admin site (`/admin/replication/`, staff only): the replica's lag and where the listed read-only views read now."""

from __future__ import annotations

import time

from django.db import connections
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import dbrouter


def healthz(request):
    """200 when this process can reach the primary (one `SELECT 1`), else 503: HAProxy then sends no request here.
    No session, no template, no personal data: cheap enough to be asked every two seconds."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        connections["default"].close()
        return JsonResponse({"ok": False, "primary": type(exc).__name__}, status=503)
    return JsonResponse({"ok": True})


def replication_summary() -> dict:
    """The replica's state as this process measures it now (for the admin page and `civicloop cluster status`)."""
    if not dbrouter.replica_configured():
        return {"configured": False}
    state = dbrouter.measure()
    return {"configured": True, "reachable": state.reachable, "lag_seconds": state.lag_seconds,
            "max_lag_seconds": dbrouter.max_lag(), "usable": state.usable, "error": state.error,
            "reads_from": dbrouter.REPLICA if state.usable else dbrouter.PRIMARY,
            "measured_at": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(state.checked_at))}


def replication_page(request, admin_site):
    summary = replication_summary()
    context = {**admin_site.each_context(request), "title": _("数据库复制"), "summary": summary}
    return TemplateResponse(request, "admin/replication.html", context)
