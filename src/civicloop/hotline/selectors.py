"""The hotline app's reads — every one takes the acting user and answers within the 12345 desk's district.

- `desk_district_id(actor)`: the district the actor runs the exchange for (FORBIDDEN for anyone else);
- `mappings_for(actor)`: the district's category mapping;
- `replies_since(actor, cursor, limit)` (and `replies_since_for_key`, the same for the platform's API key): the replies feed — replies to hotline cases, in the order of their ids
  (increasing, never reused), after `cursor`, only once `FEED_LAG_SECONDS` old (a reply whose transaction commits
  after a later one is not skipped); the answer's `next_cursor` is the last id served, so asking again with it
  resumes, and asking again with the same cursor answers the same replies;
- `replies_in(actor, start, end)`: the same rows for replies given on the days `start`–`end` (the export).
A row says what the hotline needs to call the citizen back: the work-order number, the result (the resolution
or the direct answer in force when the reply was given), the reply, when, and the rating recorded after it.
Free text is masked for a viewer without the right to the reporter's data (`cases.permissions.may_unmask`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from civicloop.cases.constants import Action, Channel, Satisfaction
from civicloop.cases.models import Case, CaseEvent, Rating, Reply
from civicloop.cases.permissions import may_unmask
from civicloop.cases.selectors import cases_visible_to
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.masking import mask_free_text
from civicloop.orgs.scope import scope_for
from civicloop.workdays.calendar import SHANGHAI

from .constants import FEED_LAG_SECONDS
from .models import CategoryMapping
from .permissions import may_exchange


def desk_district_id(actor) -> int | None:
    """The district `actor` runs the 12345 exchange for; None for a superuser without a unit (every district)."""
    if not may_exchange(actor):
        raise CivicError(ErrorCode.FORBIDDEN)
    return scope_for(actor).district_id


def mappings_for(actor) -> QuerySet:
    district_id = desk_district_id(actor)
    qs = CategoryMapping.objects.select_related("category", "category__parent")
    return qs if district_id is None else qs.filter(district_id=district_id)


def _hotline_replies(actor) -> QuerySet:
    desk_district_id(actor)
    return _replies_of(cases_visible_to(actor))


def _replies_of(cases: QuerySet) -> QuerySet:
    """The replies to the hotline cases among `cases`."""
    return Reply.objects.filter(case_id__in=cases.filter(channel=Channel.HOTLINE_12345).values("pk")).select_related(
        "case")


@dataclass(frozen=True)
class ReplyRow:
    cursor: int  # the reply's id: the feed's order
    work_order_no: str
    tracking_code: str
    result: str
    reply: str
    unreachable: bool
    channel: str
    replied_at: dt.datetime
    satisfaction: str  # the rating recorded after this reply ("" none yet)


def _rows(actor, replies: list[Reply]) -> list[ReplyRow]:
    """The rows of `replies` (cases loaded), in two more queries: the results and ratings of their cases. Free
    text in clear where `actor` may unmask the case (None: a key of the desk, never)."""
    case_ids = {r.case_id for r in replies}
    results: dict[int, list] = {}
    for case_id, at, note in CaseEvent.objects.filter(
            case_id__in=case_ids, action__in=(Action.RESOLVE, Action.ANSWER)).order_by("seq").values_list(
            "case_id", "at", "note"):
        results.setdefault(case_id, []).append((at, note))
    ratings: dict[int, list] = {}
    for case_id, at, value in Rating.objects.filter(case_id__in=case_ids).order_by("at", "pk").values_list(
            "case_id", "at", "value"):
        ratings.setdefault(case_id, []).append((at, value))
    rows = []
    for r in replies:
        result = next((note for at, note in reversed(results.get(r.case_id, [])) if at <= r.at), "")
        rating = next((value for at, value in ratings.get(r.case_id, []) if at >= r.at), "")
        shown = actor is not None and may_unmask(actor, r.case)
        rows.append(ReplyRow(
            cursor=r.pk, work_order_no=r.case.external_id, tracking_code=r.case.tracking_code,
            result=result if shown else mask_free_text(result), reply=r.content if shown else mask_free_text(r.content),
            unreachable=r.unreachable, channel=r.channel, replied_at=r.at, satisfaction=rating))
    return rows


def replies_since(actor, cursor: int = 0, limit: int = 100, *, now: dt.datetime | None = None) -> dict:
    """{"items": [ReplyRow …], "next_cursor": int}: up to `limit` replies after `cursor`, oldest id first."""
    return _page(actor, _hotline_replies(actor), cursor, limit, now)


def replies_since_for_key(key, cursor: int = 0, limit: int = 100, *, now: dt.datetime | None = None) -> dict:
    """The same feed for the 12345 platform's API key (scope `hotline`, checked by `apikeys.auth.KeyAuth`): a key
    with an acting staff account reads as that account (its scope, the desk's rule, its right to unmask) within
    the key's district; a key without one reads its district's hotline replies, free text masked (a key is no
    person with the right to a reporter's numbers)."""
    if key.acting_user_id is None:
        return _page(None, _replies_of(Case.objects.filter(district_id=key.district_id)), cursor, limit, now)
    actor = get_user_model().objects.filter(pk=key.acting_user_id, is_active=True).first()
    if actor is None:  # the account was deactivated after the key was made
        raise CivicError(ErrorCode.FORBIDDEN)
    return _page(actor, _hotline_replies(actor).filter(case__district_id=key.district_id), cursor, limit, now)


def _page(actor, replies: QuerySet, cursor: int, limit: int, now: dt.datetime | None) -> dict:
    settled = (now or timezone.now()) - dt.timedelta(seconds=FEED_LAG_SECONDS)
    page = list(replies.filter(pk__gt=cursor, at__lte=settled).order_by("pk")[:limit])
    return {"items": _rows(actor, page), "next_cursor": page[-1].pk if page else cursor}


def replies_in(actor, start: dt.date, end: dt.date) -> list[ReplyRow]:
    """The replies given on the days `start`–`end` (Asia/Shanghai, both included), in the feed's order."""
    since = dt.datetime.combine(start, dt.time(), tzinfo=SHANGHAI)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    return _rows(actor, list(_hotline_replies(actor).filter(at__gte=since, at__lt=until).order_by("pk")))


def satisfaction_label(value: str) -> str:
    return str(Satisfaction(value).label) if value in Satisfaction.values else ""
