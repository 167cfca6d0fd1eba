"""Sign-up, cancel, check-in, check-out and corrections — by the committee's staff (`actor`) or by the volunteer
(`member_id`, proved by the self-service pages: services/self.py). The check-out writes the shift's hours into
the ledger; a correction writes the difference, and its audit row keeps the times before and after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.workdays.calendar import SHANGHAI

from ..constants import ACTIVE_SIGNUP_STATES, EntryKind, NeedState, SignUpState, VolunteerAuditAction
from ..error_codes import VolunteerErrorCode
from ..hours import BadShift, shift_hours
from ..models import HoursEntry, Member, ServiceNeed, SignUp
from ..permissions import (
    may_cancel,
    may_check_in,
    may_check_out,
    may_correct,
    may_keep_row,
    need_open,
    visible_q,
)
from ._common import audit, not_future, text_required
from .totals import add_to_totals


def _day(at: dt.datetime) -> dt.date:
    return at.astimezone(SHANGHAI).date()


def _who(actor, member_id) -> None:
    if (actor is None) == (member_id is None):
        raise ValueError("either a staff actor or the proved member")


@transaction.atomic
def signup_create(*, need_id: int, member_id: int, actor=None, by_member: bool = False,
                  now: dt.datetime | None = None) -> SignUp:
    """A member signs up for a need of their community (`by_member`: the volunteer themself, `actor` None), or the
    committee's staff sign them up. Refused: a need closed or over, a member of another community or no longer on
    the roster, a second sign-up (ALREADY_SIGNED_UP), no slot left (NEED_FULL) — the slot is taken by a
    conditional UPDATE, so of two sign-ups for the last slot exactly one succeeds."""
    now = now or timezone.now()
    if by_member:
        member = Member.objects.select_related("person").filter(pk=member_id, active=True).first()
        if member is None:
            raise not_found()
        need = ServiceNeed.objects.filter(pk=need_id, community_id=member.community_id).first()
        if need is None:
            raise not_found()
    else:
        need = ServiceNeed.objects.filter(visible_q(actor), pk=need_id).first()
        member = Member.objects.select_related("person").filter(visible_q(actor), pk=member_id).first()
        if need is None or member is None:
            raise not_found()
        if not may_keep_row(actor, need):
            raise CivicError(ErrorCode.FORBIDDEN)
    if not member.active or member.community_id != need.community_id:
        raise CivicError(VolunteerErrorCode.NOT_HERE)
    if not need_open(need, now):
        raise CivicError(VolunteerErrorCode.NEED_NOT_OPEN)
    if SignUp.objects.filter(need=need, member=member, state__in=ACTIVE_SIGNUP_STATES).exists():
        raise CivicError(VolunteerErrorCode.ALREADY_SIGNED_UP)
    took = ServiceNeed.objects.filter(pk=need.pk, state=NeedState.OPEN, taken__lt=F("slots")).update(
        taken=F("taken") + 1)
    if not took:
        raise CivicError(VolunteerErrorCode.NEED_FULL)
    try:
        with transaction.atomic():  # a concurrent sign-up of the same member: the unique constraint says no
            signup = SignUp.objects.create(district_id=need.district_id, street_id=need.street_id,
                                           community_id=need.community_id, need=need, member=member, signed_up_at=now)
    except IntegrityError:
        raise CivicError(VolunteerErrorCode.ALREADY_SIGNED_UP) from None  # the slot's UPDATE rolls back with it
    audit(actor, VolunteerAuditAction.SIGN_UP, signup, member=member, need=need.pk)
    return signup


def _signup_for_write(actor, member_id, signup_id: int) -> SignUp:
    """The sign-up locked: the keeper's (in sight, else NOT_FOUND; kept, else FORBIDDEN) or the member's own."""
    _who(actor, member_id)
    qs = SignUp.objects.select_for_update().filter(pk=signup_id)
    if actor is not None:
        signup = qs.filter(visible_q(actor)).first()
        if signup is None:
            raise not_found()
        if not may_keep_row(actor, signup):
            raise CivicError(ErrorCode.FORBIDDEN)
    else:
        signup = qs.filter(member_id=member_id).first()
        if signup is None:
            raise not_found()
    signup.member = Member.objects.select_related("person").get(pk=signup.member_id)
    return signup


@transaction.atomic
def signup_cancel(*, signup_id: int, actor=None, member_id: int | None = None) -> SignUp:
    """Before check-in: the slot is free again."""
    signup = _signup_for_write(actor, member_id, signup_id)
    if not may_cancel(signup):
        raise CivicError(VolunteerErrorCode.SIGNUP_STATE)
    signup.state = SignUpState.CANCELLED
    signup.save(update_fields=["state"])
    ServiceNeed.objects.filter(pk=signup.need_id, taken__gt=0).update(taken=F("taken") - 1)
    audit(actor, VolunteerAuditAction.CANCEL, signup, member=signup.member)
    return signup


@transaction.atomic
def signup_check_in(*, signup_id: int, actor=None, member_id: int | None = None, at: dt.datetime | None = None,
                    now: dt.datetime | None = None) -> SignUp:
    """Check in at `at` (staff may enter a time that has passed; a volunteer checks in now)."""
    now = now or timezone.now()
    signup = _signup_for_write(actor, member_id, signup_id)
    if not may_check_in(signup):
        raise CivicError(VolunteerErrorCode.SIGNUP_STATE)
    at = not_future(at if (at is not None and actor is not None) else now, now)
    signup.state, signup.check_in_at, signup.checked_in_by = SignUpState.CHECKED_IN, at, actor
    signup.save(update_fields=["state", "check_in_at", "checked_in_by"])
    audit(actor, VolunteerAuditAction.CHECK_IN, signup, member=signup.member, at=at.isoformat())
    return signup


@transaction.atomic
def signup_check_out(*, signup_id: int, actor=None, member_id: int | None = None, at: dt.datetime | None = None,
                     now: dt.datetime | None = None) -> SignUp:
    """Check out: the shift's hours (hours.shift_hours — after the check-in, at most MAX_SHIFT_HOURS) go into the
    ledger, counted on the check-in's day, for the member and their unit."""
    now = now or timezone.now()
    signup = _signup_for_write(actor, member_id, signup_id)
    if not may_check_out(signup):
        raise CivicError(VolunteerErrorCode.SIGNUP_STATE)
    at = not_future(at if (at is not None and actor is not None) else now, now)
    try:
        hours = shift_hours(signup.check_in_at, at)
    except BadShift:
        raise CivicError(VolunteerErrorCode.TIMES_INVALID) from None
    signup.state, signup.check_out_at, signup.checked_out_by, signup.hours = (
        SignUpState.CHECKED_OUT, at, actor, hours)
    signup.save(update_fields=["state", "check_out_at", "checked_out_by", "hours"])
    _entry(signup, EntryKind.SERVICE, hours, _day(signup.check_in_at), actor=actor, now=now)
    audit(actor, VolunteerAuditAction.CHECK_OUT, signup, member=signup.member, at=at.isoformat(), hours=str(hours))
    return signup


