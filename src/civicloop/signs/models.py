"""Tables of city vital signs. Writes go through services/; reads through selectors.py (scoped).

Readings are the big table: keyed (device, metric, at) — the key is the idempotence of ingestion and the index of
every time-range read. Charts read `Rollup` (one row per device, metric and hour), never the raw readings;
`Latest` holds each series' newest reading for the place page. Rule state and alarms are rows, so an evaluation
after a restart continues where the last one stopped.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import AlarmSeverity, Comparison, DeviceKind, RuleKind

USER = settings.AUTH_USER_MODEL


class Metric(models.Model):
    """A measured quantity (reference data shared by districts): its unit and normal range."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    unit = models.CharField(_("单位"), max_length=12, blank=True)
    device_kind = models.CharField(_("设备类型"), max_length=16, choices=DeviceKind.choices)
    normal_min = models.FloatField(_("正常下限"), null=True, blank=True)
    normal_max = models.FloatField(_("正常上限"), null=True, blank=True)

    class Meta:
        verbose_name = _("监测指标")
        verbose_name_plural = _("监测指标")
        ordering = ["device_kind", "code"]

    def __str__(self) -> str:
        return self.name

    def is_normal(self, value: float) -> bool:
        return (self.normal_min is None or value >= self.normal_min) and (
            self.normal_max is None or value <= self.normal_max)


