"""Who may read the dashboard: anyone whose figures have a scope (`metrics.metric_scope_for`) — district-level
staff and leaders (the district), street and committee staff (their territory), department staff (the cases their
unit leads). Nobody writes through the dashboard: its tables are kept by the refresh (services.py)."""

from __future__ import annotations

from .metrics import metric_scope_for


def may_read(actor) -> bool:
    return getattr(actor, "pk", None) is not None and metric_scope_for(actor) is not None


def may_see_disputes(scope) -> bool:
    """Jurisdiction disputes (who returned which cases) are read by territories: a department no longer sees the
    cases it returned (cases.permissions), so it could not open the list behind the figure."""
    from .constants import ScopeKind

    return scope.kind != ScopeKind.DEPARTMENT