@transaction.atomic
def signup_correct(*, actor, signup_id: int, check_in_at: dt.datetime, check_out_at: dt.datetime, reason: str,
                   now: dt.datetime | None = None) -> SignUp:
    """The committee's staff correct a checked-out shift's times: the ledger gets the difference (on the same day),
    or, when the day moved, the old hours taken off the old day and the new put on the new; the audit row keeps
    the times and hours before and after, and the reason."""
    now = now or timezone.now()
    reason = text_required(reason, _("更正原因"))
    signup = _signup_for_write(actor, None, signup_id)
    if not may_correct(signup):
        raise CivicError(VolunteerErrorCode.SIGNUP_STATE)
    not_future(check_out_at, now)
    try:
        hours = shift_hours(check_in_at, check_out_at)
    except BadShift:
        raise CivicError(VolunteerErrorCode.TIMES_INVALID) from None
    before = {"check_in_at": signup.check_in_at.isoformat(), "check_out_at": signup.check_out_at.isoformat(),
              "hours": str(signup.hours)}
    old_day, new_day, old_hours = _day(signup.check_in_at), _day(check_in_at), signup.hours
    if old_day == new_day:
        if hours != old_hours:
            _entry(signup, EntryKind.CORRECTION, hours - old_hours, new_day, actor=actor, now=now, note=reason)
    else:
        _entry(signup, EntryKind.CORRECTION, -old_hours, old_day, actor=actor, now=now, note=reason)
        _entry(signup, EntryKind.CORRECTION, hours, new_day, actor=actor, now=now, note=reason)
    signup.check_in_at, signup.check_out_at, signup.hours = check_in_at, check_out_at, hours
    signup.save(update_fields=["check_in_at", "check_out_at", "hours"])
    audit(actor, VolunteerAuditAction.CORRECT, signup, before=before, reason=reason,
          after={"check_in_at": check_in_at.isoformat(), "check_out_at": check_out_at.isoformat(),
                 "hours": str(hours)})
    return signup


def _entry(signup: SignUp, kind: str, hours: Decimal, day: dt.date, *, actor, now, note: str = "") -> HoursEntry:
    """A ledger row, and its hours added to the member's total of its year (the caller's transaction)."""
    entry = HoursEntry.objects.create(
        district_id=signup.district_id, street_id=signup.street_id, community_id=signup.community_id,
        member_id=signup.member_id, unit_id=signup.member.unit_id, signup=signup, kind=kind, day=day, hours=hours,
        note=note[:200], created_by=actor, created_at=now)
    add_to_totals(entry)
    return entry
