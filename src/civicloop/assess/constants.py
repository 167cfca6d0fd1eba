"""The assessment's vocabulary. One comment per word."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    OBJECTIVE = "objective", _("客观指标")  # a named KPI of dashboard.metrics, computed from the loop
    SUBJECTIVE = "subjective", _("主观指标")  # a value entered per unit (survey, inspection, expert review)


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Rule(models.TextChoices):
    LINEAR = "linear", _("线性计分")  # floor → 0 points, target → full marks, capped (rules.linear)
    THRESHOLD = "threshold", _("达标满分")  # full marks if the target is met, else in proportion (rules.threshold)
    DEDUCTION = "deduction", _("扣分")  # full marks less a deduction per item (finding, case), capped (rules.deduction)
    BONUS = "bonus", _("加分")  # points per item up to a cap, on top of full marks (rules.bonus)


class UnitGroup(models.TextChoices):
    STREETS = "streets", _("街道")  # street offices, their figures by their street
    DEPARTMENTS = "departments", _("部门")  # departments, their figures by the cases they lead


class RunState(models.TextChoices):
    DRAFT = "draft", _("草拟")  # created; computed any number of times, entries open
    PUBLISHED = "published", _("已发布")  # frozen for good: never recomputed, never changed


class MedalRule(models.TextChoices):
    TOP_N = "top_n", _("按名次")  # the first `gold` ranks gold, the next `silver` silver, the next `bronze` bronze
    THRESHOLD = "threshold", _("按得分率")  # a score rate (total ÷ full marks, %) of at least `gold` / `silver` / `bronze`


class Medal(models.TextChoices):
    GOLD = "gold", _("金奖")
    SILVER = "silver", _("银奖")
    BRONZE = "bronze", _("铜奖")


class Light(models.TextChoices):
    """The traffic light of a score: its points against its full marks (LIGHT_GREEN, LIGHT_YELLOW)."""

    GREEN = "green", _("良好")
    YELLOW = "yellow", _("一般")
    RED = "red", _("较差")
    NONE = "none", _("无数据")


LIGHT_GREEN = Decimal("0.9")  # ≥ 90 % of full marks
LIGHT_YELLOW = Decimal("0.6")  # ≥ 60 %


class AssessAuditAction(models.TextChoices):
    SET_CREATE = "assess.set_create", _("新建指标体系")
    SET_VERSION = "assess.set_version", _("指标体系新版本")
    SET_FREEZE = "assess.set_freeze", _("指标体系冻结")
    INDICATOR_SAVE = "assess.indicator_save", _("保存指标")
    INDICATOR_DELETE = "assess.indicator_delete", _("删除指标")
    RUN_CREATE = "assess.run_create", _("新建考核")
    RUN_COMPUTE = "assess.run_compute", _("计算考核")
    RUN_PUBLISH = "assess.run_publish", _("发布考核")
    ENTRY_SAVE = "assess.entry_save", _("录入主观评分")


class AssessImportKind(models.TextChoices):
    INDICATORS = "assess_indicators", _("考核指标")


MAX_INDICATORS = 400  # of one set
MAX_POINTS = Decimal("10000")  # any weight, cap or per-item points
MAX_UNITS = 200  # of one run


# ----- inspections (市民巡访团, 第三方暗查)


class InspectionKind(models.TextChoices):
    CITIZEN_TEAM = "citizen_team", _("市民巡访团")  # citizens' inspection team ("啄木鸟"), announced rounds
    THIRD_PARTY = "third_party", _("第三方暗查")  # an unannounced check by a third party


class RoundState(models.TextChoices):
    OPEN = "open", _("进行中")  # findings are recorded
    CLOSED = "closed", _("已结束")  # no new findings; re-inspections still go on


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    SERIOUS = "serious", _("严重")


class FindingStatus(models.TextChoices):
    """A finding's status follows its rectification case (derived, never stored: `Finding.status`)."""

    RECORDED = "recorded", _("已记录")  # a deduction only, nothing to rectify
    RECTIFYING = "rectifying", _("整改中")  # its case is open
    RECTIFIED = "rectified", _("已整改")  # its case is resolved or closed, not yet re-inspected
    CONFIRMED = "confirmed", _("复查通过")  # re-inspected: fixed
    FAILED = "failed", _("复查未通过")  # re-inspected: not fixed (its case reopened)
    CANCELLED = "cancelled", _("已撤销")  # its case was merged or withdrawn


class Recheck(models.TextChoices):
    NONE = "", _("未复查")
    CONFIRMED = "confirmed", _("复查通过")
    FAILED = "failed", _("复查未通过")


class InspectionAuditAction(models.TextChoices):
    ROUND_CREATE = "assess.round_create", _("新建巡查")
    ROUND_CLOSE = "assess.round_close", _("结束巡查")
    FINDING_RECORD = "assess.finding_record", _("记录巡查发现")
    FINDING_RECHECK = "assess.finding_recheck", _("复查巡查发现")


MAX_ROUND_MEMBERS = 50
MAX_FACTOR = Decimal("100")  # a severity's weight: one finding counts as at most this many deduction items
MAX_FINDING_PHOTOS = 4  # photos taken with one finding (civicloop.files)
FINDING_OWNER = "assess.finding"  # the attachments' owner kind (files.owners; AssessConfig.attachment_owners)
