"""How good a model is: top-1 / top-3 accuracy of its categories and lead units over labelled examples. Pure; the
labelled set written by hand for the evaluation (`data/labelled.tsv`, never trained on) is read by `labelled()`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .learn import Example, Router

LABELLED = Path(__file__).parent / "data" / "labelled.tsv"


@dataclass(frozen=True)
class Labelled:
    category_code: str
    unit_name: str  # the demo district's lead department
    text: str


def labelled() -> list[Labelled]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, unit, text = line.split("\t")
            rows.append(Labelled(code, unit, text))
    return rows


def accuracy(router: Router, examples: list[Example], units: list[set[str]] | None = None) -> dict[str, float]:
    """{category_top1, category_top3, unit_top1, unit_top3} over `examples` (their labels: category_id, unit).
    `units`: per example, the unit labels that count as right (default: the example's own)."""
    if not examples:
        return {}
    hits = {"category_top1": 0, "category_top3": 0, "unit_top1": 0, "unit_top3": 0}
    for i, (cats, unit_labels) in enumerate(router.suggest_many(examples)):
        e = examples[i]
        right = units[i] if units is not None else {e.unit}
        cat_ids = [c for c, _p in cats]
        unit_ids = [u for u, _p in unit_labels]
        hits["category_top1"] += bool(cat_ids) and cat_ids[0] == e.category_id
        hits["category_top3"] += e.category_id in cat_ids
        hits["unit_top1"] += bool(unit_ids) and unit_ids[0] in right
        hits["unit_top3"] += bool(right & set(unit_ids))
    return {k: round(v / len(examples), 3) for k, v in hits.items()} | {"n": len(examples)}
