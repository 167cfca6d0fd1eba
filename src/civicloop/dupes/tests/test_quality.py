"""Precision and recall of duplicate pairs on the two hand-written labelled sets, with floors: a change to the text
rules, the weights or the threshold that loses quality fails here.

The tuning set (data/tuning_set.json) chose the weights and the threshold: its floors guard against regressions,
not against over-fitting. The held-out set (data/heldout_set.json) was written after they were fixed and never used
to choose anything: its floors, a little under what it measured (precision 0.809, recall 0.632 on 87 true pairs),
are the honest ones. Never lower a held-out floor, nor tune on its misses, to make a change pass (evaluation.py).
"""

from itertools import product

from rapidfuzz import fuzz

from civicloop.dupes.evaluation import HELDOUT_SET, TUNING_SET, entries, load, quality
from civicloop.dupes.scoring import score

PRECISION_FLOOR = 0.85  # tuning set: measured 0.892
RECALL_FLOOR = 0.85  # tuning set: measured 0.892
HELDOUT_PRECISION_FLOOR = 0.78  # held-out set: measured 0.809 (55 of 68 predicted pairs)
HELDOUT_RECALL_FLOOR = 0.60  # held-out set: measured 0.632 (55 of 87 true pairs)


def test_the_labelled_set_is_what_it_claims():
    doc = load(TUNING_SET)
    items = doc["items"]
    assert len(items) >= 100
    assert len({i["id"] for i in items}) == len(items)
    clusters = {i["cluster"] for i in items if i["cluster"]}
    assert len(clusters) >= 25
    channels = {i["channel"] for i in items if i["cluster"]}
    assert {"hotline_12345", "visit", "sensor", "grid_inspection"} <= channels


def test_precision_and_recall_hold_their_floors():
    q = quality(load(TUNING_SET))
    assert q.true_pairs >= 60
    assert q.precision >= PRECISION_FLOOR, q.false_positives
    assert q.recall >= RECALL_FLOOR, q.misses


def test_the_tempting_non_duplicates_are_not_suggested():
    """Same building, other problem (12号楼's blocked corridor, its leaking roof); same problem, other building of
    the compound (3号楼's elevator), other compound (田林十二村's elevator); the same shop's noise, not its fumes."""
    by_id = {e.case_id: e for e in entries(load(TUNING_SET))}
    for new, old in ((7, 1), (8, 1), (10, 1), (5, 1), (60, 58), (95, 14)):
        assert score(by_id[new], by_id[old]) is None, (new, old)
    # and the grid worker's "12号楼电梯又坏了，老人下不了楼" finds the elevator's other reports
    assert score(by_id[99], by_id[1]) is not None
    assert score(by_id[99], by_id[2]) is not None


def test_the_held_out_set_is_what_it_claims():
    doc = load(HELDOUT_SET)
    items = doc["items"]
    assert len(items) >= 100
    assert len({i["id"] for i in items}) == len(items)
    assert len({i["cluster"] for i in items if i["cluster"]}) >= 25
    assert sum(1 for i in items if i["cluster"] is None) >= 30  # the tempting non-duplicates
    channels = {i["channel"] for i in items if i["cluster"]}
    assert {"hotline_12345", "visit", "sensor", "grid_inspection"} <= channels
    for i in items:
        assert i["compound"] in doc["communities"][i["community"]], i["id"]
        assert i["registered_at"] != "building" or i["building"] is not None, i["id"]


def _compounds(doc: dict) -> set[str]:
    return {name for names in doc["communities"].values() for name in names}


def test_the_two_sets_are_kept_apart():
    """No community, compound or text of one set in the other, and no held-out complaint a near-copy of a tuning
    one: what the knobs were chosen on says nothing about the held-out set's places or words."""
    tuning, heldout = load(TUNING_SET), load(HELDOUT_SET)
    assert not set(tuning["communities"]) & set(heldout["communities"])
    assert not _compounds(tuning) & _compounds(heldout)
    for a, b in product(tuning["items"], heldout["items"]):
        assert fuzz.ratio(a["text"], b["text"]) < 90, (a["id"], b["id"])


def test_held_out_precision_and_recall_hold_their_floors():
    q = quality(load(HELDOUT_SET))
    assert q.true_pairs >= 85
    assert q.precision >= HELDOUT_PRECISION_FLOOR, q.false_positives
    assert q.recall >= HELDOUT_RECALL_FLOOR, q.misses
