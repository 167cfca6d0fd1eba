"""The routing app's tables: the fitted models and the suggestions shown. Writes: services.py only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel


class RoutingModel(TenantModel):
    """One fitted model of a district (`learn.Router`, pickled and compressed): every gunicorn worker reads the newest
    version from here and keeps it in memory until a newer one appears (selectors.current_router)."""

    version = models.PositiveIntegerField(_("版本"))
    fitted_at = models.DateTimeField(_("训练时间"))
    cases = models.PositiveIntegerField(_("训练工单数"))
    seconds = models.FloatField(_("训练耗时（秒）"), default=0)
    blob = models.BinaryField()
    # top-1 / top-3 accuracy on the newest closed cases held out of this fit (evaluate.holdout)
    quality = models.JSONField(_("质量"), default=dict)

    class Meta:
        verbose_name = _("派单模型")
        verbose_name_plural = _("派单模型")
        ordering = ["district", "-version"]
        constraints = [models.UniqueConstraint(fields=["district", "version"], name="uniq_routing_model_version")]


class Suggestion(TenantModel):
    """What a dispatcher was shown on a case's page: the model's version, the case's version then, the top categories
    and lead units with their probabilities. What they chose is the case's next triage and dispatch events
    (selectors.choices_of), so the acceptance rate reads the event log, never a second record of the dispatch."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    model_version = models.PositiveIntegerField(_("模型版本"))
    case_version = models.PositiveIntegerField()  # the case's version (its last event's seq) when shown
    shown_at = models.DateTimeField(_("展示时间"), db_index=True)
    shown_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    categories = models.JSONField(default=list)  # [[category id, p], …] most likely first
    units = models.JSONField(default=list)  # [[unit id, p], …] most likely first
    used_at = models.DateTimeField(null=True, blank=True)  # "use this" clicked (the dispatch went through the cases services)

    class Meta:
        verbose_name = _("派单建议")
        verbose_name_plural = _("派单建议")
        ordering = ["-shown_at"]
        constraints = [models.UniqueConstraint(fields=["case", "model_version", "case_version"],
                                               name="uniq_routing_suggestion_shown")]
        indexes = [models.Index(fields=["district", "shown_at"], name="routing_suggestion_day")]
