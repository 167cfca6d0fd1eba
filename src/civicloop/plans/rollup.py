"""A parent task's progress, rolled up from its children by weight (pure; the services store the result)."""

from __future__ import annotations

from collections.abc import Iterable


def weighted_percent(children: Iterable[tuple[int, int]]) -> int:
    """The weighted mean of the children's percents, `children` being (weight, percent) pairs; 0 for none.
    Rounded down, so a parent reaches 100 only when every weighted child has."""
    total = done = 0
    for weight, percent in children:
        weight = max(int(weight), 0)
        total += weight
        done += weight * min(max(int(percent), 0), 100)
    return done // total if total else 0


def rolled_up(percents: dict[int, int], weights: dict[int, int], parent_of: dict[int, int | None]) -> dict[int, int]:
    """The percent of every task of a tree: a leaf keeps its own (`percents`), a parent gets the weighted mean
    of its children's, computed bottom-up. The maps are keyed by task id; `parent_of` maps each to its parent."""
    children: dict[int, list[int]] = {}
    for tid, parent in parent_of.items():
        if parent is not None:
            children.setdefault(parent, []).append(tid)
    result: dict[int, int] = {}

    def walk(tid: int, seen: frozenset = frozenset()) -> int:
        if tid in result:
            return result[tid]
        kids = [k for k in children.get(tid, ()) if k not in seen]
        if not kids:
            value = percents.get(tid, 0)
        else:
            value = weighted_percent((weights.get(k, 1), walk(k, seen | {tid})) for k in kids)
        result[tid] = value
        return value

    for tid in parent_of:
        walk(tid)
    return result
