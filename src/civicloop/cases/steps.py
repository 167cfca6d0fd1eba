"""One table step of a case, computed without the database: the one rule shared by `services._core.apply` (which
adds permission, the conditional UPDATE, co-unit rows, the event row and notifications) and the in-memory demo
generator (`demo.Sim`).

Given the case's current snapshot (`events.snapshot`), an action, field changes and optionally new co-units:
the next state from the transition table (else TRANSITION_NOT_ALLOWED), the field values to set (changes +
state + version + 1), the new co-units (lead unit left out), the next snapshot and the event's `before`/`after`
(the tracked fields that changed).
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError

from .constants import Action, CaseState
from .error_codes import CaseErrorCode
from .events import TRACKED_FIELDS, diff, json_value
from .transitions import next_state

_TRACKED = frozenset(TRACKED_FIELDS) - {"co_unit_ids"}


class Step(NamedTuple):
    state: str  # the next state
    values: dict  # model field values to set on the case: the changes, state, version
    co_unit_ids: list | None  # the co-units after the step (sorted, without the lead unit); None: unchanged
    snapshot: dict  # the case's snapshot after the step (the `before` of the next one)
    before: dict  # the event's before: the tracked fields that changed, old values
    after: dict  # the event's after: the same fields, new values (JSON-ready)


def target_state(state: str, action: str) -> str:
    """The table's next state for `action` in `state`, or TRANSITION_NOT_ALLOWED naming both."""
    target = next_state(state, action)
    if target is None:
        raise CivicError(
            CaseErrorCode.TRANSITION_NOT_ALLOWED, _("工单当前状态为「%(state)s」，不能执行「%(action)s」。"),
            state=CaseState(state).label, action=Action(action).label,
        )
    return target


def step(before: dict, action: str, *, changes: dict | None = None, co_unit_ids=None) -> Step:
    """Apply `action` to the snapshot `before` (the full `events.snapshot` of the case, not modified).

    `changes` are model field values by attribute name (`lead_unit_id`, not `lead_unit`); the tracked ones enter
    the snapshot. `co_unit_ids` (any iterable) replaces the co-units; the lead unit after the changes is left out.
    """
    target = target_state(before["state"], action)
    values = dict(changes) if changes else {}
    values["state"], values["version"] = target, before["version"] + 1
    after = before.copy()
    touched = []
    for name, value in values.items():
        if name in _TRACKED:
            after[name] = json_value(value)
            touched.append(name)
    if co_unit_ids is not None:
        co_unit_ids = sorted(set(co_unit_ids) - {after["lead_unit_id"]})
        after["co_unit_ids"] = co_unit_ids
        touched.append("co_unit_ids")
    b, a = _diff_touched(before, after, touched)
    return Step(target, values, co_unit_ids, after, b, a)


_POSITION = {name: i for i, name in enumerate(TRACKED_FIELDS)}


def _diff_touched(before: dict, after: dict, touched: list[str]) -> tuple[dict, dict]:
    """`events.diff(before, after)` when `after` is `before` with only the `touched` keys set: a snapshot's keys
    come in TRACKED_FIELDS order, so only those few are compared, in that order (the demo steps a million cases;
    the whole snapshot compared each time was a sixth of its time). Any other `before`: `diff` itself."""
    if tuple(before) != TRACKED_FIELDS:
        return diff(before, after)
    changed = [k for k in sorted(set(touched), key=_POSITION.__getitem__) if before[k] != after[k]]
    return {k: before[k] for k in changed}, {k: after[k] for k in changed}
