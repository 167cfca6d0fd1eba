"""Is one complaint the same problem as another? Pure: text, place, category and time of two `Entry`s → a score in
0–1 and its reason. The weights and the threshold live in `constants`; the tuning set (`data/tuning_set.json`) chose
them and the held-out set (`data/heldout_set.json`) judges them (`evaluation.py`, `tests/test_quality.py`).

Place is a gate, not only a weight: the same problem at another place is another problem (two broken elevators
are two elevators), so a pair with no place in common scores 0 whatever its words. Within one place, the words must
say the same thing: the same building's leaking roof is not its broken elevator.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from . import constants as k


@dataclass(slots=True)
class Entry:
    """One complaint as the detector sees it (an open case, or the draft being registered)."""

    case_id: int | None
    district_id: int
    community_id: int | None
    compound_id: int | None  # the compound picked, or the one the text names (unique in the community)
    building_id: int | None  # the building picked
    buildings: frozenset[int]  # building numbers: the picked building's, and those the text names
    category_id: int | None
    created_at: dt.datetime
    problem: str  # text.problem_text
    grams: set[str] = field(default_factory=set)  # text.shingles(problem)
    lat: float | None = None
    lng: float | None = None
    channel: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    case_id: int
    score: float
    text: float
    place: str  # a constants.PlacePart
    days: int

    def reason(self) -> str:
        """"同一楼栋，3天前，相似度0.82" — what the officer reads beside the suggestion."""
        when = _("今天") if self.days == 0 else _("%(n)s天前") % {"n": self.days}
        return _("%(place)s，%(when)s，相似度%(score).2f") % {
            "place": k.PLACE_LABELS[self.place], "when": when, "score": self.score}


def metres(a: Entry, b: Entry) -> float | None:
    if None in (a.lat, a.lng, b.lat, b.lng):
        return None
    dy = (a.lat - b.lat) * 111_320.0
    dx = (a.lng - b.lng) * 111_320.0 * math.cos(math.radians(a.lat))
    return math.hypot(dx, dy)


def place_part(a: Entry, b: Entry) -> str:
    """How much of a place two complaints share (constants.PlacePart), from the most to the least precise."""
    if a.building_id is not None and a.building_id == b.building_id:
        return k.PlacePart.BUILDING
    near = metres(a, b)
    near = near is not None and near <= k.NEAR_METRES
    if a.compound_id is not None and b.compound_id is not None and a.compound_id != b.compound_id:
        return k.PlacePart.NEAR if near else k.PlacePart.NONE  # two compounds: their 12号楼 are two buildings
    same_compound = a.compound_id is not None and a.compound_id == b.compound_id
    same_community = a.community_id is not None and a.community_id == b.community_id
    if (same_compound or same_community) and a.buildings and b.buildings:
        if a.buildings & b.buildings:
            return k.PlacePart.BUILDING
        return k.PlacePart.NONE  # the same compound's 3号楼 and 12号楼: two places
    if same_compound:
        return k.PlacePart.COMPOUND
    if near:
        return k.PlacePart.NEAR
    if same_community:
        return k.PlacePart.COMMUNITY  # one of them named no compound: the community is all we know
    return k.PlacePart.NONE


def text_similarity(a: Entry, b: Entry) -> float:
    """rapidfuzz's normalised Indel similarity of the problem words, or the bigram overlap (shared / the shorter's),
    whichever is higher — a short report (a sensor's) contained in a long one counts as similar."""
    if not a.problem or not b.problem:
        return 0.0
    ratio = fuzz.ratio(a.problem, b.problem) / 100.0
    shared = len(a.grams & b.grams)
    overlap = shared / max(1, min(len(a.grams), len(b.grams)))
    return max(ratio, overlap * k.OVERLAP_DISCOUNT)


def score(new: Entry, old: Entry) -> Match | None:
    """The match of `new` with the open case `old`, or None under the threshold (or the same case)."""
    if new.case_id is not None and new.case_id == old.case_id:
        return None
    place = place_part(new, old)
    if place == k.PlacePart.NONE:
        return None
    text = text_similarity(new, old)
    if text < k.TEXT_FLOOR:
        return None
    if new.category_id is None or old.category_id is None:
        category = k.CATEGORY_UNKNOWN
    else:
        category = 1.0 if new.category_id == old.category_id else 0.0
    days = abs((new.created_at - old.created_at).total_seconds()) / 86400
    recency = max(0.0, 1.0 - days / k.WINDOW_DAYS)
    total = (k.W_TEXT * text + k.W_PLACE * k.PLACE_WEIGHTS[place] + k.W_CATEGORY * category
             + k.W_TIME * recency)
    if total < k.THRESHOLD:
        return None
    return Match(case_id=old.case_id, score=round(total, 2), text=round(text, 2), place=place, days=int(days))
