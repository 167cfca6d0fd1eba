"""The open cases of each district, in this process's memory, ready to be compared: their `Entry`s grouped by
community (every pair within a place is scored) and a MinHash LSH over their problem words (near-copies across
places: a case with coordinates near a community's border, a case registered without a community).

Kept up to date by the case event log, not by a hook in the cases services: every state change of a case writes its
event in the same transaction (cases.events), so before answering, `ensure_fresh` reads the events committed since
it last looked — one indexed `max(id)` when nothing happened, two more small queries when something did — and
reloads the cases they touch: a new case is added, a merged, withdrawn or closed one (a FINAL state) leaves, a
triage's category is taken. Every gunicorn worker thus answers from what is committed, whichever worker wrote it
(decision in dupes-decision.md). Event ids are given at insert, not at commit: an id skipped by a transaction still
open (a hole) is asked for again for HOLE_SECONDS.

Nothing here applies scope: the selectors filter the matches by the viewer's sight in the database.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import defaultdict
from typing import NamedTuple

from datasketch import MinHash, MinHashLSH

from . import constants as k
from .entries import make_entry
from .scoring import Entry, Match, score

HOLE_SECONDS = 60
LSH_CANDIDATES = 500  # near-copies scored per check at most
RELOAD_AFTER = 20_000  # events since the last look: more, and the districts are loaded afresh

SCHEME = "affine32"
_TEMPLATE = MinHash(num_perm=k.NUM_PERM, seed=19, scheme=SCHEME)
_PERMUTATIONS = _TEMPLATE.permutations


def minhash(grams) -> MinHash:
    m = MinHash(num_perm=k.NUM_PERM, seed=19, permutations=_PERMUTATIONS, scheme=SCHEME)
    m.update_batch([g.encode("utf-8") for g in grams])
    return m


class Places:
    """A district's compounds and buildings: what a case's place id says, and each community's compound names."""

    def __init__(self, district_id: int):
        from civicloop.places.constants import PlaceLevel
        from civicloop.places.models import Place

        self.building: dict[int, tuple[int | None, int | None]] = {}  # building id → (compound id, number)
        self.compound: set[int] = set()
        self.names: dict[int | None, dict[str, int]] = defaultdict(dict)  # community id → {compound name: id}
        rows = Place.objects.filter(district_id=district_id, level__in=(PlaceLevel.COMPOUND, PlaceLevel.BUILDING))
        for pk, level, parent_id, name, community_id in rows.values_list("pk", "level", "parent_id", "name",
                                                                          "community_id"):
            if level == PlaceLevel.COMPOUND:
                self.compound.add(pk)
                self.names[community_id][name] = pk
            else:
                digits = "".join(ch for ch in name if ch.isdigit())
                self.building[pk] = (parent_id, int(digits[:4]) if digits else None)

    def where(self, place_id: int | None) -> tuple[int | None, int | None, int | None]:
        """(compound id, building id, building number) of a case's place."""
        if place_id in self.building:
            compound, number = self.building[place_id]
            return compound, place_id, number
        if place_id in self.compound:
            return place_id, None, None
        return None, None, None


CASE_FIELDS = ("pk", "district_id", "community_id", "place_id", "category_id", "created_at", "description", "address",
               "lat", "lng", "channel", "state")


