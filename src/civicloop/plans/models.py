"""Tables of the plans app. Writes go through services/; every read through selectors (scoped).

A task's status is never stored: it is derived from its dates, its `done_at` and its `percent` (the latest
report's, or for a parent the weighted roll-up of its children) by `plans.status`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import MAX_WEIGHT, LetterKind, LinkKind, PlanKind

USER = settings.AUTH_USER_MODEL


class Plan(TenantModel):
    """A plan 计划/规划/专项行动: goals and a tree of owned, dated tasks, run by `owner_unit`."""

    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=10, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("年度"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    owner_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位"))
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("计划")
        verbose_name_plural = _("计划")
        ordering = ["-year", "start", "pk"]

    def __str__(self) -> str:
        return self.title


class Goal(TenantModel):
    """A goal of a plan (e.g. 旧小区变新家园); tasks serve one."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("计划"))
    title = models.CharField(_("目标"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Task(TenantModel):
    """A task of a plan, in a tree (`parent`), owned by one unit with co-units. `percent` is the latest
    progress report's for a leaf and the weighted roll-up of the children for a parent (services keep it);
    `street` is the owner unit's street, kept for the board by street and the contact leaders."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("计划"))
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                             verbose_name=_("目标"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               verbose_name=_("上级任务"))
    owner_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位"))
    co_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+", verbose_name=_("配合单位"))
    street = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("街道"))
    code = models.CharField(_("任务编号"), max_length=40, blank=True, default="")  # the plan's own numbering (Excel)
    title = models.CharField(_("任务"), max_length=200)
    description = models.TextField(_("任务说明"), blank=True)
    start = models.DateField(_("开始日期"), null=True, blank=True)
    due = models.DateField(_("完成时限"))
    weight = models.PositiveSmallIntegerField(_("权重"), default=1,
                                              validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)])
    percent = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    done_at = models.DateField(_("完成日期"), null=True, blank=True)
    last_report_on = models.DateField(_("最近报告日期"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    # where the task came from (e.g. "meeting_decision" + the decision's id); blank for a planned task
    source_kind = models.CharField(_("来源"), max_length=30, blank=True, default="")
    source_id = models.BigIntegerField(_("来源编号"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "position", "pk"]
        indexes = [
            models.Index(fields=["plan", "parent"], name="plans_task_plan_parent"),
            models.Index(fields=["owner_unit", "due"], name="plans_task_owner_due"),
            models.Index(fields=["source_kind", "source_id"], name="plans_task_source"),
        ]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], condition=~models.Q(code=""),
                                               name="uniq_plans_task_code")]

    def __str__(self) -> str:
        return self.title


class Milestone(TenantModel):
    """A dated node of a task (节点目标)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("任务"))
    title = models.CharField(_("节点"), max_length=200)
    due = models.DateField(_("节点时限"))
    done_at = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["task", "due", "pk"]
        indexes = [models.Index(fields=["district", "due"], name="plans_milestone_due")]

    def __str__(self) -> str:
        return self.title


class ProgressReport(TenantModel):
    """A progress report by the owner unit: percent, text, evidence (files, owner kind "plans.report")."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("任务"))
    percent = models.PositiveSmallIntegerField(_("进度（%）"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("进展情况"))
    on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["task", "-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on} {self.percent}%"


class TaskLink(TenantModel):
    """A task linked to an object of another app (a case, a consultation decision, an adopted suggestion)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links", verbose_name=_("任务"))
    kind = models.CharField(_("关联类型"), max_length=16, choices=LinkKind.choices)
    object_id = models.BigIntegerField(_("关联编号"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任务关联")
        verbose_name_plural = _("任务关联")
        ordering = ["task", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "kind", "object_id"], name="uniq_plans_task_link")]
        indexes = [models.Index(fields=["kind", "object_id"], name="plans_link_object")]


class LeaderContact(TenantModel):
    """区领导联系街道: a district leader (a staff account) linked to a street; they see its plans and red items."""

    leader = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("区领导"))
    street = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+", verbose_name=_("街道"))

    class Meta:
        verbose_name = _("联系街道")
        verbose_name_plural = _("联系街道")
        ordering = ["street", "pk"]
        constraints = [models.UniqueConstraint(fields=["leader", "street"], name="uniq_plans_leader_street")]


class Target(TenantModel):
    """A target of a unit's 目标责任书 for a year; it may be an indicator of the assessment system."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("目标"), max_length=200)
    measure = models.CharField(_("目标值"), max_length=100, blank=True)
    indicator = models.ForeignKey("assess.Indicator", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("考核指标"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("责任目标")
        verbose_name_plural = _("责任目标")
        ordering = ["unit", "year", "position", "pk"]


class Letter(TenantModel):
    """One of a unit's 三书 for a year; its content lives in versions (a snapshot each)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=16, choices=LetterKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("三书")
        verbose_name_plural = _("三书")
        ordering = ["-year", "unit", "kind"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="uniq_plans_letter")]

    def __str__(self) -> str:
        return f"{self.year} {self.unit} {self.get_kind_display()}"


class LetterVersion(TenantModel):
    """A version of a letter: the content as generated (a JSON snapshot, what the PDF prints) and its digest; a
    change of the data makes the next version, which needs acknowledging again."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="versions", verbose_name=_("三书"))
    number = models.PositiveIntegerField(_("版本"))
    content = models.JSONField(_("内容"))
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("签收人"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("三书版本")
        verbose_name_plural = _("三书版本")
        ordering = ["letter", "-number"]
        constraints = [models.UniqueConstraint(fields=["letter", "number"], name="uniq_plans_letter_version")]

    def __str__(self) -> str:
        return f"{self.letter} v{self.number}"
