"""The hotline API at /api/hotline/: the replies feed (what the 12345 platform polls), the category mapping.

Auth: a staff session of the district's 12345 desk (`permissions.may_exchange`); the replies feed also an API key
of scope `hotline` (`apikeys.auth.KeyAuth`: the 12345 platform polls it without a person's session).
"""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from civicloop.apikeys.auth import KeyAuth
from civicloop.apikeys.constants import KeyScope
from civicloop.apikeys.models import ApiKey
from civicloop.core.api import READ_ERRORS, WRITE_ERRORS, ErrorOut, PathId

from . import selectors, services
from .inputs import MappingIn, RepliesIn

router = Router(tags=["hotline"])


class ReplyOut(Schema):
    cursor: int
    work_order_no: str
    tracking_code: str
    result: str
    reply: str
    unreachable: bool
    channel: str
    replied_at: dt.datetime
    satisfaction: str


class RepliesOut(Schema):
    items: list[ReplyOut]
    next_cursor: int


class MappingOut(Schema):
    id: int
    hotline_category: str
    category_id: int
    category: str


def _mapping_out(m) -> dict:
    return {"id": m.pk, "hotline_category": m.hotline_category, "category_id": m.category_id,
            "category": str(m.category)}


@router.get("/replies", auth=[django_auth, KeyAuth(KeyScope.HOTLINE)],
            response={200: RepliesOut, 403: ErrorOut, 429: ErrorOut, **READ_ERRORS})
def replies(request, params: Query[RepliesIn]):
    """Replies to 12345 work orders after `cursor`, oldest first; ask again with `next_cursor` to resume (the same
    cursor always answers the same replies). A staff session of the 12345 desk, or an API key of scope `hotline`
    (header `X-Api-Key` or `Authorization: Bearer`)."""
    if isinstance(request.auth, ApiKey):
        found = selectors.replies_since_for_key(request.auth, params.cursor, params.limit)
    else:
        found = selectors.replies_since(request.user, params.cursor, params.limit)
    return {"items": [vars(r) for r in found["items"]], "next_cursor": found["next_cursor"]}


@router.get("/mappings", response={200: list[MappingOut], 403: ErrorOut, **READ_ERRORS})
def mapping_list(request):
    return [_mapping_out(m) for m in selectors.mappings_for(request.user)]


@router.post("/mappings", response={200: MappingOut, **WRITE_ERRORS})
def mapping_set(request, payload: MappingIn):
    """Map a 12345 category to one of ours (a new mapping, or the existing one re-pointed)."""
    return _mapping_out(services.mapping_set(actor=request.user, **payload.dict()))


@router.delete("/mappings/{mapping_id}", response={204: None, **WRITE_ERRORS})
def mapping_delete(request, mapping_id: PathId):
    services.mapping_delete(actor=request.user, mapping_id=mapping_id)
    return Status(204, None)
