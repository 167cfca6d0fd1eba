"""The dashboard's own tables — the only ones it writes. All are projections of the case event log, rebuilt by
`services.rollups_refresh` (never by the cases services), so they can be dropped and recomputed at any time.

- `CaseFact`: one row per case — what the KPIs need to know of it (its days and outcome flags), folded from its
  events (`facts.fact_of`); the drill-down lists cases through it.
- `CaseReturn`: one row per return (退单) of a counted case — who bounced it, in which category: the
  jurisdiction disputes.
- `CaseRedSpan`: one row per stretch of time a case was red (超期) — the weekly report's red cases as they were.
- `DailyRollup`: per day × district × street × committee × lead unit × category × channel × appeal type, one
  column per measure (`measures.MEASURES`): the sums the overview reads instead of the cases — and the coarser
  `StreetChannelRollup`, `StreetUnitRollup`, `StreetCategoryRollup` (per day × street × one dimension), which it
  reads whenever they hold the columns asked for (`ROLLUPS`).
- `RollupWatermark`: how far into the event log the rollups have read.

Dimensions hold ids as plain integers, 0 for none (`constants.NONE`): a rollup key is one unique index.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import CLOCK_STATES
from civicloop.core.models import TenantModel

_DAY_FIELDS = ("registered_day", "dispatched_day", "resolved_day", "rated_day", "deadline_day", "supervised_day",
               "escalated_day")


class CaseFact(TenantModel):
    case = models.OneToOneField("cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="dashboard_fact")
    seq = models.PositiveIntegerField(default=0)  # the last event folded in (= the case's version then)
    # dimensions (the case's, as of that event)
    street_id = models.PositiveBigIntegerField(default=0)
    community_id = models.PositiveBigIntegerField(default=0)
    lead_unit_id = models.PositiveBigIntegerField(default=0)  # the current lead unit (none after a return)
    category_id = models.PositiveBigIntegerField(default=0)
    channel = models.CharField(max_length=20)
    appeal_type = models.CharField(max_length=12, default="help")  # cases.AppealType; set at registration
    state = models.CharField(max_length=12)
    # the days (Asia/Shanghai) each KPI's time basis reads
    registered_day = models.DateField()
    dispatched_day = models.DateField(null=True)  # the first dispatch (or consultation decision)
    resolved_day = models.DateField(null=True)  # the current resolution (none while reopened)
    rated_day = models.DateField(null=True)  # the latest rating
    deadline_day = models.DateField(null=True)  # the current deadline (extensions included)
    supervised_day = models.DateField(null=True)  # the first supervision
    escalated_day = models.DateField(null=True)  # the first escalation to consultation
    # outcome flags
    counted = models.BooleanField(default=True)  # neither merged nor withdrawn
    resolved = models.BooleanField(default=False)
    accepted_on_time = models.BooleanField(default=False)
    returned = models.BooleanField(default=False)
    returned_twice = models.BooleanField(default=False)
    resolved_on_time = models.BooleanField(default=False)
    reopened = models.BooleanField(default=False)
    satisfied = models.BooleanField(default=False)  # the latest rating is 满意 or 基本满意
    overdue = models.BooleanField(default=False)  # resolved after its deadline, or unresolved with the clock running
    handling_days = models.PositiveIntegerField(default=0)  # working days from the first dispatch to the resolution

    class Meta:
        verbose_name = _("工单指标事实")
        verbose_name_plural = _("工单指标事实")
        indexes = [
            *(models.Index(fields=["district", day], name=f"fact_{day.split('_')[0]}") for day in _DAY_FIELDS),
            # the facts whose case's clock ran when they were folded, by each time basis: the few of a figure that
            # can be red, yellow or green now (selectors.may_run; a month's resolved cases hold almost none)
            *(models.Index(fields=["district", day], name=f"fact_{day.split('_')[0]}_run",
                           condition=models.Q(state__in=CLOCK_STATES)) for day in _DAY_FIELDS),
        ]


class CaseReturn(TenantModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()  # the return event's
    day = models.DateField()
    unit_id = models.PositiveBigIntegerField(default=0)  # the unit that returned it (the lead unit before)
    category_id = models.PositiveBigIntegerField(default=0)
    street_id = models.PositiveBigIntegerField(default=0)
    community_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("退单记录")
        verbose_name_plural = _("退单记录")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="uniq_dashboard_return")]
        indexes = [models.Index(fields=["district", "day"], name="return_day")]


class CaseRedSpan(TenantModel):
    """A stretch of time a case was red (超期: the clock running, the deadline past), as its events say
    (`facts.red_spans_of`): red at moment t ⇔ red_from < t ≤ red_until (none: still red). The weekly report lists
    the cases red at a week's end as they were then — the deadline and state of that moment — from these."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()  # the event that began the stretch's state
    red_from = models.DateTimeField()
    red_until = models.DateTimeField(null=True)
    deadline = models.DateTimeField()  # the deadline then
    state = models.CharField(max_length=12)  # the state then

    class Meta:
        verbose_name = _("超期时段")
        verbose_name_plural = _("超期时段")
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="uniq_dashboard_red_span")]
        indexes = [models.Index(fields=["red_until"], name="red_span_until")]