class DistrictIndex:
    def __init__(self, district_id: int):
        self.district_id = district_id
        self.places = Places(district_id)
        self.entries: dict[int, Entry] = {}
        self.buckets: dict[tuple, set[int]] = defaultdict(set)  # `keys(entry)` → case ids
        self.lsh = MinHashLSH(num_perm=k.NUM_PERM, params=(k.BANDS, k.ROWS))

    def entry(self, row: dict) -> Entry:
        compound, building, number = self.places.where(row["place_id"])
        return make_entry(
            case_id=row["pk"], district_id=row["district_id"], community_id=row["community_id"], compound_id=compound,
            building_id=building, building_number=number, compounds=self.places.names.get(row["community_id"], {}),
            category_id=row["category_id"], created_at=row["created_at"], description=row["description"],
            address=row["address"], lat=row["lat"], lng=row["lng"], channel=row["channel"])

    def load(self) -> None:
        from civicloop.cases.constants import FINAL_STATES
        from civicloop.cases.models import Case

        rows = Case.objects.filter(district_id=self.district_id).exclude(state__in=FINAL_STATES)
        # Hundreds of thousands of small objects: the cyclic collector would run over and over while they are made
        # and, afterwards, walk them all at every full collection (tens of ms inside a check). None of them forms a
        # cycle, so the build runs without it and leaves them frozen (gc.freeze: never scanned again).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._load(rows)
        finally:
            if collecting:
                gc.enable()
            gc.freeze()

    def _load(self, rows) -> None:
        entries = [self.entry(row) for row in rows.values(*CASE_FIELDS).iterator(chunk_size=5000)]
        hashes = MinHash.bulk([[g.encode("utf-8") for g in e.grams] for e in entries], num_perm=k.NUM_PERM, seed=19,
                              scheme=SCHEME)
        with self.lsh.insertion_session() as session:
            for e, m in zip(entries, hashes, strict=True):
                self._add(e)
                if e.grams:
                    session.insert(e.case_id, m, check_duplication=False)

    def put(self, row: dict) -> None:
        """(Re)index one case as it now is (`CASE_FIELDS`); a case in a final state leaves."""
        from civicloop.cases.constants import FINAL_STATES

        self.drop(row["pk"])
        if row["state"] in FINAL_STATES:
            return
        e = self.entry(row)
        self._add(e)
        if e.grams:
            self.lsh.insert(e.case_id, minhash(e.grams), check_duplication=False)

    def drop(self, case_id: int) -> None:
        e = self.entries.pop(case_id, None)
        if e is None:
            return
        for key in _keys(e):
            bucket = self.buckets.get(key)
            if bucket is not None:
                bucket.discard(case_id)
                if not bucket:
                    del self.buckets[key]
        if e.grams:
            self.lsh.remove(case_id)

    def _add(self, e: Entry) -> None:
        self.entries[e.case_id] = e
        for key in _keys(e):
            self.buckets[key].add(e.case_id)

    def matches(self, new: Entry, limit: int = k.MAX_SUGGESTIONS * 4) -> list[Match]:
        """The open cases `new` likely duplicates, best first (scope not applied: the selectors do)."""
        ids: set[int] = set()
        for key in _wanted(new):
            ids.update(self.buckets.get(key, ()))
        if new.grams and new.lat is not None:
            # across places, only a case with coordinates can pass the gate (NEAR): the LSH's near-copies without
            # them would all score 0 — and a common phrase can pull in thousands
            near = [cid for cid in self.lsh.query(minhash(new.grams)) if self.entries[cid].lat is not None]
            ids.update(near[:LSH_CANDIDATES])
        ids.discard(new.case_id)
        found = [m for cid in ids if (m := score(new, self.entries[cid])) is not None]
        found.sort(key=lambda m: (-m.score, -m.case_id))
        return found[:limit]


# Buckets by place, so that a check scores only the cases whose place can pass the gate (`scoring.place_part`):
# same compound and building number, same compound when a building is unknown on one side, same community when a
# compound is unknown on one side — not every case of the community.
def _keys(e: Entry) -> list[tuple]:
    keys = [("m", e.community_id)]
    if e.compound_id is not None:
        keys.append(("c", e.compound_id))
        keys += [("cb", e.compound_id, n) for n in e.buildings] or [("c-", e.compound_id)]
    else:
        keys.append(("m-c", e.community_id))
    keys += [("mb", e.community_id, n) for n in e.buildings] or [("m-b", e.community_id)]
    return keys


def _wanted(new: Entry) -> list[tuple]:
    """The buckets holding every case `new` may share a place with (by community; NEAR is the LSH's)."""
    m, c = new.community_id, new.compound_id
    if m is None:
        return []
    if c is not None:
        keys = [("cb", c, n) for n in new.buildings] + [("c-", c)] if new.buildings else [("c", c)]
        return [*keys, ("m-c", m)]  # and the community's cases that named no compound
    if new.buildings:
        return [("mb", m, n) for n in new.buildings] + [("m-b", m)]
    return [("m", m)]


