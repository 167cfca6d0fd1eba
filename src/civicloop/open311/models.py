"""Tables of the open311 app. Writes go through services.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel


class Submission(TenantModel):
    """What an Open311 client sent beside the case's own fields: the key it came with (who reached us), its
    idempotency token, the answers to the service definition's questions (structured; the case's description
    has them in words) and the photo link (never fetched by us)."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="open311_submission")
    api_key = models.ForeignKey("apikeys.ApiKey", on_delete=models.PROTECT, related_name="+", verbose_name=_("接口密钥"))
    token = models.CharField(_("客户端编号"), max_length=40, blank=True)
    attributes = models.JSONField(_("补充信息"), default=dict)
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 提交")
        verbose_name_plural = _("Open311 提交")
