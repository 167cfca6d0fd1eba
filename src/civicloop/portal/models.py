"""What the portal keeps of a report beyond the case: the digest of the secret printed with its tracking code.
The case itself (with the reporter's phone) is the cases app's, written by its intake service only."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel


class PortalReport(TenantModel):
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("工单"))
    # HMAC-SHA256 of the secret under SECRET_KEY (the secret has ~40 bits and proofs are rate-limited per code, so
    # a slow password hash would only slow every report down); never the secret itself
    secret_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("上报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("市民上报")
        verbose_name_plural = _("市民上报")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.case_id)
