"""The hotline exchange's tables: the category mapping (12345's names → ours) and the work orders received.

A `WorkOrder` is the hotline's record of a case it sent: its number (the case's `external_id` in channel
`hotline_12345`), when the hotline received the call, the hotline's own category, urgency and deadline — as the
last import stated them (a re-import updates urgency and deadline, never duplicates).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import Urgency
from civicloop.core.models import TenantModel


class CategoryMapping(TenantModel):
    hotline_category = models.CharField(_("12345分类"), max_length=100)
    category = models.ForeignKey("cases.Category", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("本系统分类"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("12345分类对照")
        verbose_name_plural = _("12345分类对照")
        ordering = ["hotline_category"]
        constraints = [models.UniqueConstraint(fields=["district", "hotline_category"], name="uniq_hotline_mapping")]

    def __str__(self) -> str:
        return self.hotline_category


class WorkOrder(TenantModel):
    work_order_no = models.CharField(_("工单号"), max_length=64)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="hotline_order",
                                verbose_name=_("工单"))
    received_at = models.DateTimeField(_("受理时间"))
    hotline_category = models.CharField(_("12345分类"), max_length=100)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    deadline = models.DateTimeField(_("热线期限"), null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("12345工单")
        verbose_name_plural = _("12345工单")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["district", "work_order_no"], name="uniq_hotline_work_order")]

    def __str__(self) -> str:
        return self.work_order_no
