"""Tables of the closed loop. Writes go through services/; the Case row is a projection of its CaseEvents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import (
    DEFAULT_TIME_LIMITS,
    Action,
    AppealType,
    CaseState,
    Channel,
    ExtensionState,
    Layer,
    MeetingState,
    ReplyChannel,
    Satisfaction,
    SupervisionKind,
    Urgency,
)

USER = settings.AUTH_USER_MODEL


class Category(models.Model):
    """Two-level 12345 taxonomy (parent → child). Reference data shared by districts, not a tenant table."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级分类"))
    limit_normal = models.PositiveSmallIntegerField(_("一般时限（工作日）"), default=DEFAULT_TIME_LIMITS[Urgency.NORMAL])
    limit_urgent = models.PositiveSmallIntegerField(_("紧急时限（工作日）"), default=DEFAULT_TIME_LIMITS[Urgency.URGENT])
    limit_critical = models.PositiveSmallIntegerField(_("特急时限（工作日）"), default=DEFAULT_TIME_LIMITS[Urgency.CRITICAL])
    default_lead = models.CharField(_("默认牵头部门"), max_length=60, blank=True, help_text=_("部门名称，如 区房管局"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题分类")
        verbose_name_plural = _("问题分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.parent.name}/{self.name}" if self.parent_id else self.name

    def time_limit(self, urgency: str) -> int:
        return {Urgency.NORMAL: self.limit_normal, Urgency.URGENT: self.limit_urgent,
                Urgency.CRITICAL: self.limit_critical}[Urgency(urgency)]


class CaseCounter(TenantModel):
    """Per-district, per-year sequence for tracking codes, taken with `UPDATE … RETURNING` (row-locked)."""

    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)
    prefix = models.CharField(max_length=8, blank=True)  # the district's abbreviation when the year began

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="uniq_case_counter")]


class Case(TenantModel):
    tracking_code = models.CharField(_("工单编号"), max_length=20, unique=True)
    channel = models.CharField(_("来源"), max_length=20, choices=Channel.choices)
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("分类"))
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    appeal_type = models.CharField(_("诉求类型"), max_length=12, choices=AppealType.choices, default=AppealType.HELP)
    layer = models.CharField(_("层级"), max_length=10, choices=Layer.choices, blank=True)
    # where
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("地点"))
    street = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    community = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("居委"))
    household = models.ForeignKey("places.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("places.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.TextField(_("诉求内容"))
    # who raised it (masked on read: selectors.case_reporter_for; a logged reveal: services.case_reporter_reveal)
    reporter_name = models.CharField(_("诉求人"), max_length=40, blank=True)
    reporter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    reporter_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    reporter_anonymous = models.BooleanField(_("匿名"), default=False)
    registered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # who handles it
    dispatching_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("派单单位"))
    lead_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位"))
    co_units = models.ManyToManyField("orgs.Unit", through="CaseCoUnit", related_name="+", verbose_name=_("协办单位"))
    # time (time_state green/yellow/red is derived in selectors.with_time_state)
    time_limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("办理期限"), null=True, blank=True, db_index=True)
    yellow_at = models.DateTimeField(_("临期时点"), null=True, blank=True)  # 80 % of the working time used
    # counted over a year whose holidays were computed from the rules, not yet official or confirmed (暂定)
    deadline_provisional = models.BooleanField(_("期限暂定"), default=False)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    # the loop
    state = models.CharField(_("状态"), max_length=12, choices=CaseState.choices, default=CaseState.REGISTERED)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    unsatisfied_count = models.PositiveSmallIntegerField(_("不满意次数"), default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases", verbose_name=_("合并到"))
    version = models.PositiveIntegerField(default=0)  # optimistic lock; = seq of the last event
    # the registration's moment, set by the intake with its event's (`services/intake._write`)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "channel", "external_id"], condition=~Q(external_id=""),
                                    name="uniq_case_external_id"),
        ]
        indexes = [
            # inbox and lists: who (territory or unit) + state, then the columns of the time state (red/yellow
            # first) and the id, so counting and ordering a section can read the index alone; a territory's
            # include the lead unit, which a viewer's visibility (territory OR own unit) reads: the dashboard's
            # live open/yellow/red counts are then index-only scans (PostgreSQL; SQLite ignores `include`)
            models.Index(fields=["district", "state", "deadline", "yellow_at", "id"], name="case_district_inbox",
                         include=["lead_unit"]),
            models.Index(fields=["street", "state", "deadline", "yellow_at", "id"], name="case_street_inbox",
                         include=["lead_unit"]),
            models.Index(fields=["community", "state", "deadline", "yellow_at", "id"], name="case_community_inbox",
                         include=["lead_unit"]),
            models.Index(fields=["lead_unit", "state", "deadline", "yellow_at", "id"], name="case_lead_unit_inbox"),
            models.Index(fields=["dispatching_unit", "state"]),  # the extensions an approver decides
            # a district's cases newest first within a window: Open311 GET requests (open311.selectors)
            models.Index(fields=["district", "created_at", "id"], name="case_district_created"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class CaseCoUnit(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="co_unit_links")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "unit"], name="uniq_case_co_unit")]
        indexes = [models.Index(fields=["unit", "case"])]


