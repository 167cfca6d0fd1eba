"""Assignment: a campaign's subjects built from its scope and given to its teams — from pairing, then area —
re-runnable without losing or moving visits already made; and by hand.

One run (`assignment_apply`), in a few set-wise queries whatever the size (~195,000 subjects in seconds):

1. **Subjects** — every household and enterprise of the district within the campaign's areas (streets and
   communities; none = the whole district), of the campaign's subject kinds. New ones are inserted in bulk
   (COPY / executemany: `_insert`), with their group and walk key from `visits.subjects`; a subject whose household
   or enterprise left the scope is deleted unless it has visits. A household whose key-group tags changed
   moves group.
   A subject whose walk key changed (a room renumbered, an enterprise renamed or moved, a key of an older
   form) gets the new one, visited or not: the walk order is never stale.
2. **Pinned** — a subject with visits, or assigned by hand, keeps its team.
3. **Blocks** — the rest is handed out in whole blocks so a team's walk stays contiguous: a household's
   building, an enterprise's park building (else the enterprise). A block where a team already visited stays
   with that team.
4. **Pairing** — a block of a paired park building, compound or community (that order) goes to the active
   teams of the paired party organisations, spread over them by count.
5. **The rest** — the remaining blocks, in walk order (street → community → compound → building), are cut into
   contiguous runs, one per active team, so that every team's total (pinned and paired included) comes as
   close to the same count as whole blocks allow ("water filling": a team already above the level gets none).
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Enterprise, Household, Place, Tag

from ..constants import CampaignAuditAction, PairingTarget, SubjectKind
from ..error_codes import VisitErrorCode
from ..models import Campaign, Pairing, Subject, Team, Visit
from ..permissions import campaign_may_assign, subject_may_unpin
from ..subjects import enterprise_group, enterprise_walk_key, household_group, household_walk_key
from .campaigns import campaign_for_change, invalid

CHUNK = 900  # ids per `IN (…)` (SQLite's default bound on parameters is 999)
MAX_BY_HAND = 5000  # subjects in one hand assignment


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _scope_q(campaign: Campaign) -> Q:
    """The campaign's areas as a filter on rows with street and community columns (no area: everything)."""
    areas = list(Place.objects.filter(pk__in=campaign.areas.values("pk")).values_list("pk", "level"))
    if not areas:
        return Q()
    streets = [pk for pk, level in areas if level == PlaceLevel.STREET]
    communities = [pk for pk, level in areas if level == PlaceLevel.COMMUNITY]
    return Q(street_id__in=streets) | Q(community_id__in=communities)


class _Item:
    """One subject during a run: what placing it needs (slots keep ~195,000 of them small)."""

    __slots__ = ("pk", "obj", "team_id", "pinned", "visited", "block", "order", "paired_place", "park_building")

    def __init__(self, pk, obj, team_id, block, order, paired_place=(), park_building=None):
        self.pk, self.obj, self.team_id = pk, obj, team_id
        self.pinned = self.visited = False
        self.block, self.order = block, order
        self.paired_place, self.park_building = paired_place, park_building


def _wanted(campaign: Campaign) -> dict[tuple, dict]:
    """{("h", household id) | ("e", enterprise id): the Subject columns it gives} within the scope now."""
    scope = _scope_q(campaign)
    key_tags = set(Tag.objects.filter(key_group=True).values_list("pk", flat=True))
    out: dict[tuple, dict] = {}
    if SubjectKind.HOUSEHOLD in campaign.subject_kinds:
        keyed = defaultdict(set)
        through = Household.tags.through
        for hid, tid in through.objects.filter(tag_id__in=key_tags, household__district_id=campaign.district_id) \
                .values_list("household_id", "tag_id"):
            keyed[hid].add(tid)
        rows = Household.objects.filter(scope, district_id=campaign.district_id).values_list(
            "pk", "street_id", "community_id", "building_id", "building__parent_id", "building__path", "room")
        for pk, street, community, building, compound, path, room in rows:
            walk = household_walk_key(SimpleNamespace(building=SimpleNamespace(path=path), room=room))
            out[("h", pk)] = {"kind": SubjectKind.HOUSEHOLD, "household_id": pk, "enterprise_id": None,
                              "group": household_group(key_tags, keyed.get(pk, ())), "street_id": street,
                              "community_id": community, "park_building_id": None, "walk_key": walk,
                              "_block": ("b", building), "_places": (compound, community)}
    if SubjectKind.ENTERPRISE in campaign.subject_kinds:
        keyed = defaultdict(set)
        through = Enterprise.tags.through
        for eid, tid in through.objects.filter(tag_id__in=key_tags, enterprise__district_id=campaign.district_id) \
                .values_list("enterprise_id", "tag_id"):
            keyed[eid].add(tid)
        rows = Enterprise.objects.filter(scope, district_id=campaign.district_id).values_list(
            "pk", "street_id", "community_id", "park_building_id", "name")
        for pk, street, community, building, name in rows:
            walk = enterprise_walk_key(SimpleNamespace(street_id=street, community_id=community,
                                                       park_building_id=building, name=name))
            out[("e", pk)] = {"kind": SubjectKind.ENTERPRISE, "household_id": None, "enterprise_id": pk,
                              "group": enterprise_group(key_tags, keyed.get(pk, ())), "street_id": street,
                              "community_id": community, "park_building_id": building, "walk_key": walk,
                              "_block": ("pb", building) if building else ("e", pk), "_places": (community,)}
    return out


