"""A case row — what the inbox, the case lists and the case detail show of a case — defined once.

`CASE_ROW` names each key of a row and the ORM path it is read from. The inbox reads those paths as plain values
in one compiled statement (`inbox.py`: building ~100 rows × 5 model instances was most of an inbox's Python
time); the case list and the detail load cases with `selectors.with_related` and turn each into the same dict
with `case_row`. The API's `CaseOut` is a row plus its state's label (`api.labelled`); a test holds its fields to
these keys.
"""

from __future__ import annotations

from operator import attrgetter

from .constants import TimeState

CASE_ROW = {"id": "id", "tracking_code": "tracking_code", "state": "state", "channel": "channel",
            "category": "category__name", "urgency": "urgency", "layer": "layer", "description": "description",
            "street": "street__name", "community": "community__name", "address": "address",
            "lead_unit": "lead_unit__name", "deadline": "deadline",
            "deadline_provisional": "deadline_provisional", "time_state": "time_state",
            "version": "version", "created_at": "created_at"}


def _reader(path: str):
    """How `case_row` reads `path` from a loaded case: a related name is None without the relation."""
    if path == "time_state":  # annotated by selectors.with_time_state; a bare case has no clock to show
        return lambda case: getattr(case, "time_state", TimeState.NONE.value)
    if "__" not in path:
        return attrgetter(path)
    relation, field = path.split("__")
    related, id_attname = attrgetter(f"{relation}.{field}"), f"{relation}_id"
    return lambda case: None if getattr(case, id_attname) is None else related(case)


_READERS = [(key, _reader(path)) for key, path in CASE_ROW.items()]


def case_row(case) -> dict:
    """The row of a case loaded with `selectors.with_related` (and annotated with `time_state`): `CASE_ROW`'s
    keys, the values its paths name."""
    return {key: read(case) for key, read in _READERS}