class CaseEvent(TenantModel):
    """Append-only. `after` holds the projected fields this event set (see events.TRACKED_FIELDS)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")  # null = system
    actor_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=24)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    note = models.TextField(blank=True)
    attachments = models.JSONField(default=list)

    class Meta:
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="uniq_case_event_seq")]


# a supervision awaiting the lead unit's answer: neither answered nor closed with its case (`Supervision.OPEN`)
_SUPERVISION_OPEN = Q(replied_at__isnull=True, lapsed_at__isnull=True)


class Supervision(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supervisions")
    kind = models.CharField(_("类型"), max_length=10, choices=SupervisionKind.choices)
    opened_at = models.DateTimeField(_("督办时间"))
    opened_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_by_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notice = models.TextField(_("督办通知"))
    reply = models.TextField(_("督办回复"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    # Closed with its case (销号): the case ended — closed, merged, withdrawn — with this notice unanswered; no answer
    # can come any more (services._core.supervisions_lapse).
    lapsed_at = models.DateTimeField(_("随工单销号时间"), null=True, blank=True)
    # For automatic supervision: the deadline of the overdue episode (ISO), so each episode is supervised once.
    overdue_episode = models.CharField(max_length=40, blank=True)

    OPEN = _SUPERVISION_OPEN

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "overdue_episode"], condition=Q(kind=SupervisionKind.AUTO),
                                    name="uniq_auto_supervision_episode"),
        ]
        # the open ones only: a district's years of answered and lapsed notices stay out of the inbox's probe
        indexes = [models.Index(fields=["case"], condition=_SUPERVISION_OPEN, name="supervision_open")]


class ExtensionRequest(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extension_requests")
    days = models.PositiveSmallIntegerField(_("延期天数（工作日）"))
    reason = models.TextField(_("理由"))
    state = models.CharField(_("状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["case"], condition=Q(state=ExtensionState.PENDING), name="extension_pending")]


class Reply(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="replies")
    channel = models.CharField(_("答复方式"), max_length=10, choices=ReplyChannel.choices, blank=True)
    content = models.TextField(_("答复内容"), blank=True)
    unreachable = models.BooleanField(_("无法联系"), default=False)
    via_case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")  # merge target
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["-at"]


class Rating(TenantModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ratings")
    value = models.CharField(_("评价"), max_length=12, choices=Satisfaction.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["-at"]


class Meeting(TenantModel):
    """A consultation meeting of a consultation body (an orgs.Unit of kind consultation_body)."""

    body = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("会商机构"))
    date = models.DateField(_("会议日期"))
    title = models.CharField(_("议题"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("会商会议")
        verbose_name_plural = _("会商会议")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class AgendaItem(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="uniq_agenda_case")]


class Decision(TenantModel):
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    lead_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位"))
    co_unit_ids = models.JSONField(_("协办单位"), default=list)
    measures = models.TextField(_("措施"))
    deadline = models.DateTimeField(_("办理期限"))
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()


class Notification(TenantModel):
    """In-app notice to one person (`user`), with its own `read_at`; `unit` is the unit it reached them through
    (the case's lead unit, co-unit, dispatching unit …). Created after commit, idempotent by `dedupe_key`."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    # who acted, and for which unit (the event's actor; null: the system, or a notice from before they were kept)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=24)  # the event's action (`constants.Action`)
    # The event's note (a reason, a result …) as it was written. The notice itself is not stored: `text` renders
    # it in the reader's language from its parts (the action, the case's tracking code, this note).
    note = models.CharField(_("备注"), max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    @property
    def text(self) -> str:
        """The notice in the active language — the reader's, as the page or the API request set it: "工单
        XH2026-0000001：派单 — the note". Who acted is shown next to it (`actor`, `actor_unit`). Reads `case`:
        load it with the notice (`selectors.notifications_for` does)."""
        try:
            action = str(Action(self.kind).label)
        except ValueError:
            action = self.kind
        text = (gettext("工单 %(code)s：%(action)s") % {"code": self.case.tracking_code, "action": action}
                if self.case_id else action)
        return f"{text} — {self.note}" if self.note else text