class RollupMeasures(models.Model):
    """One column per measures.MEASURES entry (a test holds them equal): what every rollup table sums."""

    intake = models.IntegerField(default=0)
    intake_counted = models.IntegerField(default=0)
    intake_resolved = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    accepted_on_time = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    returned_twice = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    handling_days = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    supervised = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)

    class Meta:
        abstract = True


class StreetDayRollup(TenantModel, RollupMeasures):
    """What every rollup is keyed by first: the district, the day and the street (0: none)."""

    day = models.DateField()
    street_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.day}"


class DailyRollup(StreetDayRollup):
    """Per day × every dimension: nearly one row per case and measure day at city scale (the dimensions' product
    outgrows a day's cases), so the overview reads the coarser rollups below whenever they hold what it asks."""

    community_id = models.PositiveBigIntegerField(default=0)
    lead_unit_id = models.PositiveBigIntegerField(default=0)
    category_id = models.PositiveBigIntegerField(default=0)
    channel = models.CharField(max_length=20)
    appeal_type = models.CharField(max_length=12, default="help")

    class Meta:
        verbose_name = _("日汇总")
        verbose_name_plural = _("日汇总")
        constraints = [models.UniqueConstraint(
            fields=["district", "day", "street_id", "community_id", "lead_unit_id", "category_id", "channel",
                    "appeal_type"],
            name="uniq_daily_rollup")]
        indexes = [models.Index(fields=["street_id", "day"], name="rollup_street_day"),
                   models.Index(fields=["community_id", "day"], name="rollup_community_day"),
                   models.Index(fields=["lead_unit_id", "day"], name="rollup_unit_day")]


# The coarser rollups: the same sums per day × street × one more dimension — a few hundred rows a day whatever the
# number of cases. `metrics.rollups` reads the smallest one holding every column a figure filters or groups by.


class StreetChannelRollup(StreetDayRollup):
    channel = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("日汇总（街道·来源）")
        verbose_name_plural = _("日汇总（街道·来源）")
        constraints = [models.UniqueConstraint(fields=["district", "day", "street_id", "channel"],
                                               name="uniq_rollup_street_channel")]


class StreetUnitRollup(StreetDayRollup):
    lead_unit_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("日汇总（街道·主办单位）")
        verbose_name_plural = _("日汇总（街道·主办单位）")
        constraints = [models.UniqueConstraint(fields=["district", "day", "street_id", "lead_unit_id"],
                                               name="uniq_rollup_street_unit")]
        indexes = [models.Index(fields=["street_id", "day"], name="rollup_su_street_day"),
                   models.Index(fields=["lead_unit_id", "day"], name="rollup_su_unit_day")]


class StreetCategoryRollup(StreetDayRollup):
    category_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("日汇总（街道·分类）")
        verbose_name_plural = _("日汇总（街道·分类）")
        constraints = [models.UniqueConstraint(fields=["district", "day", "street_id", "category_id"],
                                               name="uniq_rollup_street_category")]
        indexes = [models.Index(fields=["street_id", "day"], name="rollup_sc_street_day")]


# Every rollup table with its dimensions besides district and day, the smallest first (metrics.rollups picks the
# first that has the columns asked for; services.rollups_add keeps them all).
ROLLUPS = (
    (StreetChannelRollup, ("street_id", "channel")),
    (StreetUnitRollup, ("street_id", "lead_unit_id")),
    (StreetCategoryRollup, ("street_id", "category_id")),
    (DailyRollup, ("street_id", "community_id", "lead_unit_id", "category_id", "channel", "appeal_type")),
)


def new_version() -> str:
    """A fresh `RollupWatermark.version`: random, so a version names one committed state of the dashboard's tables
    (a rolled-back write takes its version back with it; a database restored or rebuilt never reuses one)."""
    return secrets.token_hex(16)


class RollupWatermark(models.Model):
    """One row (pk 1): how far the refresh has read the event log (services.rollups_refresh).

    Every event with an id up to `last_event_id` has been read, except the ids in `holes` — ids below it not
    visible when it was read (a transaction not yet committed, or rolled back), looked for again on every run until
    `SAFETY_LAG` after they were first missed. The watermark proper — everything at or below it is in the rollups —
    is `watermark()`."""

    last_event_id = models.BigIntegerField(default=0)
    holes = models.JSONField(default=dict)  # {str(event id): ISO time first missed}
    refreshed_at = models.DateTimeField(null=True)  # the last refresh's start: the figures are as of then
    # changed in the same transaction as every write of the facts, returns and rollups (services.py, the only
    # writers): the overview's figures are kept per version (selectors.overview_for)
    version = models.CharField(max_length=32, default=new_version)

    class Meta:
        verbose_name = _("汇总进度")
        verbose_name_plural = _("汇总进度")

    def __str__(self) -> str:
        return f"{self.watermark()}"

    def watermark(self) -> int:
        return min((int(k) - 1 for k in self.holes), default=self.last_event_id)

    def hole_ids(self) -> list[int]:
        return sorted(int(k) for k in self.holes)

    def unread(self) -> models.Q:
        """The case events the refresh has not read yet (a `CaseEvent` condition): past `last_event_id`, or in
        `holes`. The refresh reads them; a drill-down's ranks (selectors.may_run) treat their cases as changed."""
        return models.Q(pk__gt=self.last_event_id) | models.Q(pk__in=self.hole_ids())
