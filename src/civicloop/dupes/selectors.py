"""Every read of the dupes app takes the viewer: the open cases a case (or a draft being registered) likely
duplicates, as the viewer may see them — the index proposes, the database disposes (`cases_visible_to`: a case out
of the viewer's sight is never suggested, nor one closed since the index last looked)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from civicloop.cases.constants import FINAL_STATES, Action
from civicloop.cases.models import Case
from civicloop.cases.preconditions import can
from civicloop.cases.selectors import case_get_for, cases_shown, cases_visible_to
from civicloop.core.errors import not_found
from civicloop.orgs.scope import scope_for

from . import constants as k
from . import index
from .entries import make_entry
from .scoring import Match


@dataclass
class Suggestion:
    case: Case  # masked as a list shows it (cases_shown)
    match: Match
    reason: str
    may_merge_here: bool = False  # the viewer may fold it into the case being looked at (cases.preconditions.can)


def _shown(actor, matches: list[Match], *, into: Case | None = None) -> list[Suggestion]:
    if not matches:
        return []
    ids = [m.case_id for m in matches]
    rows = {c.pk: c for c in cases_visible_to(actor).filter(pk__in=ids).exclude(state__in=FINAL_STATES)}
    if into is not None:
        rows = {pk: c for pk, c in rows.items() if c.district_id == into.district_id}
    kept = [m for m in matches if m.case_id in rows][:k.MAX_SUGGESTIONS]
    shown = {c.pk: c for c in cases_shown(actor, [rows[m.case_id] for m in kept])}
    return [Suggestion(case=shown[m.case_id], match=m, reason=m.reason(),
                       may_merge_here=into is not None and into.state not in FINAL_STATES
                       and can(actor, rows[m.case_id], Action.MERGE))
            for m in kept]


def duplicates_of_case(actor, case_id_or_code: int | str) -> tuple[Case, list[Suggestion]]:
    """The case (visible to `actor`, else NOT_FOUND) and the open cases it likely duplicates — never itself."""
    case = case_get_for(actor, case_id_or_code)
    if case.state in FINAL_STATES:
        return case, []
    idx = index.INDEX.district(case.district_id)
    entry = idx.entries.get(case.pk)
    if entry is None:  # registered an instant ago in a transaction the index has not seen yet
        entry = idx.entry({f: getattr(case, "pk" if f == "pk" else f) for f in index.CASE_FIELDS})
    return case, _shown(actor, idx.matches(entry), into=case)


def duplicates_of_draft(actor, *, description: str, place_code: str = "", category_id: int | None = None,
                        address: str = "") -> list[Suggestion]:
    """Before saving: the open cases the text being registered at `place_code` (a community, compound or building
    the viewer sees; else NOT_FOUND) likely duplicates, in the viewer's sight."""
    from civicloop.places.constants import PlaceLevel

    scope = scope_for(actor)
    place = index.place_ref(place_code) if place_code else None
    if place_code and (place is None or not scope.covers_place(place)):  # as places.selectors.place_get_for
        raise not_found()
    district_id = place.district_id if place is not None else scope.district_id
    if place is not None and place.level == PlaceLevel.DISTRICT:
        district_id = place.pk
    if district_id is None:
        raise not_found()
    idx = index.INDEX.district(district_id)
    community_id = None
    if place is not None:
        community_id = place.pk if place.level == PlaceLevel.COMMUNITY else place.community_id
    compound, building, number = idx.places.where(place.pk if place is not None else None)
    entry = make_entry(case_id=None, district_id=district_id, community_id=community_id, compound_id=compound,
                       building_id=building, building_number=number,
                       compounds=idx.places.names.get(community_id, {}), category_id=category_id,
                       created_at=timezone.now(), description=description, address=address)
    return _shown(actor, idx.matches(entry))
