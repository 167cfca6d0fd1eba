"""The volunteers app's vocabulary (one comment per word)."""

from decimal import Decimal
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberKind(models.TextChoices):
    """Who registers to a community (orgs.PersonKind of the person record: the same two words)."""

    VOLUNTEER = "volunteer", _("志愿者")  # a resident or anyone who gives time
    PARTY_MEMBER = "party_member", _("报到党员")  # 在职党员到社区报到: a party member of an agency (their unit)


class NeedCategory(models.TextChoices):
    """What a service need asks for."""

    ELDERLY_VISIT = "elderly_visit", _("探访老人")
    PATROL = "patrol", _("平安巡逻")
    GARBAGE_SORTING = "garbage_sorting", _("垃圾分类引导")
    CIVILISATION = "civilisation", _("文明劝导")
    OTHER = "other", pgettext_lazy("service need", "其他服务")


class NeedState(models.TextChoices):
    OPEN = "open", pgettext_lazy("service need", "招募中")  # sign-ups taken until it ends or is closed
    CLOSED = "closed", pgettext_lazy("service need", "已结束")  # no more sign-ups; check-ins and outs still recorded


class SignUpState(models.TextChoices):
    SIGNED_UP = "signed_up", _("已报名")
    CHECKED_IN = "checked_in", _("已签到")
    CHECKED_OUT = "checked_out", _("已签退")  # its hours are in the ledger
    CANCELLED = "cancelled", _("已取消")  # before check-in: the slot is free again


# States that hold a slot (and count as "signed up" for the no-double-sign-up rule).
ACTIVE_SIGNUP_STATES = (SignUpState.SIGNED_UP, SignUpState.CHECKED_IN, SignUpState.CHECKED_OUT)


class EntryKind(models.TextChoices):
    """A row of the hours ledger."""

    SERVICE = "service", _("服务时长")  # written by a check-out: the shift's hours
    CORRECTION = "correction", _("更正")  # the difference a corrected check-in or check-out made (may be negative)


class VolunteerAuditAction(StrEnum):
    """core.AuditLog actions written by the volunteers services (object_type "volunteers.<model>")."""

    REGISTER = "volunteers.register"
    LEAVE = "volunteers.leave"
    NEED_POST = "volunteers.need_post"
    NEED_CLOSE = "volunteers.need_close"
    SIGN_UP = "volunteers.sign_up"
    CANCEL = "volunteers.cancel"
    CHECK_IN = "volunteers.check_in"
    CHECK_OUT = "volunteers.check_out"  # details: hours
    CORRECT = "volunteers.correct"  # details: the times and hours before and after, the reason
    RULE_SAVE = "volunteers.rule_save"
    PROOF = "volunteers.proof"  # a volunteer proved who they are (the self-service pages)


# Hours are kept to the hundredth (Decimal, never float); a shift counts whole minutes.
HOURS_PLACES = Decimal("0.01")
# A single shift longer than this is a typing error (a check-out forgotten for a day), refused.
MAX_SHIFT_HOURS = 16
# How far ahead a need may be posted, and how far a check-in/out time may lie in the future (clock drift).
MAX_NEED_DAYS_AHEAD = 366
CLOCK_SLACK_MINUTES = 10
MAX_SLOTS = 500
# The self-service proof: member code + last four digits of the phone; held this long in the browser's session.
PROOF_SECONDS = 1800
PROOF_SESSION_KEY = "volunteer_proofs"  # {member id: proved until (epoch seconds)}
PROOF_LIMIT_CODE = (5, 3600)  # proofs tried for one code per hour (four digits are 10,000 guesses)
PROOF_LIMIT_CLIENT = (20, 3600)  # proofs one client address tries per hour
# Rows shown on the board's lists: the soonest open needs (the rest behind a link to the needs page), the top members.
BOARD_NEEDS = 8
MEMBER_NEEDS = 30  # open needs on a member's own page
NEEDS_LISTED = 100  # needs on the needs page (the newest, or the soonest open ones)
BOARD_TOP = 10
