"""Test helpers of the hotline app."""

from __future__ import annotations

from civicloop.cases.models import Category

from .models import CategoryMapping


def mapping_for_example(world) -> None:
    """The import template's example row maps: 市容环境/乱堆乱放 → 0103 (imports' template round-trip test)."""
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    CategoryMapping.objects.get_or_create(district=world.district, hotline_category="市容环境/乱堆乱放",
                                          defaults={"category": Category.objects.get(code="0103")})
