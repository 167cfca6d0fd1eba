"""Closing the loop: reply to the reporter, rating, reopen, close."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..changes import close_changes, rate_changes, rate_follow_up, reopen_changes, reply_changes
from ..constants import Action, ReplyChannel, Satisfaction
from ..models import Case, Rating, Reply
from ..permissions import SYSTEM, service_authority
from ..preconditions import require
from ._core import apply, load_for_update, now, require_text


def propagate_reply(case: Case, reply: Reply, at, *, only_id: int | None = None) -> None:
    """Reporters of cases merged into `case` get its reply too (recursively through chains of merges)."""
    children = Case.objects.filter(merged_into=case)
    if only_id is not None:
        children = children.filter(pk=only_id)
    for child_id in children.order_by("pk").values_list("pk", flat=True):
        child = load_for_update(SYSTEM, child_id)
        apply(SYSTEM, child, Action.MERGED_REPLY, at=at, changes=reply_changes(at=at),
              note=str(_("随主工单 %(code)s 答复。") % {"code": case.tracking_code}))
        child_reply = Reply.objects.create(district_id=child.district_id, case=child, channel=reply.channel,
                                           content=reply.content, unreachable=reply.unreachable, via_case=case,
                                           by=reply.by, at=at)
        propagate_reply(child, child_reply, at)


def _reply(actor, case: Case, action: str, *, channel: str, content: str, unreachable: bool) -> Reply:
    at = now()
    apply(actor, case, action, note=content, at=at, changes=reply_changes(at=at))
    reply = Reply.objects.create(district_id=case.district_id, case=case, channel=channel, content=content,
                                 unreachable=unreachable, by=actor if getattr(actor, "pk", None) else None, at=at)
    propagate_reply(case, reply, at)
    return reply


@transaction.atomic
def case_reply(*, actor, case_id: int, channel: str, content: str, expected_version: int | None = None) -> Case:
    """Tell the reporter the result (phone, SMS, visit, letter, portal). Merged cases are replied too."""
    case = load_for_update(actor, case_id, expected_version)
    _reply(actor, case, Action.REPLY, channel=ReplyChannel(channel), content=require_text(content, _("答复内容")),
           unreachable=False)
    return case


@transaction.atomic
def case_reply_unreachable(*, actor, case_id: int, note: str, expected_version: int | None = None) -> Case:
    """Record that the reporter could not be reached (anonymous, wrong number …): counts as the reply."""
    case = load_for_update(actor, case_id, expected_version)
    _reply(actor, case, Action.REPLY_UNREACHABLE, channel="", content=require_text(note, _("情况说明")), unreachable=True)
    return case


@transaction.atomic
def case_rate(*, actor, case_id: int, value: str, note: str = "", expected_version: int | None = None,
              authorised_by: str = "") -> Case:
    """Record the reporter's rating. 不满意 reopens the case; the third 不满意 escalates to consultation.

    `authorised_by` (services only, `permissions.SERVICE_AUTHORITIES`): a rating the person gave someone the
    caller has authorised — a visit team asking about a case raised in an earlier visit — is recorded without
    asking the actor's sight of the case or the rating rule (the table and the preconditions still hold); the
    actor stays the one who recorded it."""
    relayed = service_authority(authorised_by)
    case = load_for_update(SYSTEM if relayed else actor, case_id, expected_version)
    value = Satisfaction(value)
    at = now()
    apply(actor, case, Action.RATE, note=note, at=at, permission=not relayed,
          changes=rate_changes(value=value, unsatisfied_count=case.unsatisfied_count))
    Rating.objects.create(district_id=case.district_id, case=case, value=value, note=note,
                          recorded_by=actor if getattr(actor, "pk", None) else None, at=at)
    follow_up = rate_follow_up(value, case.unsatisfied_count)
    if follow_up == Action.ESCALATE:
        apply(actor, case, Action.ESCALATE, permission=False, at=at,
              note=str(_("第%(n)s次不满意，提交会商。") % {"n": case.unsatisfied_count}))
    elif follow_up == Action.REOPEN:
        apply(actor, case, Action.REOPEN, permission=False, at=at, changes=reopen_changes(),
              note=str(_("诉求人不满意，重办。")))
    return case


@transaction.atomic
def case_reopen(*, actor, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """The dispatcher rejects the result: back to the lead unit (the deadline stays; re-dispatch to reset it)."""
    case = load_for_update(actor, case_id, expected_version)
    apply(actor, case, Action.REOPEN, note=require_text(reason, _("重办理由")), changes=reopen_changes())
    return case


@transaction.atomic
def case_close(*, actor, case_id: int, note: str = "", expected_version: int | None = None) -> Case:
    """Close. Refused with REPLY_REQUIRED unless a reply (or "unreachable") was recorded since it was resolved."""
    case = load_for_update(actor, case_id, expected_version)
    require(actor, case, Action.CLOSE)  # FORBIDDEN first, then REPLY_REQUIRED before a reply
    at = now()
    apply(actor, case, Action.CLOSE, note=note, at=at, changes=close_changes(at=at))
    return case
