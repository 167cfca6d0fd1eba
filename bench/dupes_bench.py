"""Duplicate-check bench (issue 19), in-process against the database in DATABASE_URL (migrated):

1. a bench district (its own codes) of BENCH_DUPES_COMMUNITIES (300) communities, each with 2 compounds of 20
   buildings, and BENCH_DUPES_OPEN (100,000) open cases over them, their words drawn from the demo's phrases
   (`cases.demo_phrases.LEAVES`) and the places' names, written by bulk insert (the prefill is not measured);
2. the index built cold for the district (the first check in a process: seconds, and the process's RSS growth);
3. BENCH_DUPES_CHECKS (1,000) duplicate checks of a new case — `selectors.duplicates_of_draft` as the district's
   dispatcher, the index warm: the event log's max id, the index's candidates re-scored, the suggestions
   confirmed in scope by the database — p50 / p95 (goal p95 ≤ 5 ms), and the index's part alone;
4. precision and recall of duplicate pairs on the two hand-written labelled sets (`dupes/evaluation.py`): the
   held-out set (`dupes/data/heldout_set.json`, never tuned on) — the honest figure — and the tuning set
   (`dupes/data/tuning_set.json`, the knobs were chosen on it: optimistic).
Prints one JSON line: a list of {name, seconds, rows, note}.
"""

from __future__ import annotations

import os
import random
import resource
import time

from kit import Laps, bench_district, bench_unit, bench_user, django_setup, emit, p50_p95

django_setup()

from django.utils import timezone  # noqa: E402

from civicloop.cases.demo_phrases import LEAVES  # noqa: E402
from civicloop.cases.models import Case  # noqa: E402
from civicloop.dupes import selectors  # noqa: E402
from civicloop.dupes.evaluation import HELDOUT_SET, TUNING_SET, load, quality  # noqa: E402
from civicloop.dupes.index import INDEX  # noqa: E402
from civicloop.orgs.constants import Role, UnitKind  # noqa: E402
from civicloop.places.constants import PlaceLevel  # noqa: E402
from civicloop.places.models import Place  # noqa: E402
from civicloop.places.services import place_create  # noqa: E402

COMMUNITIES = int(os.environ.get("BENCH_DUPES_COMMUNITIES", "300"))
OPEN = int(os.environ.get("BENCH_DUPES_OPEN", "100000"))
CHECKS = int(os.environ.get("BENCH_DUPES_CHECKS", "1000"))
DISTRICT = "319997000000"
NAMES = "康健苑 康乐小区 田林新苑 枫林小区 东安三村 虹梅公寓 漕溪新村 华泾绿苑 龙华新村 长桥一村".split()
DETAILS = [d for leaf in LEAVES.values() for p in leaf.problems for d in p.details]


def world():
    district, made = bench_district(DISTRICT, "查重基准区", "CQ", street="查重街道")
    if made:  # the communities, each with its compounds and their buildings, one after the other
        street = Place.objects.get(code="319997001000")
        for c in range(COMMUNITIES):
            comm = place_create(code=f"319997001{c + 1:03d}", name=f"查重{c}居委", level=PlaceLevel.COMMUNITY, parent=street)
            for j in range(2):
                comp = place_create(code=f"{comm.code}-C{j}", name=f"{NAMES[(c + j) % len(NAMES)]}{c}",
                                    level=PlaceLevel.COMPOUND, parent=comm)
                Place.objects.bulk_create([
                    Place(code=f"{comp.code}-B{b:02d}", name=f"{b}号楼", level=PlaceLevel.BUILDING, parent=comp,
                          path=f"{comp.path}{comp.code}-B{b:02d}/", district=district, street=street, community=comm)
                    for b in range(1, 21)])
    unit = bench_unit(f"{DISTRICT[:6]}-DISPATCH", name="查重区派单中心", kind=UnitKind.DISTRICT_OFFICE,
                      district=district, territory=district)
    return district, bench_user(f"cq{DISTRICT[:6]}", unit=unit, role=Role.DISPATCHER, password="bench-pass-123")


