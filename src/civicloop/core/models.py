from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TenantModel(models.Model):
    """Every operational table carries its district: the tenant key (a future Citus distribution column)."""

    district = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("区"), db_index=True
    )

    class Meta:
        abstract = True


class UnmaskLog(TenantModel):
    """One row per view of unmasked personal data (who saw whose what, when)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    fields = models.CharField(max_length=200)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.object_type}:{self.object_id}"


class AuditLog(models.Model):
    """One row per user action that is not already a case event: logins, logouts, failed logins, lockouts (and,
    as the apps add them, place and people edits, imports, exports, admin changes). Append-only: written by
    `core.services.audit_write`, read in the admin, never changed or deleted there.

    `user` is who acted (for a failed login: the account named, when it exists); `username` is the login as
    typed or held at the time, kept when the account is renamed or for a name that matches no account.
    `district` is the user's district when known: an auth event may have none (a platform administrator, an
    unknown name), so unlike the tenant tables it may be empty."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    district = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("区"))
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="core_audit_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or self.user_id} {self.action}"
