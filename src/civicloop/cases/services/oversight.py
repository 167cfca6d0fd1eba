"""Supervision, escalation, merging and withdrawal."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.orgs.scope import scope_for

from ..changes import merge_changes
from ..constants import FINAL_STATES, Action, SupervisionKind
from ..error_codes import CaseErrorCode
from ..models import Case, Reply, Supervision
from ..permissions import is_system, visible_q
from ..preconditions import require
from ._core import apply, load_for_update, now, require_text
from .closing import propagate_reply


@transaction.atomic
def case_supervise(*, actor, case_id: int, notice: str, kind: str = SupervisionKind.MANUAL, overdue_episode: str = "",
                   expected_version: int | None = None) -> Supervision:
    """Open a supervision notice (督办) the lead unit must answer. Automatic ones are one per overdue episode."""
    case = load_for_update(actor, case_id, expected_version)
    notice = require_text(notice, _("督办通知"))
    if kind == SupervisionKind.AUTO:
        existing = case.supervisions.filter(kind=kind, overdue_episode=overdue_episode).first()
        if existing is not None:
            return existing
    at = now()
    apply(actor, case, Action.SUPERVISE, note=notice, at=at)
    try:
        with transaction.atomic():
            return Supervision.objects.create(
                district_id=case.district_id, case=case, kind=kind, opened_at=at, notice=notice,
                opened_by=None if is_system(actor) else actor, opened_by_unit_id=getattr(actor, "unit_id", None),
                overdue_episode=overdue_episode if kind == SupervisionKind.AUTO else "")
    except IntegrityError:
        raise CivicError(ErrorCode.CONFLICT) from None


@transaction.atomic
def case_supervision_reply(*, actor, case_id: int, reply: str, supervision_id: int | None = None,
                           expected_version: int | None = None) -> Supervision:
    """The lead unit answers the oldest open supervision (or the given one)."""
    case = load_for_update(actor, case_id, expected_version)
    reply = require_text(reply, _("督办回复"))
    require(actor, case, Action.SUPERVISION_REPLY)
    qs = case.supervisions.select_for_update().filter(Supervision.OPEN)
    if supervision_id is not None:
        qs = qs.filter(pk=supervision_id)
    sup = qs.order_by("opened_at", "pk").first()
    if sup is None:
        raise CivicError(CaseErrorCode.SUPERVISION_NOT_OPEN)
    at = now()
    apply(actor, case, Action.SUPERVISION_REPLY, note=reply, at=at)
    sup.reply, sup.replied_at = reply, at
    sup.save(update_fields=["reply", "replied_at"])
    return sup


@transaction.atomic
def case_escalate(*, actor, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """Send the case to consultation (会商)."""
    case = load_for_update(actor, case_id, expected_version)
    apply(actor, case, Action.ESCALATE, note=require_text(reason, _("升级理由")))
    return case


@transaction.atomic
def case_merge(*, actor, case_id: int, into_case_id: int, note: str = "", expected_version: int | None = None) -> Case:
    """Fold a near-duplicate into another open case; its reporter will receive the target's reply. The target is
    named by id or by tracking code (a code no case has, or a case out of sight: NOT_FOUND)."""
    into_case_id = _case_pk(into_case_id)
    if case_id == into_case_id:
        load_for_update(actor, case_id, expected_version)  # out of sight: NOT_FOUND, like any other request
        raise CivicError(CaseErrorCode.MERGE_INVALID)
    # Lock both rows in id order so two crossing merges cannot deadlock.
    first, second = sorted((case_id, into_case_id))
    locked = {}
    for pk in (first, second):
        qs = Case.objects.select_for_update().filter(pk=pk)
        if not is_system(actor):
            qs = qs.filter(visible_q(scope_for(actor)))
        locked[pk] = qs.first()
    if locked[case_id] is None or locked[into_case_id] is None:
        raise not_found()
    case = load_for_update(actor, case_id, expected_version)
    target = locked[into_case_id]
    if target.state in FINAL_STATES or target.district_id != case.district_id:
        raise CivicError(CaseErrorCode.MERGE_INVALID)
    at = now()
    text = note or str(_("合并到 %(code)s。") % {"code": target.tracking_code})
    apply(actor, case, Action.MERGE, note=text, at=at, changes=merge_changes(into_case_id=target.pk))
    if target.replied_at is not None:
        last = target.replies.order_by("-at", "-pk").first() or Reply(channel="", content="", by=None)
        propagate_reply(target, last, at, only_id=case.pk)
    return case


def _case_pk(key: int | str) -> int:
    if isinstance(key, int):
        return key
    key = str(key).strip()
    if key.isdigit():
        return int(key)
    pk = Case.objects.filter(tracking_code=key.upper()).values_list("pk", flat=True).first()
    if pk is None:
        raise not_found()
    return pk


@transaction.atomic
def case_withdraw(*, actor, case_id: int, reason: str, expected_version: int | None = None) -> Case:
    """The reporter cancels (recorded by the dispatcher on their behalf)."""
    case = load_for_update(actor, case_id, expected_version)
    apply(actor, case, Action.WITHDRAW, note=require_text(reason, _("撤回原因")))
    return case
