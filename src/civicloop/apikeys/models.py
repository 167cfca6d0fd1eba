"""Tables of the apikeys app. Writes go through services.py; reads through selectors.py (scoped)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import DEFAULT_RATE_LIMIT, KEY_LABEL

USER = settings.AUTH_USER_MODEL


class ApiKey(TenantModel):
    """A key another system presents. Never stored in clear: `prefix` identifies it to people, `key_hash` (the
    SHA-256 of the whole key, hex) is what a request is matched on. `district` bounds everything it reads and
    writes; `acting_user`, when set, is the staff account its registrations are made as (else the system)."""

    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("用途"), default=list)
    acting_user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("代为登记的工作人员"))
    rate_limit = models.PositiveIntegerField(_("每分钟请求上限"), default=DEFAULT_RATE_LIMIT)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("吊销人"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "created_at"], condition=Q(revoked_at__isnull=True),
                                name="apikey_district_active")]

    def __str__(self) -> str:
        return f"{self.name} ({self.shown_prefix})"

    @property
    def shown_prefix(self) -> str:
        """How people recognise the key: its first characters as handed out."""
        return f"{KEY_LABEL}_{self.prefix}_…"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_labels(self) -> list[str]:
        """The scopes in words (a key stored with a scope no longer offered shows its code)."""
        from .constants import KeyScope

        labels = dict(KeyScope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]
