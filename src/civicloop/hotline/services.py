"""The hotline app's writers: the category mapping. (Work orders are written by the import kind, `import_kinds`,
through `cases.services.case_register_bulk`; replies are the cases app's.)"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civicloop.cases.models import Category
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write

from .constants import AUDIT_MAPPING
from .error_codes import HotlineErrorCode
from .models import CategoryMapping
from .selectors import desk_district_id


@transaction.atomic
def mapping_set(*, actor, hotline_category: str, category_id: int) -> CategoryMapping:
    """Map a 12345 category (its name as the hotline's files write it) to one of ours, in the actor's district:
    a new row, or the existing one re-pointed. Later imports register that category's work orders."""
    district_id = desk_district_id(actor)
    if district_id is None:  # a superuser without a unit: whose district would it be?
        raise CivicError(ErrorCode.INVALID, _("请使用区级账号维护本区的分类对照。"))
    name = (hotline_category or "").strip()
    if not name or len(name) > 100:
        raise CivicError(HotlineErrorCode.MAPPING_INVALID, _("请填写12345分类（不超过100字）。"))
    if not Category.objects.filter(pk=category_id, active=True).exists():
        raise CivicError(HotlineErrorCode.MAPPING_INVALID, _("分类不存在。"))
    mapping, created = CategoryMapping.objects.select_for_update().get_or_create(
        district_id=district_id, hotline_category=name, defaults={"category_id": category_id})
    before = None if created else mapping.category_id
    if not created and mapping.category_id != category_id:
        mapping.category_id = category_id
        mapping.save(update_fields=["category", "updated_at"])
    audit_write(action=AUDIT_MAPPING, user=actor, district_id=district_id, object_type="hotline.categorymapping",
                object_id=mapping.pk, details={"hotline_category": name, "category_id": category_id, "before": before})
    return mapping


@transaction.atomic
def mapping_delete(*, actor, mapping_id: int) -> None:
    """Remove a mapping of the actor's district (its category's work orders are then reported unmapped)."""
    district_id = desk_district_id(actor)
    mapping = CategoryMapping.objects.filter(pk=mapping_id, district_id=district_id).first()
    if mapping is None:
        raise not_found()
    audit_write(action=AUDIT_MAPPING, user=actor, district_id=district_id, object_type="hotline.categorymapping",
                object_id=mapping.pk, details={"hotline_category": mapping.hotline_category, "deleted": True,
                                               "before": mapping.category_id})
    mapping.delete()
