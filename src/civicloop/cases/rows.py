"""A case row — what the inbox, the case lists and the case detail show of a case — defined once.

`CASE_ROW` names each key of a row and the ORM path it is read from. The inbox reads those paths as plain values
in one compiled statement (`inbox.py`: building ~100 rows × 5 model instances was most of an inbox's Python
time); the case list and the detail load cases with `selectors.with_related` and turn each into the same dict
with `case_row`. The API's `CaseOut` is a row plus its state's label (`api.labelled`); a test holds its fields to
these keys.

`FREE_TEXT` are the keys people type freely: a viewer without the right to the reporter's data
(`permissions.may_unmask`) gets them with phone and ID numbers masked (`case_rows_for`, `mask_row`; the inbox
reads `RIGHT_COLUMNS` beside a row to decide per case).
"""

from __future__ import annotations

from operator import attrgetter
from types import SimpleNamespace

from civicloop.core.masking import mask_free_text

from .constants import TimeState
from .permissions import may_unmask

CASE_ROW = {"id": "id", "tracking_code": "tracking_code", "state": "state", "channel": "channel",
            "category": "category__name", "urgency": "urgency", "appeal_type": "appeal_type", "layer": "layer", "description": "description",
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


# The keys of a row people type freely: phone and ID numbers in them are masked for viewers without the right.
FREE_TEXT = ("description", "address")
# The columns `permissions.may_unmask` decides on, read beside a row where no case is loaded (the inbox).
RIGHT_COLUMNS = ("district_id", "street_id", "community_id", "lead_unit_id")


def mask_row(row: dict) -> dict:
    """`row` with the numbers in its free text masked."""
    return {**row, **{key: mask_free_text(row[key]) for key in FREE_TEXT}}


def row_for(actor, row: dict, case) -> dict:
    """`row` as `actor` may see it: masked unless they may see the reporter's data of `case` (a loaded case, or
    anything with the `RIGHT_COLUMNS`)."""
    return row if may_unmask(actor, case) else mask_row(row)


def row_for_columns(actor, row: dict, columns) -> dict:
    """`row_for` with the `RIGHT_COLUMNS` values read beside the row, in that order."""
    return row_for(actor, row, SimpleNamespace(**dict(zip(RIGHT_COLUMNS, columns, strict=True))))


def case_rows_for(actor, cases) -> list[dict]:
    """The rows of loaded cases as `actor` may see them."""
    return [row_for(actor, case_row(case), case) for case in cases]
