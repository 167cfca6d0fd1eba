"""Precision and recall of duplicate pairs on the hand-written labelled set (data/eval_set.json), with floors: a
change to the text rules, the weights or the threshold that loses quality fails here."""

from civicloop.dupes.evaluation import entries, load, quality
from civicloop.dupes.scoring import score

PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.85


def test_the_labelled_set_is_what_it_claims():
    doc = load()
    items = doc["items"]
    assert len(items) >= 100
    assert len({i["id"] for i in items}) == len(items)
    clusters = {i["cluster"] for i in items if i["cluster"]}
    assert len(clusters) >= 25
    channels = {i["channel"] for i in items if i["cluster"]}
    assert {"hotline_12345", "visit", "sensor", "grid_inspection"} <= channels


def test_precision_and_recall_hold_their_floors():
    q = quality()
    assert q.true_pairs >= 60
    assert q.precision >= PRECISION_FLOOR, q.false_positives
    assert q.recall >= RECALL_FLOOR, q.misses


def test_the_tempting_non_duplicates_are_not_suggested():
    """Same building, other problem (12号楼's blocked corridor, its leaking roof); same problem, other building of
    the compound (3号楼's elevator), other compound (田林十二村's elevator); the same shop's noise, not its fumes."""
    by_id = {e.case_id: e for e in entries(load())}
    for new, old in ((7, 1), (8, 1), (10, 1), (5, 1), (60, 58), (95, 14)):
        assert score(by_id[new], by_id[old]) is None, (new, old)
    # and the grid worker's "12号楼电梯又坏了，老人下不了楼" finds the elevator's other reports
    assert score(by_id[99], by_id[1]) is not None
    assert score(by_id[99], by_id[2]) is not None
