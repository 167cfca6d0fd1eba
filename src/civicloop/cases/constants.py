"""The vocabulary of the closed loop. One comment per word; the transition table is in transitions.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    REGISTERED = "registered", _("已登记")  # entered, not yet looked at
    TRIAGED = "triaged", _("已研判")  # category, layer and urgency set
    DISPATCHED = "dispatched", _("已派单")  # a lead unit has it; the clock runs
    ACCEPTED = "accepted", _("已签收")  # the lead unit took it on
    IN_PROGRESS = "in_progress", _("办理中")  # progress recorded
    RETURNED = "returned", _("已退单")  # the unit says it is not its duty; waits for re-dispatch
    RESOLVED = "resolved", _("已办结")  # result and measures recorded; the reporter still has to hear back
    REPLIED = "replied", _("已回复")  # the reporter was told (or recorded unreachable)
    RATED = "rated", _("已评价")  # the reporter rated the answer
    REOPENED = "reopened", _("重办")  # 不满意 or the dispatcher rejected the result
    ESCALATED = "escalated", _("已升级会商")  # goes to a consultation meeting
    CLOSED = "closed", _("已结案")  # done
    MERGED = "merged", _("已合并")  # a duplicate folded into another case
    WITHDRAWN = "withdrawn", _("已撤回")  # the reporter cancelled


# The deadline clock runs (and green/yellow/red applies) in these states.
CLOCK_STATES = (CaseState.DISPATCHED, CaseState.ACCEPTED, CaseState.IN_PROGRESS, CaseState.REOPENED)
FINAL_STATES = (CaseState.CLOSED, CaseState.MERGED, CaseState.WITHDRAWN)
OPEN_STATES = tuple(s for s in CaseState if s not in FINAL_STATES)


class Action(models.TextChoices):
    REGISTER = "register", _("登记")
    TRIAGE = "triage", _("分类研判")
    DISPATCH = "dispatch", _("派单")
    ACCEPT = "accept", _("签收")
    RETURN = "return", _("退单")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    DENY_EXTENSION = "deny_extension", _("驳回延期")
    ADD_PROGRESS = "add_progress", _("办理进展")
    RESOLVE = "resolve", _("办结")
    REPLY = "reply", _("答复诉求人")
    REPLY_UNREACHABLE = "reply_unreachable", _("无法联系诉求人")
    # a consultation answered on the spot, before any dispatch: resolved and replied in one step (直接答复办结)
    ANSWER = "answer", _("直接答复办结")
    RATE = "rate", _("满意度评价")
    REOPEN = "reopen", _("重办")
    CLOSE = "close", _("结案")
    SUPERVISE = "supervise", _("督办")
    SUPERVISION_REPLY = "supervision_reply", _("督办回复")
    ESCALATE = "escalate", _("升级会商")
    DECIDE = "decide", _("会商决定")
    MERGE = "merge", _("合并")
    MERGED_REPLY = "merged_reply", _("随主工单答复")  # the target of a merge was replied: so is this case
    WITHDRAW = "withdraw", _("撤回")
    # the system counts the deadline again on a year's now-official calendar (a year confirmed or its arrangement
    # loaded): the state stays; services/deadlines.py
    RECOUNT = "recount", _("重算期限")
    # a sensor's alarm behind the case repeated or cleared (signs): a note by the system, the state stays
    SENSOR_NOTE = "sensor_note", _("感知提醒")


class Channel(models.TextChoices):
    VISIT = "visit", _("走访")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    CITIZEN_INSPECTION = "citizen_inspection", _("市民巡访")
    GRID_INSPECTION = "grid_inspection", _("网格巡查")
    SENSOR = "sensor", _("感知预警")
    DELIBERATION = "deliberation", _("议事")
    PORTAL = "portal", _("市民上报")
    LEADER_INSTRUCTION = "leader_instruction", _("领导交办")
    OPEN311 = "open311", _("Open311接口")  # another system's client (a city app) through /open311/v2/, with a key
    MEETING = "meeting", _("工作例会")  # a work meeting's decision (meetings app; external id "MD<decision id>")


# Channels only another system registers through, never a person by hand: an Open311 case is what a client sent
# with its key (`open311.services.request_submit`). `StaffChannel` is every other channel — what the register page
# offers and what it and `POST /api/cases/register(-batch)` accept (cases.forms, cases.api): defined here, once.
API_ONLY_CHANNELS = frozenset({Channel.OPEN311})
StaffChannel = models.TextChoices(
    "StaffChannel", [(c.name, (c.value, c.label)) for c in Channel if c not in API_ONLY_CHANNELS])


class AppealType(models.TextChoices):
    """What the reporter asks for (12345 practice). A consultation may be answered on the spot (直接答复办结)."""

    CONSULTATION = "consultation", _("咨询")  # a question: often answered at once, without dispatch
    HELP = "help", _("求助")  # a problem to be solved (the default: what every case before appeal types was)
    COMPLAINT = "complaint", _("投诉")  # something or someone went wrong
    SUGGESTION = "suggestion", _("建议")  # 人民建议: may be adopted into a plan task later
    PRAISE = "praise", _("表扬")  # thanks for a unit or a person


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")  # 15 working days (12345 practice)
    URGENT = "urgent", _("紧急")  # 5 working days
    CRITICAL = "critical", _("特急")  # 1 working day


class Layer(models.TextChoices):
    LOCAL = "local", _("身边问题")  # solved inside a street
    CROSS = "cross", _("三跨问题")  # cross-region/department/level: goes to consultation


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ReplyChannel(models.TextChoices):
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    VISIT = "visit", _("上门")
    LETTER = "letter", _("书面")
    PORTAL = "portal", _("网上")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    DENIED = "denied", _("已驳回")
    LAPSED = "lapsed", _("已失效")  # still pending when the case left the handling states (resolve, return …)


class SupervisionKind(models.TextChoices):
    MANUAL = "manual", _("人工督办")
    AUTO = "auto", _("超期自动督办")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("待召开")
    HELD = "held", _("已召开")


class TimeState(models.TextChoices):
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("超期")
    NONE = "none", _("—")  # the clock is not running


# Default time limits in working days per urgency (12345 practice), used when a category gives none.
DEFAULT_TIME_LIMITS = {Urgency.NORMAL: 15, Urgency.URGENT: 5, Urgency.CRITICAL: 1}
# A case returned this many times goes to consultation (jurisdiction dispute 职责不清).
RETURNS_BEFORE_ESCALATION = 2
# The n-th 不满意 sends the case to consultation instead of reopening it.
UNSATISFIED_BEFORE_ESCALATION = 3
