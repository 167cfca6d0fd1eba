"""What every hall service does first: the row, locked, in the actor's sight and theirs to keep."""

from __future__ import annotations

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_object, text_required  # noqa: F401 (text_required: imported from here by the services)
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from ..error_codes import HallErrorCode
from ..permissions import hall_visible_q, may_keep

AREA_LEVELS = (PlaceLevel.COMMUNITY, PlaceLevel.COMPOUND, PlaceLevel.BUILDING)


def for_write(actor, model, pk: int, *, state_ok=None, keep=True):
    """`model`'s row `pk`, locked: NOT_FOUND if missing or not in the actor's halls (ids cannot be probed),
    FORBIDDEN if they may read but not keep it, HALL_STATE if `state_ok(row)` says no."""
    row = model.objects.select_for_update().filter(hall_visible_q(actor), pk=pk).first()
    if row is None:
        raise not_found()
    if keep and not may_keep(actor, row.community_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if state_ok is not None and not state_ok(row):
        raise CivicError(HallErrorCode.STATE)
    return row


def area_for(actor, place_id: int, *, community_id: int | None = None) -> Place:
    """A place a hall row may concern: a community, or a compound or building of one, in the actor's sight (else
    NOT_FOUND) and, given `community_id`, in that community (else AREA)."""
    place = Place.objects.filter(pk=place_id).defer("boundary").first()
    scope = scope_for(actor)
    if place is None or scope.is_department or not scope.covers_place(place):
        raise not_found()
    if place.level not in AREA_LEVELS:
        raise CivicError(HallErrorCode.AREA)
    own = place.pk if place.level == PlaceLevel.COMMUNITY else place.community_id
    if community_id is not None and own != community_id:
        raise CivicError(HallErrorCode.AREA)
    return place


def community_of(place: Place) -> int:
    return place.pk if place.level == PlaceLevel.COMMUNITY else place.community_id


def audit(actor, action: str, obj, **details) -> None:
    audit_object(actor, action, obj, **details)
