from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import UnmaskReason


class TenantModel(models.Model):
    """Every operational table carries its district: the tenant key (a future Citus distribution column)."""

    district = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("区"), db_index=True
    )

    class Meta:
        abstract = True


class AppendOnlyError(RuntimeError):
    """A change or delete of a row of an append-only log (a programming error, never a user's)."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk `update()` and `delete()` refused: the logs only grow (rows past the retention are removed by
    `core.services.log_purge`, in SQL, through the path the PostgreSQL trigger allows)."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")


class AppendOnlyModel(models.Model):
    """A log row: saved once, never changed or deleted through the ORM (on PostgreSQL a trigger refuses UPDATE
    and DELETE in SQL too: migration 0005)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only: row {self.pk} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only: row {self.pk} cannot be deleted")


# The logs outlive what they name: their user and district keys carry no database constraint and nothing cascades
# (DO_NOTHING), so deleting an account or a generated district (`demo --reset`) leaves every row as written — an
# append-only log could not be cleared first anyway.


class UnmaskLog(AppendOnlyModel, TenantModel):
    """One row per view of unmasked personal data (who saw whose what, when, and why: a `UnmaskReason` and a
    text, required for OTHER). `district` is the object's; empty only for an object without one (a staff
    account of no district, revealed in the admin)."""

    district = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.DO_NOTHING,
                                 db_constraint=False, related_name="+", verbose_name=_("区"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    fields = models.CharField(max_length=200)
    reason_code = models.CharField(_("理由"), max_length=20, choices=UnmaskReason.choices, blank=True)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "-at"], name="core_unmask_user_at")]  # the rate limit's count

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.object_type}:{self.object_id}"


class AuditLog(AppendOnlyModel):
    """One row per user action that is not already a case event: logins, logouts, failed logins and lockouts
    (`orgs.constants.AuthEvent`), imports, every change made in the Django admin and purges of the logs
    themselves (`core.constants.AuditAction`) — place and people records change only through those two.
    Append-only (`AppendOnlyModel`): written by `core.services.audit_write`, read in the admin.

    `user` is who acted (for a failed login: the account named, when it exists); `username` is the login as
    typed or held at the time, kept when the account is renamed or for a name that matches no account.
    `district` is the user's district when known: an auth event may have none (a platform administrator, an
    unknown name), so unlike the tenant tables it may be empty."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    district = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.DO_NOTHING,
                                 db_constraint=False, related_name="+", verbose_name=_("区"))
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


class RateCount(models.Model):
    """How many times a client did something in one fixed window (`core.ratelimit`): the portal's reports per
    address, an API key's requests. A counter row per (key, window start), kept in the database so every app
    server counts together; rows of past windows are removed by `core.tasks.rate_counts_purge`."""

    key = models.CharField(_("键"), max_length=200)
    window_start = models.BigIntegerField(_("窗口起点"))  # seconds since the epoch, a multiple of the window
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="core_ratecount_key_window")]
        indexes = [models.Index(fields=["window_start"], name="core_ratecount_window")]

    def __str__(self) -> str:
        return f"{self.key} @{self.window_start}: {self.count}"