class Index:
    """Every district's index in this process, and where in the event log it stands."""

    def __init__(self):
        self.districts: dict[int, DistrictIndex] = {}
        self.seen: int | None = None  # the highest event id read
        self.holes: dict[int, float] = {}  # event ids below `seen` not read yet → when first missed
        self.lock = threading.RLock()

    def reset(self) -> None:
        with self.lock:
            _PLACES.clear()
            self.districts.clear()
            self.seen = None
            self.holes.clear()

    def district(self, district_id: int) -> DistrictIndex:
        with self.lock:
            self.ensure_fresh()
            idx = self.districts.get(district_id)
            if idx is None:
                idx = DistrictIndex(district_id)
                idx.load()
                self.districts[district_id] = idx
            return idx

    def ensure_fresh(self) -> None:
        """Read the case events committed since the last look and reindex the cases they touch."""
        from django.db import connection
        from django.db.models import Q

        from civicloop.cases.models import CaseEvent

        with self.lock:
            with connection.cursor() as cursor:  # asked before every answer: plain SQL, no ORM compile
                cursor.execute(f"SELECT MAX(id) FROM {CaseEvent._meta.db_table}")
                top = cursor.fetchone()[0] or 0
            if self.seen is None or top < self.seen or top - self.seen > RELOAD_AFTER:
                # first use; rows deleted (a demo reset, a test rollback); or a bulk import: load afresh when asked
                self.districts.clear()
                self.holes.clear()
                self.seen = top
                return
            now = time.monotonic()
            self.holes = {i: t for i, t in self.holes.items() if now - t < HOLE_SECONDS}
            if top == self.seen and not self.holes:
                return
            q = Q(pk__gt=self.seen, pk__lte=top)
            if self.holes:
                q |= Q(pk__in=list(self.holes))
            events = list(CaseEvent.objects.filter(q).values_list("pk", "case_id", "district_id"))
            got = {pk for pk, _case, _district in events}
            for i in range(self.seen + 1, top + 1):
                if i not in got:
                    self.holes.setdefault(i, now)
            for i in got:
                self.holes.pop(i, None)
            self.seen = max(self.seen, top)
            self.apply({(d, c) for _pk, c, d in events if d in self.districts})

    def apply(self, touched: set[tuple[int, int]]) -> None:
        from civicloop.cases.models import Case

        if not touched:
            return
        ids = {c for _d, c in touched}
        rows = {row["pk"]: row for row in Case.objects.filter(pk__in=ids).values(*CASE_FIELDS)}
        for district_id, case_id in touched:
            idx = self.districts[district_id]
            row = rows.get(case_id)
            if row is None:
                idx.drop(case_id)
            else:
                idx.put(row)


INDEX = Index()


class PlaceRef(NamedTuple):
    pk: int
    level: str
    path: str  # what `Scope.covers_place` reads
    district_id: int | None
    community_id: int | None


_PLACES: dict[str, tuple[PlaceRef | None, float]] = {}
PLACE_SECONDS = 300  # a place moved or renamed is seen after this long at worst (its code stays)


def place_ref(code: str) -> PlaceRef | None:
    """A place by code, remembered for PLACE_SECONDS: the draft check names one on every keystroke."""
    from civicloop.places.models import Place

    now = time.monotonic()
    hit = _PLACES.get(code)
    if hit is not None and now - hit[1] < PLACE_SECONDS:
        return hit[0]
    row = Place.objects.filter(code=code).values_list("pk", "level", "path", "district_id", "community_id").first()
    ref = PlaceRef(*row) if row else None
    if len(_PLACES) > 50_000:
        _PLACES.clear()
    _PLACES[code] = (ref, now)
    return ref


def matches_for(entry: Entry) -> list[Match]:
    return INDEX.district(entry.district_id).matches(entry)


def places_for(district_id: int) -> Places:
    return INDEX.district(district_id).places