def _water_levels(loads: list[int], extra: int) -> list[float]:
    """How many more each team should take so that `extra` raises the lowest loads to one level."""
    if not loads:
        return []
    order = sorted(loads)
    level, left = float(order[0]), extra
    for i in range(1, len(order) + 1):
        nxt = order[i] if i < len(order) else float("inf")
        room = (nxt - level) * i
        if room >= left:
            level += left / i
            break
        left -= room
        level = nxt
    return [max(0.0, level - load) for load in loads]


def _fill(blocks: list[tuple[tuple, list[_Item]]], team_ids: list[int], load: dict[int, int]) -> None:
    """Give `blocks` (in walk order) to `team_ids` as contiguous runs, one team after the other, each taking
    whole blocks up to the level that would even out the loads of the teams still to come (recomputed after
    each team, so one team's overshoot is shared by the rest); sets each item's team and updates `load`."""
    if not team_ids or not blocks:
        return
    sizes = [len(items) for _k, items in blocks]
    rest, i = sum(sizes), 0
    for n, team in enumerate(team_ids):
        waiting = team_ids[n:]
        cap = _water_levels([load[t] for t in waiting], rest)[0]
        taken = 0
        while i < len(blocks) and (n == len(team_ids) - 1 or taken + sizes[i] / 2 <= cap):
            for item in blocks[i][1]:
                item.team_id = team
            taken += sizes[i]
            i += 1
        load[team] += taken
        rest -= taken


def _place(items: list[_Item], campaign: Campaign) -> None:
    """Set `team_id` of every unpinned item (steps 3–5 of the module's docstring)."""
    teams = list(Team.objects.filter(campaign=campaign, active=True).order_by("name", "pk").values_list("pk", "unit_id"))
    team_ids = [t for t, _u in teams]
    by_unit = defaultdict(list)
    for team, unit in teams:
        by_unit[unit].append(team)
    by_building, by_place = defaultdict(set), defaultdict(set)
    for org, target, building, place in Pairing.objects.filter(district_id=campaign.district_id).values_list(
            "party_org_id", "target", "park_building_id", "place_id"):
        if target == PairingTarget.PARK_BUILDING:
            by_building[building].add(org)
        else:
            by_place[place].add(org)
    load = dict.fromkeys(team_ids, 0)
    visited_in_block: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    blocks: dict[tuple, list[_Item]] = defaultdict(list)
    for item in items:
        if item.pinned:
            if item.team_id in load:
                load[item.team_id] += 1
            if item.visited and item.team_id in load:
                visited_in_block[item.block][item.team_id] += 1
        else:
            item.team_id = None
            blocks[item.block].append(item)
    pools: dict[tuple, list] = defaultdict(list)
    for block, members in blocks.items():
        members.sort(key=lambda it: it.order)
        seen = visited_in_block.get(block)
        if seen:  # the team already walking this block keeps it
            team = max(sorted(seen), key=seen.get)
            for item in members:
                item.team_id = team
            load[team] += len(members)
            continue
        first = members[0]
        orgs = by_building.get(first.park_building, set()) if first.park_building else set()
        for place in first.paired_place:
            if orgs:
                break
            orgs = by_place.get(place, set())
        pool = tuple(sorted(t for org in orgs for t in by_unit.get(org, ())))
        pools[pool].append((block, members))
    for pool in sorted(pools, key=lambda p: (p == (), p)):  # paired pools first, the general pool last
        ordered = sorted(pools[pool], key=lambda bm: bm[1][0].order)
        _fill(ordered, list(pool) if pool else team_ids, load)


