"""A work meeting (工作例会), its agenda items (each a snapshot of what it pointed at when the pack was built) and
its decisions (each become exactly one task, case or re-dispatch: see services/decisions.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import DecisionKind, ItemSource, MeetingState

USER = settings.AUTH_USER_MODEL


class Meeting(TenantModel):
    """A regular meeting of the district (street None) or of one street. `previous` is the meeting of the same
    scope before it, found when the pack is built: its decisions are followed up in this pack."""

    street = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("街道"))
    title = models.CharField(_("会议名称"), max_length=200)
    date = models.DateField(_("会议日期"))
    chair = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("主持人"))
    state = models.CharField(_("状态"), max_length=10, choices=MeetingState.choices, default=MeetingState.PLANNED)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("上次例会"))
    pack_built_at = models.DateTimeField(_("材料生成时间"), null=True, blank=True)
    # per source: how many items it had beyond those listed (ITEMS_PER_SOURCE), {source: count}
    pack_more = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("工作例会")
        verbose_name_plural = _("工作例会")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["district", "street", "date"], name="meeting_scope_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class AgendaItem(TenantModel):
    """One item of the pack: what it pointed at (`source`, `ref_id`) and how that stood when the pack was built
    (title, status, due, unit, link) — the pack reads the same tomorrow. Minutes are recorded against it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(_("来源"), max_length=16, choices=ItemSource.choices)
    ref_id = models.BigIntegerField(null=True, blank=True)  # the milestone, case or earlier decision; None: by hand
    title = models.CharField(_("议题"), max_length=300)
    status = models.CharField(_("状态"), max_length=20, blank=True)  # a plans TaskStatus or a cases CaseState
    status_kind = models.CharField(max_length=8, blank=True)  # constants.OutcomeKind: which vocabulary `status` is in
    due = models.DateField(_("期限"), null=True, blank=True)
    unit_name = models.CharField(_("责任单位"), max_length=100, blank=True)
    url = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # what else the snapshot shows (plan, overdue days …)
    minutes = models.TextField(_("会议记录"), blank=True)
    minutes_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    minutes_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("例会议题")
        verbose_name_plural = _("例会议题")
        ordering = ["meeting", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "source", "ref_id"], condition=Q(ref_id__isnull=False),
                                               name="uniq_meeting_item_ref")]

    def __str__(self) -> str:
        return self.title


class Decision(TenantModel):
    """A decision of a meeting (on an agenda item, or on the meeting as a whole), and the one thing it became: a
    plan task (`task_id`, plans' Task with source "meeting_decision" / this id), a new case or a re-dispatched one
    (`case`). `key` makes recording it idempotent: the same decision submitted twice is one decision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("决定类型"), max_length=12, choices=DecisionKind.choices)
    text = models.TextField(_("决定内容"))
    key = models.CharField(max_length=64)
    # what it was made into (the task is plans', read through plans.selectors.tasks_by_source)
    task_id = models.BigIntegerField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("责任单位"))  # the task's owner or the re-dispatch's lead unit
    due = models.DateField(_("完成期限"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("例会决定")
        verbose_name_plural = _("例会决定")
        ordering = ["meeting", "id"]
        # exactly one outcome, of its kind: written in the decision's transaction (the task needs the decision's
        # id first, so no check constraint can say it at insert time; services/decisions.py and its tests do)
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="uniq_meeting_decision_key")]

    def __str__(self) -> str:
        return self.text[:40]
