"""Topics, their moderated discussion, and residents' meetings (agenda, attendance, minutes)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode
from civicloop.places.models import Household

from ..constants import HallAuditAction, HallMeetingState, TopicOrigin, TopicState
from ..error_codes import HallErrorCode
from ..models import Attendance, HallMeeting, Post, Topic
from ..permissions import may_keep, meeting_may_close, meeting_may_hold, topic_open
from ._common import area_for, audit, community_of, for_write, text_required

MAX_ATTENDANCE = 5000


@transaction.atomic
def topic_create(*, actor, place_id: int, title: str, body: str = "", origin: str = TopicOrigin.COMMITTEE,
                proposer: str = "", at: dt.datetime | None = None) -> Topic:
    """A topic about a place of the committee's community (residents' topics are keyed in by the committee:
    `origin` "residents", `proposer` who raised it)."""
    place = area_for(actor, place_id)
    community_id = community_of(place)
    if not may_keep(actor, community_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if origin not in TopicOrigin.values:
        raise CivicError(ErrorCode.INVALID)
    topic = Topic.objects.create(
        district_id=place.district_id, street_id=place.street_id, community_id=community_id, place=place,
        title=text_required(title, _("议题")), body=(body or "").strip(), origin=origin,
        proposer=(proposer or "").strip(), opened_by=actor, opened_at=at or timezone.now())
    audit(actor, HallAuditAction.TOPIC_OPEN, topic, place=place.pk, origin=origin)
    return topic


@transaction.atomic
def topic_close(*, actor, topic_id: int, at: dt.datetime | None = None) -> Topic:
    topic = for_write(actor, Topic, topic_id, state_ok=topic_open)
    topic.state, topic.closed_at = TopicState.CLOSED, at or timezone.now()
    topic.save(update_fields=["state", "closed_at"])
    audit(actor, HallAuditAction.TOPIC_CLOSE, topic)
    return topic


@transaction.atomic
def post_add(*, actor, topic_id: int, body: str, speaker: str = "", at: dt.datetime | None = None) -> Post:
    """A contribution to an open topic's discussion, keyed in by the committee (`speaker`: who said it)."""
    topic = for_write(actor, Topic, topic_id, state_ok=topic_open)
    post = Post.objects.create(district_id=topic.district_id, street_id=topic.street_id,
                               community_id=topic.community_id, topic=topic, speaker=(speaker or "").strip(),
                               body=text_required(body, _("发言内容")), author=actor, created_at=at or timezone.now())
    audit(actor, HallAuditAction.POST, post, topic=topic.pk)
    return post


@transaction.atomic
def post_hide(*, actor, post_id: int, reason: str, at: dt.datetime | None = None) -> Post:
    """Moderation: the post is hidden from the discussion, with the reason (kept, and logged)."""
    post = for_write(actor, Post, post_id)
    if post.hidden:
        raise CivicError(HallErrorCode.STATE)
    post.hidden, post.hidden_reason = True, text_required(reason, _("隐藏理由"))[:200]
    post.hidden_by, post.hidden_at = actor, at or timezone.now()
    post.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    audit(actor, HallAuditAction.POST_HIDE, post, topic=post.topic_id, reason=post.hidden_reason)
    return post


@transaction.atomic
def meeting_plan(*, actor, topic_id: int, title: str, date: dt.date, agenda: str, location: str = "") -> HallMeeting:
    """A residents' meeting on an open topic, with its agenda."""
    topic = for_write(actor, Topic, topic_id, state_ok=topic_open)
    meeting = HallMeeting.objects.create(
        district_id=topic.district_id, street_id=topic.street_id, community_id=topic.community_id, topic=topic,
        title=text_required(title, _("会议名称")), date=date, location=(location or "").strip(),
        agenda=text_required(agenda, _("会议议程")), created_by=actor)
    audit(actor, HallAuditAction.MEETING_PLAN, meeting, topic=topic.pk, date=date.isoformat())
    return meeting


@transaction.atomic
def meeting_hold(*, actor, meeting_id: int, minutes: str, household_ids=(), attendees_other: int = 0,
                 at: dt.datetime | None = None) -> HallMeeting:
    """The meeting took place: the households present (each of the community, else NOT_ELIGIBLE) and the minutes."""
    meeting = for_write(actor, HallMeeting, meeting_id, state_ok=meeting_may_hold)
    ids = sorted(set(household_ids or ()))
    if len(ids) > MAX_ATTENDANCE:
        raise CivicError(ErrorCode.INVALID)
    found = set(Household.objects.filter(pk__in=ids, community_id=meeting.community_id).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise CivicError(HallErrorCode.NOT_ELIGIBLE)
    Attendance.objects.bulk_create([Attendance(district_id=meeting.district_id, meeting=meeting, household_id=h)
                                    for h in ids])
    meeting.minutes = text_required(minutes, _("会议纪要"))
    meeting.attendees_other = attendees_other
    meeting.state, meeting.held_at = HallMeetingState.HELD, at or timezone.now()
    meeting.save(update_fields=["minutes", "attendees_other", "state", "held_at"])
    audit(actor, HallAuditAction.MEETING_HOLD, meeting, households=len(ids), others=attendees_other)
    return meeting


@transaction.atomic
def meeting_close(*, actor, meeting_id: int) -> HallMeeting:
    """The minutes are final."""
    meeting = for_write(actor, HallMeeting, meeting_id, state_ok=meeting_may_close)
    meeting.state = HallMeetingState.CLOSED
    meeting.save(update_fields=["state"])
    audit(actor, HallAuditAction.MEETING_CLOSE, meeting)
    return meeting
