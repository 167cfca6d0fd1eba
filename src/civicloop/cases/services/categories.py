"""The shipped 12345 taxonomy (cases/data/categories.json)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from ..models import Category

DATA = Path(__file__).resolve().parent.parent / "data" / "categories.json"


def default_taxonomy() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


@transaction.atomic
def categories_ensure_defaults() -> int:
    """Create the shipped categories that are missing (by code); never changes existing ones. Returns created."""
    created = 0
    for parent_row in default_taxonomy():
        limits = parent_row.get("limits", {})
        parent, was = Category.objects.get_or_create(code=parent_row["code"], defaults={
            "name": parent_row["name"], "default_lead": parent_row.get("lead", ""), **_limits(limits)})
        created += was
        for child in parent_row["children"]:
            _, was = Category.objects.get_or_create(code=child["code"], defaults={
                "name": child["name"], "parent": parent, "default_lead": child.get("lead", parent_row.get("lead", "")),
                **_limits({**limits, **child.get("limits", {})})})
            created += was
    return created


def _limits(limits: dict) -> dict:
    names = {"normal": "limit_normal", "urgent": "limit_urgent", "critical": "limit_critical"}
    return {names[k]: v for k, v in limits.items()}
