"""Demo step: the 12345 desk's category mapping for the demo district (`data/category_mapping.json`), so the sample
file (`data/sample_12345.csv`) imports at once on /hotline/; one of its categories is left unmapped on purpose, to
show how an unmapped category is reported."""

from __future__ import annotations

import json
from pathlib import Path

from civicloop.cases.models import Category

from .models import CategoryMapping, WorkOrder

DATA = Path(__file__).parent / "data"


def mapping_table() -> dict[str, str]:
    """{12345 category: our category code}."""
    return json.loads((DATA / "category_mapping.json").read_text(encoding="utf-8"))["mappings"]


def mappings_ensure(district) -> int:
    """The mapping table for `district` (rows already there kept as they are); how many were added."""
    codes = dict(Category.objects.values_list("code", "pk"))
    have = set(CategoryMapping.objects.filter(district=district).values_list("hotline_category", flat=True))
    rows = [CategoryMapping(district=district, hotline_category=name, category_id=codes[code])
            for name, code in mapping_table().items() if name not in have and code in codes]
    CategoryMapping.objects.bulk_create(rows)
    return len(rows)


def generate_mappings(ctx) -> None:
    added = mappings_ensure(ctx.district)
    ctx.log(f"hotline: {added} category mappings")


def delete_hotline(district) -> None:
    """The demo's reset step: the district's work orders (they point at cases) and mappings."""
    WorkOrder.objects.filter(district=district).delete()
    CategoryMapping.objects.filter(district=district).delete()
