"""What a fit learns from: the district's closed cases, newest first, as `learn.Example`s. A system read (the refit
task and the demo, never a request): the model knows no person and no case, only which words, places and channels
went to which category and unit."""

from __future__ import annotations

from civicloop.cases.constants import CaseState
from civicloop.cases.models import Case
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit

from .learn import Example, unit_label


def place_units(district_id: int) -> tuple[dict[int, int], dict[int, int]]:
    """{street place id: its street office's unit id}, {community place id: its committee's unit id}."""
    offices, committees = {}, {}
    for pk, kind, territory in (Unit.objects.filter(district_id=district_id, active=True, territory__isnull=False,
                                                    kind__in=(UnitKind.STREET_OFFICE, UnitKind.COMMITTEE))
                                .order_by("pk").values_list("pk", "kind", "territory_id")):
        (offices if kind == UnitKind.STREET_OFFICE else committees).setdefault(territory, pk)
    return offices, committees


def closed_examples(district_id: int, limit: int) -> list[Example]:
    """The newest `limit` closed cases of the district that have a category and a lead unit, newest first."""
    offices, committees = place_units(district_id)
    rows = (Case.objects.filter(district_id=district_id, state=CaseState.CLOSED, category__isnull=False,
                                lead_unit__isnull=False)
            .order_by("-closed_at", "-pk")
            .values_list("description", "channel", "street_id", "community_id", "category_id", "lead_unit_id")[:limit])
    return [Example(text=text, channel=channel, street_id=street, community_id=community, category_id=category,
                    unit=unit_label(lead, office_id=offices.get(street), committee_id=committees.get(community)))
            for text, channel, street, community, category, lead in rows.iterator(chunk_size=5000)]
