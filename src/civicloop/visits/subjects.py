"""What a subject is, computed from its household or enterprise: its coverage group and its place in the walk.

Pure functions over loaded rows (no queries): assignment builds Subject rows with them, tests and the demo too.
"""

from __future__ import annotations

from .constants import SubjectGroup, SubjectKind


def household_group(key_tag_ids: set[int], tag_ids) -> SubjectGroup:
    """A household with any key-group tag (独居老人, 残疾, 低保, 困难家庭, 重点人才 …) is in the key group."""
    return SubjectGroup.HOUSEHOLD_KEY if key_tag_ids.intersection(tag_ids) else SubjectGroup.HOUSEHOLD_OTHER


def enterprise_group(key_tag_ids: set[int], tag_ids) -> SubjectGroup:
    return SubjectGroup.ENTERPRISE_KEY if key_tag_ids.intersection(tag_ids) else SubjectGroup.ENTERPRISE_OTHER


def _room_key(room: str) -> str:
    """Rooms in walking order: by floor and number when numeric ("502" after "1201"? no: zero-padded)."""
    return room.zfill(6) if room.isdigit() else room


def household_walk_key(household) -> str:
    """community → compound → building → room: the building's path holds the community and compound codes
    (places.Place.path), so ordering by this key walks a community compound by compound, stairwell by stairwell."""
    return f"{household.building.path}{_room_key(household.room)}"[:200]


def _id_key(pk: int | None) -> str:
    """An id that sorts as a number within a text key ("9" before "10"): zero-padded to a bigint's 19 digits."""
    return str(pk).zfill(19) if pk is not None else ""


def enterprise_walk_key(enterprise) -> str:
    """Enterprises by street, community, park building, then name (the ids zero-padded: sorted as numbers)."""
    parts = [_id_key(enterprise.street_id), _id_key(enterprise.community_id), _id_key(enterprise.park_building_id),
             enterprise.name]
    return "/".join(parts)[:200]


def subject_fields(obj, *, kind: str, key_tag_ids: set[int], tag_ids) -> dict:
    """The Subject columns a household or enterprise gives (all but campaign, team and visit counters)."""
    if kind == SubjectKind.HOUSEHOLD:
        return {"kind": kind, "household": obj, "group": household_group(key_tag_ids, tag_ids),
                "district_id": obj.district_id, "street_id": obj.street_id, "community_id": obj.community_id,
                "walk_key": household_walk_key(obj)}
    return {"kind": kind, "enterprise": obj, "group": enterprise_group(key_tag_ids, tag_ids),
            "district_id": obj.district_id, "street_id": obj.street_id, "community_id": obj.community_id,
            "park_building_id": obj.park_building_id, "walk_key": enterprise_walk_key(obj)}