def assignment_apply(campaign: Campaign) -> dict:
    """One run over `campaign` (the caller holds its row locked, in a transaction). Returns the counts."""
    wanted = _wanted(campaign)
    existing = list(Subject.objects.filter(campaign=campaign).values_list(
        "pk", "household_id", "enterprise_id", "team_id", "assigned_by_hand", "visits_count", "first_visited_on",
        "group", "street_id", "community_id", "walk_key", "household__building_id", "household__building__parent_id",
        "enterprise__park_building_id"))
    visited = set(Visit.objects.filter(campaign=campaign).values_list("subject_id", flat=True))
    items, gone, regroup, seen, rewalk = [], [], defaultdict(list), set(), []
    for (pk, hid, eid, team, by_hand, count, first, group, street, community, walk, building, compound,
         park_building) in existing:
        key = ("h", hid) if hid else ("e", eid)
        seen.add(key)
        has_visits = pk in visited or count > 0 or first is not None
        fields = wanted.get(key)
        if fields is None and not has_visits:
            gone.append(pk)
            continue
        if fields is not None and fields["group"] != group and not has_visits:
            regroup[fields["group"]].append(pk)
        if fields is not None and fields["walk_key"] != walk:  # a moved room, a renamed enterprise, an older key
            walk = fields["walk_key"]
            rewalk.append(Subject(pk=pk, walk_key=walk))
        if hid:
            block, places = ("b", building), (compound, community)
        else:
            block, places = (("pb", park_building) if park_building else ("e", eid)), (community,)
        item = _Item(pk, None, team, block, (street, community or 0, walk), places, None if hid else park_building)
        item.visited = has_visits
        item.pinned = has_visits or (by_hand and team is not None)
        items.append(item)
    new = []
    for key, fields in wanted.items():
        if key in seen:
            continue
        block, places = fields.pop("_block"), fields.pop("_places")
        item = _Item(None, fields, None, block, (fields["street_id"], fields["community_id"] or 0, fields["walk_key"]),
                     places, fields["park_building_id"])
        items.append(item)
        new.append(item)
    before = {it.pk: it.team_id for it in items if it.pk is not None}
    _place(items, campaign)
    for chunk in _chunks(gone):
        Subject.objects.filter(pk__in=chunk).delete()
    for group, pks in regroup.items():
        for chunk in _chunks(pks):
            Subject.objects.filter(pk__in=chunk).update(group=group)
    Subject.objects.bulk_update(rewalk, ["walk_key"], batch_size=300)  # three parameters a row (SQLite: 999)
    changed = defaultdict(list)
    moved = 0
    for it in items:
        if it.pk is not None and not it.pinned and it.team_id != before[it.pk]:
            changed[it.team_id].append(it.pk)
            moved += before[it.pk] is not None
    for team, pks in changed.items():
        for chunk in _chunks(pks):
            Subject.objects.filter(pk__in=chunk).update(team_id=team)
    _insert(campaign, new)
    return {"subjects": len(items), "created": len(new), "deleted": len(gone), "regrouped": sum(map(len, regroup.values())),
            "kept": sum(it.pinned for it in items), "moved": moved, "rewalked": len(rewalk),
            "unassigned": sum(it.team_id is None for it in items)}


# The new subjects' columns, in the order `_insert` writes them.
INSERT_FIELDS = ("district", "campaign", "kind", "group", "household", "enterprise", "street", "community",
                 "park_building", "walk_key", "team", "assigned_by_hand", "first_visited_on", "visits_count")


