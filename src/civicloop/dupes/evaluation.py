"""Precision and recall of duplicate pairs on a hand-written labelled set, pure: the quality test
(`tests/test_quality.py`) and the bench (`bench/dupes_bench.py`) read the same figures. Two sets, kept apart:

- the **tuning set** (`data/tuning_set.json`): the weights, the text floor and the threshold (`constants`) were
  chosen on it, so its figures are optimistic;
- the **held-out set** (`data/heldout_set.json`): written after they were fixed, in other communities and compounds,
  and never used to choose anything — its figures are the honest ones. Looking at its misses to change a weight, a
  threshold or a text rule would spoil it: such a change is judged on the tuning set, and the held-out set is then
  only read (a new held-out set is written when it has been looked at too often).

Every item is a case registered `day` days after the first; each one is checked against the earlier ones, as the
registering officer's check runs — a pair is predicted a duplicate when `scoring.score(newer, older)` suggests it.
A pair is truly a duplicate when both items carry the same `cluster`."""

from __future__ import annotations

import datetime as dt
import json
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

from .entries import make_entry
from .scoring import score

DATA = Path(__file__).parent / "data"
TUNING_SET = DATA / "tuning_set.json"
HELDOUT_SET = DATA / "heldout_set.json"
T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


class Quality(NamedTuple):
    items: int
    true_pairs: int
    predicted: int
    hits: int
    precision: float
    recall: float
    false_positives: list
    misses: list


def load(path: Path = TUNING_SET) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def entries(doc: dict, categories: dict[str, int] | None = None) -> list:
    """The items as `Entry`s, with made-up ids for communities, compounds and buildings."""
    ids: dict = {}

    def pk(*key):
        return ids.setdefault(key, len(ids) + 1)

    out = []
    for item in doc["items"]:
        community = pk("community", item["community"])
        compounds = {name: pk("compound", item["community"], name) for name in doc["communities"][item["community"]]}
        level = item["registered_at"]
        compound = pk("compound", item["community"], item["compound"]) if level in ("building", "compound") else None
        building = pk("building", item["community"], item["compound"], item["building"]) if level == "building" else None
        category = (categories or {}).get(item["category"], int(item["category"]))
        out.append(make_entry(
            case_id=item["id"], district_id=1, community_id=community, compound_id=compound, building_id=building,
            building_number=item["building"] if level == "building" else None, compounds=compounds,
            category_id=category, created_at=T0 + dt.timedelta(days=item["day"], minutes=item["id"]),
            description=item["text"], channel=item["channel"]))
    return out


def quality(doc: dict | None = None) -> Quality:
    doc = doc or load()
    items = {i["id"]: i for i in doc["items"]}
    es = entries(doc)
    true_pairs, predicted, fps, misses = set(), set(), [], []
    for a, b in combinations(es, 2):
        new, old = (a, b) if a.created_at >= b.created_at else (b, a)
        key = (min(a.case_id, b.case_id), max(a.case_id, b.case_id))
        ca, cb = items[a.case_id]["cluster"], items[b.case_id]["cluster"]
        if ca is not None and ca == cb:
            true_pairs.add(key)
        if score(new, old) is not None:
            predicted.add(key)
    hits = true_pairs & predicted
    fps = sorted(predicted - true_pairs)
    misses = sorted(true_pairs - predicted)
    precision = len(hits) / len(predicted) if predicted else 0.0
    recall = len(hits) / len(true_pairs) if true_pairs else 0.0
    return Quality(len(es), len(true_pairs), len(predicted), len(hits), round(precision, 3), round(recall, 3),
                   fps, misses)
