"""Lookups shared by the kinds: the district's places and tags, loaded once per import."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civicloop.places.models import Place, Tag

from ..spec import RowProblem


def places_by_code(ctx, *levels: str) -> dict[str, dict]:
    """{code: {id, level, street_id, community_id, path}} of places the actor sees in the import district."""
    cache_key = "places:" + ",".join(levels)
    if cache_key not in ctx.cache:
        qs = ctx.scope.filter_places(Place.objects.filter(district_id=ctx.district.pk))
        if levels:
            qs = qs.filter(level__in=levels)
        ctx.cache[cache_key] = {
            r["code"]: r for r in qs.values("id", "code", "level", "street_id", "community_id", "path")
        }
    return ctx.cache[cache_key]


def tag_ids(ctx, target: str, names: tuple | None, column: str = "tags") -> frozenset:
    """Tag ids for a list of tag codes or names; unknown ones are a row problem."""
    if not names:
        return frozenset()
    cache_key = f"tags:{target}"
    if cache_key not in ctx.cache:
        lookup = {}
        for tag_id, code, name in Tag.objects.filter(target=target).values_list("id", "code", "name"):
            lookup[code] = lookup[name] = tag_id
        ctx.cache[cache_key] = lookup
    lookup = ctx.cache[cache_key]
    unknown = [n for n in names if n not in lookup]
    if unknown:
        raise RowProblem(column, _("未知标签：%(tags)s。") % {"tags": "、".join(unknown)})
    return frozenset(lookup[n] for n in names)


def blank(value) -> str:
    return "" if value is None else value
