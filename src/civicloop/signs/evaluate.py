"""The pure part of alarm rules: a rule and a device's series in, a verdict out — no database, no clock.

A series is a list of (at, value) in any order (late readings arrive out of order; the verdict sorts them), read
from the stored readings, so a late reading counts as if it had come on time. The services read the series and
the rule's state, ask `assess`, and write what changed; evaluating twice with the same data gives the same
verdict, which is what makes an evaluation task idempotent.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .constants import AlarmSeverity, Comparison, RuleKind


@dataclass(frozen=True)
class RuleSpec:
    """What evaluation needs of a rule (models.Rule, or a hand-made one in tests)."""

    kind: str
    comparison: str = Comparison.ABOVE
    warn_level: float | None = None
    alarm_level: float | None = None
    duration_minutes: int = 0
    count: int = 1
    window_minutes: int = 60
    silence_minutes: int = 0
    activity_above: float | None = None
    severity: int = AlarmSeverity.ALARM

    @classmethod
    def of(cls, rule) -> RuleSpec:
        return cls(kind=rule.kind, comparison=rule.comparison, warn_level=rule.warn_level,
                   alarm_level=rule.alarm_level, duration_minutes=rule.duration_minutes, count=rule.count,
                   window_minutes=rule.window_minutes, silence_minutes=rule.silence_minutes,
                   activity_above=rule.activity_above, severity=rule.severity)

    @property
    def lookback(self) -> dt.timedelta:
        """How far back the series must reach for a verdict at `now`."""
        if self.kind == RuleKind.DURATION:
            return dt.timedelta(minutes=self.duration_minutes) * 2 + dt.timedelta(hours=1)
        if self.kind == RuleKind.REPETITION:
            return dt.timedelta(minutes=self.window_minutes)
        if self.kind == RuleKind.SILENCE:
            return dt.timedelta(minutes=self.silence_minutes)
        return dt.timedelta(hours=1)

    def level_of(self, value: float) -> int:
        """The severity one value reaches."""
        for severity, level in ((AlarmSeverity.ALARM, self.alarm_level), (AlarmSeverity.WARN, self.warn_level)):
            if level is not None and (value >= level if self.comparison == Comparison.ABOVE else value <= level):
                return severity
        return AlarmSeverity.NONE

    def is_activity(self, value: float) -> bool:
        return self.activity_above is None or value > self.activity_above


@dataclass(frozen=True)
class Verdict:
    severity: int  # AlarmSeverity
    at: dt.datetime | None = None  # the evidence: the newest reading behind it (silence: `now`)
    value: float | None = None
    last_activity_at: dt.datetime | None = None  # silence rules: the clock to keep in the rule's state


def assess(spec: RuleSpec, series, now: dt.datetime, *, last_activity_at: dt.datetime | None = None,
           watching_since: dt.datetime | None = None) -> Verdict:
    """The verdict of `spec` at `now` over `series` [(at, value)]; readings after `now` are not yet known.

    `last_activity_at`: a silence rule's clock from the rule's state (the newest activity seen before); with
    none, `watching_since` (when the device was registered) starts it."""
    points = sorted(p for p in series if p[0] <= now)
    if spec.kind == RuleKind.SILENCE:
        return _silence(spec, points, now, last_activity_at, watching_since)
    if not points:
        return Verdict(AlarmSeverity.NONE)
    at, value = points[-1]
    if spec.kind == RuleKind.THRESHOLD:
        return Verdict(spec.level_of(value), at, value)
    if spec.kind == RuleKind.DURATION:
        return _duration(spec, points)
    if spec.kind == RuleKind.REPETITION:
        return _repetition(spec, points, now)
    raise ValueError(spec.kind)


def _duration(spec: RuleSpec, points) -> Verdict:
    """Every reading of the trailing run at or past the level, the run at least `duration_minutes` long."""
    last_at, last_value = points[-1]
    for severity in (AlarmSeverity.ALARM, AlarmSeverity.WARN):
        start = None
        for at, value in reversed(points):
            if spec.level_of(value) < severity:
                break
            start = at
        if start is not None and last_at - start >= dt.timedelta(minutes=spec.duration_minutes):
            return Verdict(severity, last_at, last_value)
    return Verdict(AlarmSeverity.NONE, last_at, last_value)


def _repetition(spec: RuleSpec, points, now) -> Verdict:
    """At least `count` readings at or past the level within the last `window_minutes`."""
    since = now - dt.timedelta(minutes=spec.window_minutes)
    recent = [(at, value) for at, value in points if at > since]
    for severity in (AlarmSeverity.ALARM, AlarmSeverity.WARN):
        hits = [(at, value) for at, value in recent if spec.level_of(value) >= severity]
        if len(hits) >= max(1, spec.count):
            return Verdict(severity, hits[-1][0], hits[-1][1])
    return Verdict(AlarmSeverity.NONE, points[-1][0], points[-1][1])


def _silence(spec: RuleSpec, points, now, clock: dt.datetime | None, watching_since: dt.datetime | None) -> Verdict:
    """No activity for `silence_minutes`: no reading at all (a device that stopped reporting), or none above
    `activity_above` (no water used). The clock only moves forward: a late reading older than it changes nothing."""
    active = [at for at, value in points if spec.is_activity(value)]
    if active and (clock is None or active[-1] > clock):
        clock = active[-1]
    start = clock or watching_since  # never any activity: silent since the device was registered
    if start is None:
        return Verdict(AlarmSeverity.NONE)
    silent = now - start >= dt.timedelta(minutes=spec.silence_minutes)
    return Verdict(spec.severity if silent else AlarmSeverity.NONE, now if silent else start, None, clock)


def breach_bounds(specs) -> tuple[float, float]:
    """(above, below): a value reaches a level of one of `specs` exactly when value >= above or value <= below —
    two comparisons per reading instead of asking every rule (ingestion's filter of the devices to evaluate)."""
    above, below = math.inf, -math.inf
    for spec in specs:
        levels = [level for level in (spec.warn_level, spec.alarm_level) if level is not None]
        if levels and spec.comparison == Comparison.ABOVE:
            above = min(above, *levels)
        elif levels:
            below = max(below, *levels)
    return above, below


def breaches(spec: RuleSpec, series, since: dt.datetime) -> int:
    """How many readings from `since` on are at or past the warn level (the repeats of an open alarm)."""
    return sum(1 for at, value in series if at >= since and spec.level_of(value) >= AlarmSeverity.WARN)