class Device(TenantModel):
    """A sensor bound to a place (building, compound, community or street) and, for a water meter, a household.
    `street`/`community` are the place's, denormalised for scope filters (orgs.scope.territorial_q)."""

    code = models.CharField(_("设备编码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("设备类型"), max_length=16, choices=DeviceKind.choices)
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("地点"))
    street = models.ForeignKey("places.Place", null=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("places.Place", null=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("places.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("住户"))
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("感知设备")
        verbose_name_plural = _("感知设备")
        ordering = ["code"]
        indexes = [models.Index(fields=["place", "code"]), models.Index(fields=["district", "kind"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Reading(models.Model):
    """One value of one metric of one device at one time. The key is the idempotence of ingestion (a repeat is
    ignored) and the index of time-range reads. Written by services.ingest only (raw SQL, in bulk)."""

    pk = models.CompositePrimaryKey("device", "metric", "at")
    # no database constraint: services.ingest checks every item against the district's devices and the catalogue,
    # and a foreign-key check per row would cost a fifth of ingestion (decision); demo reset deletes them itself.
    # No index of their own either: the key leads with the device, and nothing reads by metric alone
    device = models.ForeignKey(Device, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    at = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        verbose_name = _("读数")
        verbose_name_plural = _("读数")

    def __str__(self) -> str:
        return f"{self.device_id}/{self.metric_id}@{self.at:%Y-%m-%d %H:%M}={self.value:g}"


class Rollup(models.Model):
    """The readings of one series in one hour, summed: what a 30-day chart reads (720 rows a series)."""

    pk = models.CompositePrimaryKey("device", "metric", "hour")
    # no database constraint: services.ingest checks every item against the district's devices and the catalogue,
    # and a foreign-key check per row would cost a fifth of ingestion (decision); demo reset deletes them itself.
    # No index of their own either: the key leads with the device, and nothing reads by metric alone
    device = models.ForeignKey(Device, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField()
    total = models.FloatField()
    low = models.FloatField()
    high = models.FloatField()

    def __str__(self) -> str:
        return f"{self.device_id}/{self.metric_id}@{self.hour:%Y-%m-%d %H}h ×{self.count}"


class PlaceRollup(models.Model):
    """The readings of one metric of every device bound to one place in one hour, summed: a place's chart reads
    720 rows for 30 days however many devices it has (a compound: one set per place below it that has devices)."""

    pk = models.CompositePrimaryKey("place", "metric", "hour")
    place = models.ForeignKey("places.Place", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                              related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField()
    total = models.FloatField()
    low = models.FloatField()
    high = models.FloatField()

    def __str__(self) -> str:
        return f"{self.place_id}/{self.metric_id}@{self.hour:%Y-%m-%d %H}h ×{self.count}"


class Latest(models.Model):
    """The newest reading of a series (a late reading older than it leaves it as it is)."""

    pk = models.CompositePrimaryKey("device", "metric")
    # no database constraint: services.ingest checks every item against the district's devices and the catalogue,
    # and a foreign-key check per row would cost a fifth of ingestion (decision); demo reset deletes them itself.
    # No index of their own either: the key leads with the device, and nothing reads by metric alone
    device = models.ForeignKey(Device, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    at = models.DateTimeField()
    value = models.FloatField()

    def __str__(self) -> str:
        return f"{self.device_id}/{self.metric_id}={self.value:g}"


class Rule(TenantModel):
    """An alarm rule of a district, over every device reporting its metric (evaluate.py reads it)."""

    name = models.CharField(_("名称"), max_length=100)
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+", verbose_name=_("监测指标"))
    kind = models.CharField(_("规则类型"), max_length=12, choices=RuleKind.choices)
    comparison = models.CharField(_("比较"), max_length=8, choices=Comparison.choices, default=Comparison.ABOVE)
    warn_level = models.FloatField(_("预警值"), null=True, blank=True)
    alarm_level = models.FloatField(_("报警值"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("持续时长（分钟）"), default=0)
    count = models.PositiveIntegerField(_("次数"), default=1)
    window_minutes = models.PositiveIntegerField(_("时间窗（分钟）"), default=60)
    silence_minutes = models.PositiveIntegerField(_("静默时长（分钟）"), default=0)
    activity_above = models.FloatField(_("有效读数下限"), null=True, blank=True)
    severity = models.PositiveSmallIntegerField(_("静默级别"), choices=AlarmSeverity.choices, default=AlarmSeverity.ALARM)
    category = models.ForeignKey("cases.Category", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("工单分类"))
    lead_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("承办单位"))
    to_committee = models.BooleanField(_("派住户所在居委"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("告警规则")
        verbose_name_plural = _("告警规则")
        ordering = ["metric_id", "name", "id"]
        indexes = [models.Index(fields=["district", "metric"], condition=Q(active=True), name="signs_rule_active")]

    def __str__(self) -> str:
        return self.name


class RuleState(models.Model):
    """What a rule knows of one device between evaluations — kept here, so it survives a restart: the verdict
    last reached, since when, and the newest activity seen (a silence rule's clock; a maximum, so a late reading
    cannot move it back)."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    severity = models.PositiveSmallIntegerField(choices=AlarmSeverity.choices, default=AlarmSeverity.NONE)
    since = models.DateTimeField(null=True)
    last_activity_at = models.DateTimeField(null=True)
    evaluated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "device"], name="signs_rule_state_unique")]
        # ingestion asks which of a batch's devices some rule judges past NONE: few rows, read in its statement
        indexes = [models.Index(fields=["device"], condition=Q(severity__gt=0), name="signs_rulestate_judged")]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.device_id}: {self.severity}"


class Alarm(TenantModel):
    """An episode of a rule on a device: raised, repeated (`count`, `last_at`), risen, cleared; acknowledged or
    not. One open (not cleared) alarm per (rule, device); at ALARM severity, or escalated by a person, it opens
    one case (`case`), and its repeats and clearing are noted on that case."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="+", verbose_name=_("告警规则"))
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+", verbose_name=_("设备"))
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("地点"))
    street = models.ForeignKey("places.Place", null=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("places.Place", null=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("places.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    severity = models.PositiveSmallIntegerField(_("级别"), choices=AlarmSeverity.choices)
    value = models.FloatField(_("读数"), null=True)
    count = models.PositiveIntegerField(_("次数"), default=1)
    first_at = models.DateTimeField(_("首次时间"))
    last_at = models.DateTimeField(_("最近时间"))
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("工单"))

    class Meta:
        verbose_name = _("告警")
        verbose_name_plural = _("告警")
        ordering = ["-last_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "device"], condition=Q(cleared_at__isnull=True),
                                               name="signs_alarm_open_unique")]
        indexes = [models.Index(fields=["district", "-last_at"]), models.Index(fields=["street", "-last_at"]),
                   models.Index(fields=["community", "-last_at"]), models.Index(fields=["place", "-last_at"]),
                   # the open ones, counted by street for the dashboard and the home page: few rows however many
                   # episodes were cleared before
                   models.Index(fields=["district", "street", "community"], condition=Q(cleared_at__isnull=True),
                                name="signs_alarm_open")]

    @property
    def active(self) -> bool:
        return self.cleared_at is None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None