def _insert(campaign: Campaign, new: list[_Item]) -> None:
    """Insert the new subjects as plain rows: COPY on PostgreSQL, one `executemany` elsewhere. Every value is
    already what the database stores (ids, short texts, a flag), so neither model instances nor the ORM's
    per-cell preparation are needed — at ~195,000 rows those were most of a run (SQLite's bound of 999
    parameters also cut `bulk_create` into batches of 70 rows)."""
    if not new:
        return
    rows = [(campaign.district_id, campaign.pk, f["kind"], f["group"], f["household_id"], f["enterprise_id"],
             f["street_id"], f["community_id"], f["park_building_id"], f["walk_key"], it.team_id, False, None, 0)
            for it in new for f in (it.obj,)]
    qn = connection.ops.quote_name
    meta = Subject._meta
    columns = ", ".join(qn(meta.get_field(name).column) for name in INSERT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(INSERT_FIELDS))
            for chunk in _chunks(rows, 20000):
                cursor.executemany(f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})", chunk)


@transaction.atomic
def assignment_run(*, actor, campaign_id: int) -> dict:
    """Run the assignment of a running campaign again (new households and enterprises added, the unvisited,
    unpinned rest rebalanced). Returns the counts, which the audit row keeps."""
    campaign = campaign_for_change(actor, campaign_id)
    if not campaign_may_assign(campaign):
        raise CivicError(VisitErrorCode.CAMPAIGN_STATE, _("只有进行中的走访活动可以分配走访对象。"))
    counts = assignment_apply(campaign)
    audit_write(action=CampaignAuditAction.ASSIGNMENT_RUN, user=actor, district_id=campaign.district_id,
                object_type="visits.campaign", object_id=campaign.pk, details=counts)
    return counts


@transaction.atomic
def assign_by_hand(*, actor, campaign_id: int, subject_ids: list[int], team_id: int) -> int:
    """Give these subjects of the campaign to an active team of it, pinned (`assigned_by_hand`): later runs
    leave them there. Returns how many were assigned."""
    campaign = campaign_for_change(actor, campaign_id)
    if not campaign_may_assign(campaign):
        raise CivicError(VisitErrorCode.CAMPAIGN_STATE, _("只有进行中的走访活动可以分配走访对象。"))
    ids = list(dict.fromkeys(subject_ids))
    if not ids or len(ids) > MAX_BY_HAND:
        raise invalid(_gettext("请选择 1 至 %(n)s 个走访对象。") % {"n": MAX_BY_HAND}, field=_("走访对象"))
    team = Team.objects.filter(pk=team_id, campaign=campaign).first()
    if team is None:
        raise not_found()
    if not team.active:
        raise invalid(_gettext("走访组“%(team)s”未启用。") % {"team": team.name}, field=_("走访组"))
    found = 0
    for chunk in _chunks(ids):
        found += Subject.objects.filter(campaign=campaign, pk__in=chunk).count()
    if found != len(ids):
        raise invalid(_gettext("有走访对象不存在或不属于本走访活动。"), field=_("走访对象"))
    for chunk in _chunks(ids):
        Subject.objects.filter(pk__in=chunk).update(team=team, assigned_by_hand=True)
    audit_write(action=CampaignAuditAction.ASSIGN_BY_HAND, user=actor, district_id=campaign.district_id,
                object_type="visits.campaign", object_id=campaign.pk,
                details={"team": team.pk, "subjects": ids[:200], "count": len(ids)})
    return len(ids)


@transaction.atomic
def subject_unpin(*, actor, subject_id: int) -> Subject:
    """Release a subject assigned by hand: it stays with its team until the next run, which may then move it
    like any other (a visited one stays: its visits pin it). A manager of the campaign's district, while the
    campaign runs; only a subject assigned by hand."""
    from ..selectors import subject_get_for

    campaign = campaign_for_change(actor, subject_get_for(actor, subject_id).campaign_id)
    subject = Subject.objects.select_for_update().get(pk=subject_id)
    if not campaign_may_assign(campaign):
        raise CivicError(VisitErrorCode.CAMPAIGN_STATE, _("只有进行中的走访活动可以分配走访对象。"))
    if not subject_may_unpin(subject, campaign):
        raise CivicError(ErrorCode.CONFLICT, _("该走访对象不是手工指派的。"))
    subject.assigned_by_hand = False
    subject.save(update_fields=["assigned_by_hand"])
    audit_write(action=CampaignAuditAction.SUBJECT_UNPIN, user=actor, district_id=campaign.district_id,
                object_type="visits.subject", object_id=subject.pk, details={"team": subject.team_id})
    return subject
