"""The objects of other apps a task may be linked to, read through those apps' selectors as the actor: a case
(cases.selectors.cases_visible_to), an adopted citizens' suggestion (a case of appeal type 建议) and a
consultation decision (cases' meetings, `cases.permissions.meetings_visible_q`)."""

from __future__ import annotations

from django.urls import reverse

from .constants import LinkKind


def _cases(actor):
    from civicloop.cases.selectors import cases_visible_to

    return cases_visible_to(actor)


def _decisions(actor):
    from civicloop.cases.models import Decision
    from civicloop.cases.permissions import meetings_visible_q

    return Decision.objects.filter(meetings_visible_q(actor))


def linked_object_visible(actor, kind: str, object_id: int) -> bool:
    if kind == LinkKind.CASE:
        return _cases(actor).filter(pk=object_id).exists()
    if kind == LinkKind.SUGGESTION:
        from civicloop.cases.constants import AppealType

        return _cases(actor).filter(pk=object_id, appeal_type=AppealType.SUGGESTION).exists()
    if kind == LinkKind.CONSULTATION:
        return _decisions(actor).filter(pk=object_id).exists()
    return False


def linked_rows(actor, links) -> list[dict]:
    """Each link as {kind, label, title, url} when the actor may see its object; the others are left out."""
    from civicloop.core.masking import mask_free_text

    by_kind: dict[str, list[int]] = {}
    for link in links:
        by_kind.setdefault(link.kind, []).append(link.object_id)
    found: dict[tuple[str, int], dict] = {}
    case_ids = by_kind.get(LinkKind.CASE, []) + by_kind.get(LinkKind.SUGGESTION, [])
    if case_ids:
        for pk, code, desc in _cases(actor).filter(pk__in=case_ids).values_list("pk", "tracking_code", "description"):
            row = {"title": f"{code} {mask_free_text(desc)[:40]}", "url": reverse("cases:case", args=[code])}
            found[(LinkKind.CASE, pk)] = found[(LinkKind.SUGGESTION, pk)] = row
    if by_kind.get(LinkKind.CONSULTATION):
        for d in _decisions(actor).filter(pk__in=by_kind[LinkKind.CONSULTATION]).select_related("item__meeting"):
            found[(LinkKind.CONSULTATION, d.pk)] = {
                "title": f"{d.item.meeting.title}：{d.measures[:40]}",
                "url": reverse("cases:meeting", args=[d.item.meeting_id])}
    return [{"kind": link.kind, "label": LinkKind(link.kind).label, **found[(link.kind, link.object_id)]}
            for link in links if (link.kind, link.object_id) in found]
