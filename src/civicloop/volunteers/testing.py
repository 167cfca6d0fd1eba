"""Test helpers: members and needs of the test world (`civicloop.testing.build_world`), made through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .constants import MemberKind, NeedCategory
from .services import member_register, need_post


def make_member(world, *, name="张志愿", phone="13912345678", kind=MemberKind.VOLUNTEER, community=None, unit=None,
                actor=None):
    return member_register(actor=actor or world.committee_worker, community_id=(community or world.comm_a1).pk,
                           kind=kind, name=name, phone=phone, unit_id=unit.pk if unit else None)


def make_need(world, *, slots=3, title="独居老人探访", starts_in=dt.timedelta(hours=-1), hours=3, community=None,
              actor=None, now=None):
    now = now or timezone.now()
    start = now + starts_in
    return need_post(actor=actor or world.committee_worker, community_id=(community or world.comm_a1).pk,
                     title=title, category=NeedCategory.ELDERLY_VISIT, starts_at=start,
                     ends_at=start + dt.timedelta(hours=hours), slots=slots, now=now)
