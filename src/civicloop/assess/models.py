"""Tables of the assessment. Writes go through services/; every read through selectors (scoped).

- `IndicatorSet` (a version of a set, e.g. 金银铜奖考核细则 v2): its `Dimension`s and `Indicator`s. Frozen (`frozen_at`)
  once an evaluation was computed on it; a frozen set changes only by a new version (services.sets).
- `EvaluationRun`: one evaluation of a set's indicators for a period and units; its `Score`s (one per unit ×
  indicator, with the provenance: value, numerator and denominator, the rule's terms, the inputs) and
  `UnitResult`s (total, rank, medal). `SubjectiveEntry`: a value entered for a subjective indicator.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import (
    Direction,
    FindingStatus,
    IndicatorKind,
    InspectionKind,
    Medal,
    MedalRule,
    Recheck,
    RoundState,
    Rule,
    RunState,
    Severity,
    UnitGroup,
)

USER = settings.AUTH_USER_MODEL
POINTS = {"max_digits": 9, "decimal_places": 2}
VALUE = {"max_digits": 14, "decimal_places": 2}
FACTOR = {"max_digits": 5, "decimal_places": 2}


class IndicatorSet(TenantModel):
    code = models.CharField(_("编码"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=100)
    unit_group = models.CharField(_("考核对象"), max_length=12, choices=UnitGroup.choices, default=UnitGroup.STREETS)
    description = models.TextField(_("说明"), blank=True)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)  # an evaluation was computed on it
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["district", "code", "version"], name="uniq_assess_set_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class Dimension(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(_("维度"), max_length=60)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("考核维度")
        verbose_name_plural = _("考核维度")
        ordering = ["indicator_set", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "name"], name="uniq_assess_dimension")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators",
                                  verbose_name=_("维度"))
    code = models.CharField(_("指标编码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=120)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("指标类型"), max_length=12, choices=IndicatorKind.choices)
    metric = models.CharField(_("指标口径"), max_length=40, blank=True)  # a dashboard KPI code (objective)
    channel = models.CharField(_("来源渠道"), max_length=20, blank=True)  # the metric's filter, optional
    category_code = models.CharField(_("分类编码"), max_length=20, blank=True)  # likewise (a parent: with children)
    weight = models.DecimalField(_("分值"), **POINTS)
    rule = models.CharField(_("计分规则"), max_length=12, choices=Rule.choices)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    target = models.DecimalField(_("目标值"), null=True, blank=True, **VALUE)
    floor = models.DecimalField(_("保底值"), null=True, blank=True, **VALUE)  # linear: the value scoring 0
    cap = models.DecimalField(_("封顶分"), null=True, blank=True, **POINTS)
    per_item = models.DecimalField(_("每项分值"), null=True, blank=True, **POINTS)  # deduction, bonus
    # a deduction's inspection findings weighted by severity: a finding counts as this many items (entered items: 1)
    factor_minor = models.DecimalField(_("一般问题倍数"), default=1, **FACTOR)
    factor_major = models.DecimalField(_("较重问题倍数"), default=1, **FACTOR)
    factor_serious = models.DecimalField(_("严重问题倍数"), default=1, **FACTOR)
    criteria = models.TextField(_("评分标准"), blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["indicator_set", "dimension__position", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="uniq_assess_indicator")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def factor(self, severity: str):
        """How many deduction items one finding of `severity` counts as (the rule's severity weighting)."""
        value = getattr(self, f"factor_{severity}", None)
        return self.factor_minor if value is None else value


class EvaluationRun(TenantModel):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="runs",
                                      verbose_name=_("指标体系"))
    name = models.CharField(_("名称"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    units = models.ManyToManyField("orgs.Unit", related_name="+", verbose_name=_("考核对象"))
    medal_rule = models.CharField(_("评奖规则"), max_length=12, choices=MedalRule.choices, default=MedalRule.TOP_N)
    gold = models.DecimalField(_("金奖"), max_digits=7, decimal_places=2, default=1)  # a count, or a score rate (%)
    silver = models.DecimalField(_("银奖"), max_digits=7, decimal_places=2, default=2)
    bronze = models.DecimalField(_("铜奖"), max_digits=7, decimal_places=2, default=3)
    state = models.CharField(_("状态"), max_length=10, choices=RunState.choices, default=RunState.DRAFT)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        ordering = ["-end", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def published(self) -> bool:
        return self.state == RunState.PUBLISHED


class SubjectiveEntry(models.Model):
    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("评分或项数"), **VALUE)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    entered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("主观评分")
        verbose_name_plural = _("主观评分")
        constraints = [models.UniqueConstraint(fields=["run", "unit", "indicator"], name="uniq_assess_entry")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.unit_id}/{self.indicator_id}: {self.value}"


class Score(models.Model):
    """One indicator's score for one unit in a run, with what it was computed from (the provenance)."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(null=True, **VALUE)  # per cent for a rate; None: no data
    numerator = models.BigIntegerField(null=True)  # an objective metric's parts (an average: the sum)
    denominator = models.BigIntegerField(null=True)
    points = models.DecimalField(**POINTS)
    full = models.DecimalField(**POINTS)  # the indicator's full marks (0 for a bonus)
    terms = models.JSONField(default=list)  # [[term, "signed points"]]: they add up to `points` (rules.Scored)
    inputs = models.JSONField(default=dict)  # what the rule read: target, floor, cap, per_item, direction, filters

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [models.UniqueConstraint(fields=["run", "unit", "indicator"], name="uniq_assess_score")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.unit_id}/{self.indicator_id}: {self.points}"


class UnitResult(models.Model):
    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(**POINTS)  # Σ of its scores' points
    full = models.DecimalField(**POINTS)  # Σ of its scores' full marks
    by_dimension = models.JSONField(default=dict)  # {dimension id: "points"}
    rank = models.PositiveIntegerField()  # 1 = best; equal totals share a rank (1, 2, 2, 4)
    medal = models.CharField(max_length=8, choices=Medal.choices, blank=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["run", "rank", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="uniq_assess_result")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.unit_id}: {self.total} #{self.rank}"


# ----- inspections


class InspectionRound(TenantModel):
    """A round of the citizens' inspection team or an unannounced third-party check: members, route, findings."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=InspectionKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    route = models.TextField(_("路线"), blank=True)
    members = models.ManyToManyField(USER, blank=True, related_name="+", verbose_name=_("成员"))
    state = models.CharField(_("状态"), max_length=8, choices=RoundState.choices, default=RoundState.OPEN)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("巡查")
        verbose_name_plural = _("巡查")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.name


class Finding(TenantModel):
    """A problem found on a round: where, which indicator it costs (a deduction item), and — when it is to be
    fixed — its rectification case (registered through the cases services, channel 市民巡访; `case.assess_finding`
    is the way back). Its status follows the case (`status`)."""

    inspection_round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="findings",
                                         verbose_name=_("巡查"))
    street = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("地点"))
    indicator = models.ForeignKey(Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("指标"))
    indicator_code = models.CharField(max_length=40, blank=True)  # the indicator's, kept for every version of its set
    set_code = models.CharField(max_length=40, blank=True)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices, default=Severity.MINOR)
    description = models.TextField(_("问题描述"))
    found_on = models.DateField(_("发现日期"))
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="assess_finding", verbose_name=_("整改工单"))
    recheck = models.CharField(_("复查"), max_length=10, choices=Recheck.choices, blank=True, default="")
    recheck_note = models.CharField(_("复查说明"), max_length=200, blank=True)
    rechecked_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("巡查发现")
        verbose_name_plural = _("巡查发现")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["district", "set_code", "indicator_code", "found_on"], name="finding_deduct")]

    def __str__(self) -> str:
        return f"{self.found_on} {self.description[:20]}"

    @property
    def status(self) -> str:
        """Follows the case: open → 整改中, resolved or closed → 已整改 until re-inspected; merged or withdrawn →
        已撤销. Read with the case loaded (select_related("case"))."""
        from civicloop.cases.constants import CaseState

        if self.case_id is None:
            return FindingStatus.RECORDED
        state = self.case.state
        if state in (CaseState.MERGED, CaseState.WITHDRAWN):
            return FindingStatus.CANCELLED
        if self.recheck == Recheck.FAILED and state in _OPEN_AFTER_RECHECK:
            return FindingStatus.FAILED
        if state in (CaseState.RESOLVED, CaseState.REPLIED, CaseState.RATED, CaseState.CLOSED):
            return FindingStatus.CONFIRMED if self.recheck == Recheck.CONFIRMED else FindingStatus.RECTIFIED
        return FindingStatus.RECTIFYING

    def get_status_display(self) -> str:
        return str(FindingStatus(self.status).label)


_OPEN_AFTER_RECHECK = ("reopened", "dispatched", "accepted", "in_progress", "returned", "escalated")
