"""The hall's vocabulary (one comment per word)."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TopicState(models.TextChoices):
    OPEN = "open", pgettext_lazy("hall topic", "议事中")  # discussed; meetings and votes may be held on it
    CLOSED = "closed", pgettext_lazy("hall topic", "已结束")  # settled: no new posts, meetings or votes


class TopicOrigin(models.TextChoices):
    COMMITTEE = "committee", _("居委会提出")  # the committee raised it
    RESIDENTS = "residents", _("居民提出")  # residents raised it, through the committee (who keys it in)


class HallMeetingState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("hall meeting", "待召开")  # agenda set; attendance and minutes not yet
    HELD = "held", pgettext_lazy("hall meeting", "已召开")  # attendance and minutes recorded
    CLOSED = "closed", pgettext_lazy("hall meeting", "已定稿")  # the minutes are final: nothing changes


class VoteState(models.TextChoices):
    OPEN = "open", pgettext_lazy("hall vote", "投票中")  # ballots are taken
    CLOSED = "closed", pgettext_lazy("hall vote", "已结束")  # tallied; the result is frozen


class Ballot(models.TextChoices):
    """How a vote's choices are kept."""

    OPEN = "open", _("记名表决")  # each household's choice is on record (and on the notice)
    SECRET = "secret", _("不记名表决")  # who voted is on record, their choice only in the counts


class Choice(models.TextChoices):
    YES = "yes", _("同意")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Verification(models.TextChoices):
    """How a ballot's household was verified."""

    GRID_WORKER = "grid_worker", _("网格员核实")  # the committee's grid worker, in person
    PHONE = "phone", _("户编码和手机尾号")  # the household code and the last four digits of the phone on file


class ApproveBase(models.TextChoices):
    """What a rule's approval share is a share of."""

    CAST = "cast", _("参与表决户数")  # the households that voted
    ELIGIBLE = "eligible", _("应参与表决户数")  # every household of the area


class OutcomeKind(models.TextChoices):
    """What a passed vote becomes — each at most once, through the owning app's service."""

    CASE = "case", _("登记工单")  # cases.services.case_register, channel "deliberation", external id HV<vote id>
    TASK = "task", _("列入计划任务")  # plans.services.task_create, source "hall_vote" / the vote's id
    CONVENTION = "convention", _("通过微规约")  # a new version of a compound convention, adopted by the vote


# The rules shipped with a new installation (rows of VoteRule; a district adds its own in the admin):
# code, name, quorum (share of the area's households that must vote), approval share, its base, strictly more.
DEFAULT_RULES = [
    ("major", _("重大事项（参与三分之二、同意四分之三，如加装电梯）"), (2, 3), (3, 4), ApproveBase.CAST, False),
    ("ordinary", _("一般事项（参与三分之二、同意过半数）"), (2, 3), (1, 2), ApproveBase.CAST, True),
    ("two_thirds", _("三分之二住户同意"), (0, 1), (2, 3), ApproveBase.ELIGIBLE, False),
]

# plans' Task.source_kind of the tasks votes become; cases' external id (channel "deliberation") of their cases.
TASK_SOURCE_KIND = "hall_vote"
CASE_EXTERNAL_ID = "HV{vote_id}"


class HallAuditAction(StrEnum):
    """core.AuditLog actions of the hall services (object_type "hall.<model>")."""

    TOPIC_OPEN = "hall.topic_open"
    TOPIC_CLOSE = "hall.topic_close"
    POST = "hall.post"
    POST_HIDE = "hall.post_hide"  # details: the reason
    MEETING_PLAN = "hall.meeting_plan"
    MEETING_HOLD = "hall.meeting_hold"  # details: households attending
    MEETING_CLOSE = "hall.meeting_close"
    VOTE_OPEN = "hall.vote_open"
    BALLOT = "hall.ballot"  # details: the verification (never the choice of a secret ballot)
    VOTE_CLOSE = "hall.vote_close"  # details: the tally
    OUTCOME = "hall.outcome"  # details: kind, the case / task / convention version
    CONVENTION = "hall.convention"  # a convention drafted by hand (not yet adopted)


MAX_TEXT = 4000
# ballot attempts with the household code and phone digits: per household code and per client, per hour
PHONE_TRIES_PER_HOUSEHOLD = 5
PHONE_TRIES_PER_CLIENT = 60
