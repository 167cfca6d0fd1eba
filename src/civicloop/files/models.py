"""One table: a stored file, the object it belongs to, and how it was checked. The bytes live on disk under
`storage.files_root()`, named by `storage_name` (random); the row is written by services only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import FileKind


class Attachment(TenantModel):
    """A file belonging to one object of an app (`owner_kind` "cases.case", `owner_id` its primary key). Who may see
    it is the owning app's rule (`owners.may_see`): there is no other way to read it."""

    key = models.CharField(max_length=32, unique=True)  # random, in the serving URL (never the storage name)
    owner_kind = models.CharField(_("所属对象类型"), max_length=40)
    owner_id = models.BigIntegerField(_("所属对象"))
    kind = models.CharField(_("类型"), max_length=10, choices=FileKind.choices)
    content_type = models.CharField(max_length=40)  # what it is served as: one of constants.JPEG/PNG/PDF
    name = models.CharField(_("文件名"), max_length=100)  # a safe download name (no path, our own suffix)
    size = models.PositiveIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    storage_name = models.CharField(max_length=64, unique=True)  # random; the file under files_root()
    metadata_kept = models.BooleanField(_("保留拍摄信息"), default=False)  # EXIF (location …) kept: staff evidence
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # null: the public (a citizen on the portal) or the system
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["owner_kind", "owner_id", "id"]
        indexes = [models.Index(fields=["owner_kind", "owner_id"])]

    def __str__(self) -> str:
        return self.name
