"""The members' hours per year (`MemberYearHours`), kept beside the ledger: every ledger row a service writes adds
its hours to its member's total of the row's year in the same transaction (`add_to_totals`); a bulk writer of the
ledger (the demo, the bench) recomputes a district's totals from it afterwards (`totals_rebuild`)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Sum

from ..models import HoursEntry, MemberYearHours


def add_to_totals(entry: HoursEntry) -> None:
    """Add a ledger row's hours (a correction's may be negative) to its member's total of the row's year: an
    UPDATE … SET hours = hours + x (two check-outs of one member at once both count), or the year's first row —
    if another transaction made it meanwhile, the unique (member, year) says so and the UPDATE is done instead."""
    year = entry.day.year
    if MemberYearHours.objects.filter(member_id=entry.member_id, year=year).update(hours=F("hours") + entry.hours):
        return
    try:
        with transaction.atomic():
            MemberYearHours.objects.create(district_id=entry.district_id, street_id=entry.street_id,
                                           community_id=entry.community_id, member_id=entry.member_id, year=year,
                                           unit_id=entry.unit_id, hours=entry.hours)
    except IntegrityError:
        MemberYearHours.objects.filter(member_id=entry.member_id, year=year).update(hours=F("hours") + entry.hours)


@transaction.atomic
def totals_rebuild(*, district_id: int) -> int:
    """The district's totals computed again from its ledger (after a bulk write of the ledger): one GROUP BY per
    year over a range of `day` (the ledger's index serves it), the territory and unit the member's. Returns the
    number of totals written."""
    MemberYearHours.objects.filter(district_id=district_id).delete()
    ledger = HoursEntry.objects.filter(district_id=district_id).order_by()
    span = ledger.aggregate(first=Min("day"), last=Max("day"))
    if span["first"] is None:
        return 0
    rows = []
    for year in range(span["first"].year, span["last"].year + 1):
        rows += [MemberYearHours(district_id=district_id, street_id=street, community_id=community, member_id=member,
                                 year=year, unit_id=unit, hours=hours)
                 for member, street, community, unit, hours in ledger.filter(
                     day__gte=dt.date(year, 1, 1), day__lt=dt.date(year + 1, 1, 1))
                 .values_list("member_id", "member__street_id", "member__community_id", "member__unit_id")
                 .annotate(h=Sum("hours")).values_list("member_id", "member__street_id", "member__community_id",
                                                       "member__unit_id", "h")]
    MemberYearHours.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
