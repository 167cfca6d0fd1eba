"""The meetings app's vocabulary (one comment per word)."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("work meeting", "待召开")  # the pack is built (and may be built again)
    HELD = "held", pgettext_lazy("work meeting", "已召开")  # the pack is frozen; minutes and decisions are recorded
    CLOSED = "closed", pgettext_lazy("work meeting", "已定稿")  # minuted: nothing changes any more


class ItemSource(models.TextChoices):
    """Where an agenda item came from (the pack's four sources, and items added by hand)."""

    MILESTONE = "milestone", _("滞后和有风险的节点")  # plans.selectors.milestones_needing_attention
    RED_CASE = "red_case", _("超期督办工单")  # red (overdue) cases under supervision
    CONSULTATION = "consultation", _("待会商事项")  # cases escalated to consultation, not yet decided
    DECISION = "decision", _("上次例会未落实的决定")  # an earlier meeting's decision whose outcome is not done
    OTHER = "other", _("其他议题")  # added by hand


# The order the pack shows its sources in.
SOURCE_ORDER = (ItemSource.DECISION, ItemSource.MILESTONE, ItemSource.RED_CASE, ItemSource.CONSULTATION,
                ItemSource.OTHER)


class DecisionKind(models.TextChoices):
    """What a decision becomes — exactly one thing, made through the owning app's service."""

    TASK = "task", _("交办任务")  # plans.services.task_create (source_kind "meeting_decision")
    CASE = "case", _("登记工单")  # cases intake, channel "meeting"
    REDISPATCH = "redispatch", _("重新派单")  # cases.services.case_dispatch of a returned / reopened / triaged case


# plans' Task.source_kind of the tasks decisions create (the contract of issue 16).
TASK_SOURCE_KIND = "meeting_decision"
# cases' external id of the cases decisions register (with the channel "meeting": intake is idempotent by it).
CASE_EXTERNAL_ID = "MD{decision_id}"


class OutcomeKind(StrEnum):
    """What the status of an outcome is counted in: a plan task's derived status or a case's state."""

    TASK = "task"
    CASE = "case"


class MeetingAuditAction(StrEnum):
    """core.AuditLog actions written by the meetings services (object_type "meetings.meeting", "meetings.item",
    "meetings.decision")."""

    CREATE = "meetings.create"
    PACK_BUILD = "meetings.pack_build"  # details: items per source
    HOLD = "meetings.hold"
    CLOSE = "meetings.close"
    ITEM_ADD = "meetings.item_add"
    MINUTES = "meetings.minutes"  # minutes recorded against an agenda item
    DECISION = "meetings.decision"  # details: kind, the task or case it became


# Agenda items per source at most (the pack's list says how many more there were).
ITEMS_PER_SOURCE = 60
# Characters of a case's description kept in an item's snapshot title.
SUMMARY_CHARS = 60
