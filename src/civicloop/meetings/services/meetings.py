"""Meetings and their packs: create (the pack is built at once), build again while planned, hold, close, and
agenda items added by hand."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.orgs.models import User
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from .. import pack
from ..constants import ItemSource, MeetingAuditAction, MeetingState
from ..error_codes import MeetingErrorCode
from ..models import AgendaItem, Meeting
from ..permissions import items_may_add, may_close, may_hold, may_keep, pack_may_build
from ._common import audit, meeting_for_write, text_required


@transaction.atomic
def meeting_create(*, actor, title: str, date: dt.date, street_id: int | None = None,
                   chair_id: int | None = None, now: dt.datetime | None = None) -> Meeting:
    """A planned meeting of the actor's district (or one of its streets), its pack built at once (`now`: the moment
    the cases' time state is read at, default now — the demo builds last month's packs as of their day)."""
    scope = scope_for(actor)
    district_id = scope.district_id
    street = None
    if street_id is not None:
        street = Place.objects.filter(pk=street_id, level=PlaceLevel.STREET).first()
        if street is None or (district_id is not None and street.district_id != district_id):
            raise CivicError(MeetingErrorCode.SCOPE_INVALID)
        district_id = street.district_id
    if district_id is None or not may_keep(actor, district_id, street_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    chair = None
    if chair_id is not None:
        chair = User.objects.filter(pk=chair_id, is_active=True, district_id=district_id).first()
        if chair is None:
            raise CivicError(MeetingErrorCode.SCOPE_INVALID, _("主持人应为本区的工作人员。"))
    meeting = Meeting.objects.create(district_id=district_id, street=street, title=text_required(title, _("会议名称")),
                                     date=date, chair=chair, created_by=actor)
    audit(actor, MeetingAuditAction.CREATE, meeting, street=street_id, date=date.isoformat())
    _build(actor, meeting, now=now)
    return meeting


@transaction.atomic
def meeting_pack_build(*, actor, meeting_id: int, now: dt.datetime | None = None) -> Meeting:
    """Build the pack again (while planned): the sources' items as they stand now; items added by hand stay."""
    meeting = meeting_for_write(actor, meeting_id, state_ok=pack_may_build)
    _build(actor, meeting, now=now)
    return meeting


def _build(actor, meeting: Meeting, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    snapshots, more, previous = pack.build(actor, meeting, now=now)
    meeting.items.exclude(source=ItemSource.OTHER).delete()
    by_hand = list(meeting.items.order_by("position", "pk"))
    AgendaItem.objects.bulk_create([
        AgendaItem(district_id=meeting.district_id, meeting=meeting, position=n, source=s.source, ref_id=s.ref_id,
                   title=s.title, status=s.status, status_kind=s.status_kind, due=s.due, unit_name=s.unit_name[:100],
                   url=s.url[:200], detail=s.detail)
        for n, s in enumerate(snapshots, start=1)])
    for n, item in enumerate(by_hand, start=len(snapshots) + 1):  # by hand: after the sources, in their order
        if item.position != n:
            item.position = n
            item.save(update_fields=["position"])
    meeting.previous = previous
    meeting.pack_built_at = now
    meeting.pack_more = more
    meeting.save(update_fields=["previous", "pack_built_at", "pack_more"])
    counts: dict[str, int] = {}
    for s in snapshots:
        counts[s.source] = counts.get(s.source, 0) + 1
    audit(actor, MeetingAuditAction.PACK_BUILD, meeting, items=counts, more=more,
          previous=previous.pk if previous else None)


@transaction.atomic
def meeting_hold(*, actor, meeting_id: int, at: dt.datetime | None = None) -> Meeting:
    """The meeting took place: its pack is frozen; minutes and decisions may be recorded."""
    meeting = meeting_for_write(actor, meeting_id, state_ok=may_hold)
    meeting.state, meeting.held_at = MeetingState.HELD, at or timezone.now()
    meeting.save(update_fields=["state", "held_at"])
    audit(actor, MeetingAuditAction.HOLD, meeting)
    return meeting


@transaction.atomic
def meeting_close(*, actor, meeting_id: int, at: dt.datetime | None = None) -> Meeting:
    """The minutes are final: nothing of the meeting changes any more (its decisions' outcomes go on)."""
    meeting = meeting_for_write(actor, meeting_id, state_ok=may_close)
    meeting.state, meeting.closed_at = MeetingState.CLOSED, at or timezone.now()
    meeting.save(update_fields=["state", "closed_at"])
    audit(actor, MeetingAuditAction.CLOSE, meeting)
    return meeting


@transaction.atomic
def item_add(*, actor, meeting_id: int, title: str) -> AgendaItem:
    """An agenda item by hand (其他议题), planned or held."""
    meeting = meeting_for_write(actor, meeting_id, state_ok=items_may_add)
    last = meeting.items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(district_id=meeting.district_id, meeting=meeting, position=last + 1,
                                     source=ItemSource.OTHER, title=text_required(title, _("议题")))
    audit(actor, MeetingAuditAction.ITEM_ADD, item, meeting=meeting.pk)
    return item
