"""The plans API (django-ninja)."""

from ninja import Router

router = Router(tags=["plans"])
