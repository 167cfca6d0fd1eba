"""The cases app's panel on the home page (`CasesConfig.home_panels`, read by core.registry): the person's work.

Everyone with a case in sight gets the inbox sections with their red (超期) and yellow (临期) counts and the
unread notifications; a leader also gets the open, red and yellow counts of all the cases in their sight (the
district's, for a district leader) until the dashboard exists. Everything is read through the selectors, as the
viewer: the counts follow the scope.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string

from civicloop.orgs.constants import Role
from civicloop.orgs.scope import scope_for

from . import selectors
from .constants import TimeState
from .inbox import INBOX_LIMIT, SECTION_LABELS, inbox_for


def open_time_counts_for(actor) -> dict[str, int]:
    """{"open", "red", "yellow"}: the open cases `actor` sees, and how many of them are overdue or near it."""
    qs = selectors.case_list_for(actor, selectors.CaseFilters(open_only=True)).order_by()
    return qs.aggregate(open=Count("pk"), red=Count("pk", filter=Q(time_state=TimeState.RED)),
                        yellow=Count("pk", filter=Q(time_state=TimeState.YELLOW)))


def home_sections(actor) -> tuple[list[dict], int]:
    """The inbox's non-empty sections as {key, label, count, red, yellow, more}, and the unread notifications.

    Red and yellow are counted on the section's first rows, which come red first, then yellow: exact unless the
    section holds more than a page of them (`more`: the counts are "at least")."""
    data = inbox_for(actor)
    unread = data.pop("unread_notifications")
    labels = SECTION_LABELS
    sections = []
    for key, section in data.items():
        if not section["count"]:
            continue
        states = [row.get("time_state") for row in section["cases"]]
        sections.append({"key": key, "label": labels.get(key, key), "count": section["count"],
                         "red": states.count(TimeState.RED), "yellow": states.count(TimeState.YELLOW),
                         "more": len(states) >= INBOX_LIMIT and section["count"] > len(states)})
    return sections, unread


def panel(request) -> str | None:
    actor = request.user
    if not getattr(actor, "pk", None):  # no account behind the request: no work of its own
        return None
    scope = scope_for(actor)
    sections, unread = home_sections(actor)
    district = open_time_counts_for(actor) if scope.has_role(Role.LEADER) else None
    return render_to_string("cases/_home_panel.html", {"sections": sections, "unread": unread, "district": district,
                                                       "recent": selectors.notifications_shown(
                                                           actor, selectors.notifications_for(actor, unread_only=True)[:5])},
                            request=request)


RECORD_CASES = 20
RECORD_FIELDS = {"household": "household_id", "enterprise": "enterprise_id"}  # the records a case names


def record_panel(request, obj) -> str | None:
    """The cases about a household or an enterprise (`CasesConfig.record_panels`), as the viewer may see them: the
    newest first, red and yellow before the rest, masked like every case list."""
    field = RECORD_FIELDS.get(obj._meta.model_name)
    if field is None or not getattr(request.user, "pk", None):
        return None
    qs = selectors.case_list_for(request.user).filter(**{field: obj.pk})
    cases = selectors.cases_shown(request.user, list(qs[:RECORD_CASES]))
    return render_to_string("cases/_record_panel.html", {"cases": cases, "more": len(cases) == RECORD_CASES},
                            request=request)
