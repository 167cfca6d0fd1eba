"""Who may see which households and enterprises, and which of their tags (least privilege on personal data).

Key-group tags (elderly living alone, disabled, 低保, hardship …) are sensitive personal information (PIPL art. 28),
and access is limited to what each role needs (art. 51):

- territorial staff (district-wide units, street offices, committees, grid workers) see the households and
  enterprises of their territory with all their tags (`orgs.scope.Scope.territorial_q`);
- department staff (`Scope.sees_people_by_duty`) see a household or enterprise of their district only
  - through the cases their unit leads or co-handles (the apps' `handled_links`, e.g. `cases.permissions.handled_ids`), or
  - where their unit's duty covers one of its tags (`orgs.Unit.duty_tags`, set by an administrator: civil
    affairs ↔ 低保 / hardship / disabled / elderly alone),
  and of its tags only those their duty covers — so nobody lists or filters by a tag they may not see.

Selectors apply these (places.selectors); a row outside them is *not found*, like a missing one.
"""

from __future__ import annotations

from django.db.models import Q

from civicloop.core.registry import handled_links
from civicloop.orgs.scope import Scope


def _duty_tag_ids(scope: Scope):
    """The tags the unit's duty covers, as a subquery (an administrator may change them at any time)."""
    from civicloop.orgs.models import Unit

    return Unit.duty_tags.through.objects.filter(unit_id=scope.unit_id).values("tag_id")


def people_visible_q(scope: Scope, model) -> Q:
    """Q over `model` (Household or Enterprise, with district/street/community columns) for the rows `scope` sees."""
    if not scope.sees_people_by_duty:
        return scope.territorial_q()
    if scope.unit_id is None or scope.district_id is None:
        return Q(pk__in=[])
    tagged = model.tags.through.objects.filter(tag_id__in=_duty_tag_ids(scope)).values(
        f"{model._meta.model_name}_id")
    reach = Q(pk__in=tagged)
    for ids in handled_links(model, scope.unit_id):
        reach |= Q(pk__in=ids)
    return Q(district_id=scope.district_id) & reach


def tags_visible_q(scope: Scope) -> Q:
    """Q over Tag for the tags `scope` may see on the households and enterprises it sees (and filter them by)."""
    if not scope.sees_people_by_duty:
        return Q()
    if scope.unit_id is None:
        return Q(pk__in=[])
    return Q(pk__in=_duty_tag_ids(scope))
