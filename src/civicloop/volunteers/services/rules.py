"""Recognition rules (kept as data; the list itself is computed when read: selectors.recognition_for)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from ..constants import VolunteerAuditAction
from ..models import RecognitionRule
from ..permissions import may_keep_rules
from ._common import audit, text_required


@transaction.atomic
def rule_save(*, actor, name: str, top_n: int, min_hours: Decimal, street_id: int | None = None,
              kind: str | None = None, rule_id: int | None = None) -> RecognitionRule:
    scope = scope_for(actor)
    if not may_keep_rules(actor, scope.district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if street_id is not None and not Place.objects.filter(pk=street_id, level=PlaceLevel.STREET,
                                                          district_id=scope.district_id).exists():
        raise not_found()
    if rule_id is not None:
        rule = RecognitionRule.objects.select_for_update().filter(pk=rule_id, district_id=scope.district_id).first()
        if rule is None:
            raise not_found()
    else:
        rule = RecognitionRule(district_id=scope.district_id)
    rule.name, rule.top_n, rule.min_hours = text_required(name, _("名称")), top_n, min_hours
    rule.street_id, rule.kind = street_id, kind or ""
    rule.save()
    audit(actor, VolunteerAuditAction.RULE_SAVE, rule, top_n=top_n, min_hours=str(min_hours), street=street_id,
          kind=kind or "")
    return rule
