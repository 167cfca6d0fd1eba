"""One rule for turning a complaint into an `Entry`, shared by the index (open cases), the draft check (the form
being filled in) and the evaluation (the tuning and held-out sets): the place picked, completed by the place words
of the text."""

from __future__ import annotations

import datetime as dt

from . import text as t
from .scoring import Entry


def make_entry(*, case_id: int | None, district_id: int, community_id: int | None, compound_id: int | None,
               building_id: int | None, building_number: int | None, compounds: dict[str, int],
               category_id: int | None, created_at: dt.datetime, description: str, address: str = "",
               lat=None, lng=None, channel: str = "") -> Entry:
    """`compounds`: {name: id} of the compounds of the case's community (or district) — a text naming exactly one of
    them places the case there when no compound was picked."""
    said = t.normalise(description)
    words = f"{t.normalise(address)} {said}" if address else said
    named = t.compound_names(words, compounds)
    if compound_id is None and len(named) == 1:
        compound_id = compounds[next(iter(named))]
    buildings = t.building_numbers(words)
    if building_number is not None:
        buildings = buildings | {building_number}
    problem = t.problem_text(said, compounds)
    return Entry(case_id=case_id, district_id=district_id, community_id=community_id, compound_id=compound_id,
                 building_id=building_id, buildings=frozenset(buildings), category_id=category_id,
                 created_at=created_at, problem=problem, grams=t.shingles(problem),
                 lat=float(lat) if lat is not None else None, lng=float(lng) if lng is not None else None,
                 channel=channel)