def fill(district) -> None:
    have = Case.objects.filter(district=district).count()
    if have >= OPEN:
        return
    rng = random.Random(19)
    buildings = list(Place.objects.filter(district=district, level=PlaceLevel.BUILDING)
                     .values_list("pk", "name", "parent__name", "community_id", "street_id"))
    now = timezone.now()
    batch = []
    for i in range(have, OPEN):
        pk, name, compound, community, street = rng.choice(buildings)
        text = f"{compound}{name}{rng.choice(DETAILS)}，{rng.choice(DETAILS)}"
        batch.append(Case(district=district, tracking_code=f"CQ2026-{i:07d}", channel="hotline_12345",
                          description=text, place_id=pk, community_id=community, street_id=street,
                          created_at=now - __import__("datetime").timedelta(minutes=rng.randrange(60 * 24 * 60))))
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality_rows() -> list[dict]:
    """Precision / recall on both sets, the held-out one first: it is the honest figure."""
    rows = []
    for name, path in (("held-out set (never tuned on: the honest figure)", HELDOUT_SET),
                       ("tuning set (the knobs were chosen on it: optimistic)", TUNING_SET)):
        q = quality(load(path))
        rows.append({"name": f"dupes: precision / recall of duplicate pairs, {name}", "seconds": 0,
                     "rows": q.items, "note": f"precision {q.precision:.3f}, recall {q.recall:.3f} "
                                              f"({q.hits}/{q.true_pairs} true pairs found, {q.predicted} predicted)"})
    return rows


def main() -> list[dict]:
    district, user = world()
    fill(district)
    out = []
    before = rss_mb()
    INDEX.reset()
    t0 = time.perf_counter()
    idx = INDEX.district(district.pk)
    build = time.perf_counter() - t0
    out.append({"name": "dupes: index built cold (one process)", "seconds": round(build, 2),
                "rows": len(idx.entries), "note": f"peak RSS +{rss_mb() - before:.0f} MB"})
    rng = random.Random(7)
    communities = list(Place.objects.filter(district=district, level=PlaceLevel.COMMUNITY).values_list("code", flat=True))
    compounds = {c: n for c, n in Place.objects.filter(district=district, level=PlaceLevel.COMPOUND)
                 .values_list("community__code", "name")}
    asks = []
    for _ in range(CHECKS):
        code = rng.choice(communities)
        asks.append((code, f"{compounds.get(code, '')}{rng.randrange(1, 21)}号楼{rng.choice(DETAILS)}"))
    for code, text in asks[:20]:  # warm
        selectors.duplicates_of_draft(user, description=text, place_code=code)
    checks, index_part, found = Laps(), Laps(), 0
    from civicloop.dupes.entries import make_entry

    for code, text in asks:
        with checks:
            found += len(selectors.duplicates_of_draft(user, description=text, place_code=code))
    comm_ids = dict(Place.objects.filter(district=district, level=PlaceLevel.COMMUNITY).values_list("code", "pk"))
    for code, text in asks:
        e = make_entry(case_id=None, district_id=district.pk, community_id=comm_ids[code], compound_id=None,
                       building_id=None, building_number=None, compounds=idx.places.names.get(comm_ids[code], {}),
                       category_id=None, created_at=timezone.now(), description=text)
        with index_part:
            idx.matches(e)
    p50, p95 = p50_p95(checks.wall)
    i50, i95 = p50_p95(index_part.wall)
    out.append({"name": f"dupes: duplicate check of a new case against {len(idx.entries):,} open cases",
                "seconds": round(p95, 5), "rows": CHECKS,
                "note": f"p50 {p50 * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms (goal ≤ 5 ms; the index's part alone "
                        f"p50 {i50 * 1000:.2f} / p95 {i95 * 1000:.2f} ms); {found / CHECKS:.1f} suggestions per check"})
    out += quality_rows()
    return out


if __name__ == "__main__":
    emit(main())
