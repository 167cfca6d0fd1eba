"""Rebuild a case's tracked fields from its events: the row must always equal the replay of its log."""

from __future__ import annotations

from collections.abc import Iterable


def replay(events: Iterable) -> dict:
    """Fold each event's `after` over the previous state, in seq order. Accepts CaseEvent rows or dicts."""
    state: dict = {}
    rows = sorted(events, key=lambda e: e["seq"] if isinstance(e, dict) else e.seq)
    for event in rows:
        after = event["after"] if isinstance(event, dict) else event.after
        state.update(after)
    return state


def replay_case(case) -> dict:
    return replay(case.events.all())
