"""The pure rule evaluation on hand-made series: each rule kind, out-of-order readings, and a restart."""

import datetime as dt

from civicloop.signs.constants import AlarmSeverity, Comparison, RuleKind
from civicloop.signs.evaluate import RuleSpec, assess

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def m(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def test_threshold_levels_and_below():
    spec = RuleSpec(kind=RuleKind.THRESHOLD, warn_level=80, alarm_level=95)
    assert assess(spec, [(m(0), 50)], m(1)).severity == AlarmSeverity.NONE
    assert assess(spec, [(m(0), 85)], m(1)).severity == AlarmSeverity.WARN
    assert assess(spec, [(m(0), 99)], m(1)).severity == AlarmSeverity.ALARM
    low = RuleSpec(kind=RuleKind.THRESHOLD, comparison=Comparison.BELOW, alarm_level=5)
    assert assess(low, [(m(0), 3)], m(1)).severity == AlarmSeverity.ALARM


def test_threshold_reads_the_newest_reading_whatever_the_arrival_order():
    spec = RuleSpec(kind=RuleKind.THRESHOLD, alarm_level=1)
    # the fault at 08:05 arrived after the normal reading of 08:10: the newest (normal) one decides
    assert assess(spec, [(m(10), 0), (m(5), 1)], m(11)).severity == AlarmSeverity.NONE
    # a reading from the future of the evaluation is not yet known
    assert assess(spec, [(m(0), 0), (m(20), 1)], m(11)).severity == AlarmSeverity.NONE


def test_duration_needs_the_whole_span():
    spec = RuleSpec(kind=RuleKind.DURATION, warn_level=90, duration_minutes=30)
    series = [(m(i * 5), 95) for i in range(6)]  # 0..25 minutes above: not yet 30
    assert assess(spec, series, m(26)).severity == AlarmSeverity.NONE
    series.append((m(30), 96))
    assert assess(spec, series, m(31)).severity == AlarmSeverity.WARN
    # one reading below inside the run breaks it
    broken = [*series[:3], (m(15), 50), *series[4:]]
    assert assess(spec, broken, m(31)).severity == AlarmSeverity.NONE
    # shuffled: the same verdict
    assert assess(spec, list(reversed(series)), m(31)).severity == AlarmSeverity.WARN


def test_repetition_counts_inside_the_window():
    spec = RuleSpec(kind=RuleKind.REPETITION, alarm_level=1, count=5, window_minutes=60)
    faults = [(m(i * 10), 3) for i in range(5)]  # five faults within 40 minutes
    assert assess(spec, faults, m(45)).severity == AlarmSeverity.ALARM
    assert assess(spec, faults[:4], m(45)).severity == AlarmSeverity.NONE
    # an hour later the first ones left the window
    assert assess(spec, faults, m(105)).severity == AlarmSeverity.NONE


def test_silence_no_water_and_no_reports():
    spec = RuleSpec(kind=RuleKind.SILENCE, silence_minutes=12 * 60, activity_above=0.5)
    zeros = [(m(i * 60), 0.0) for i in range(14)]  # readings every hour, no water used
    verdict = assess(spec, zeros, m(13 * 60), last_activity_at=m(0))
    assert verdict.severity == AlarmSeverity.ALARM
    used = [*zeros, (m(12 * 60), 30.0)]
    assert assess(spec, used, m(13 * 60), last_activity_at=m(0)).severity == AlarmSeverity.NONE
    stopped = RuleSpec(kind=RuleKind.SILENCE, silence_minutes=60, severity=AlarmSeverity.WARN)
    assert assess(stopped, [], m(120), watching_since=m(0)).severity == AlarmSeverity.WARN
    assert assess(stopped, [(m(100), 1)], m(120), watching_since=m(0)).severity == AlarmSeverity.NONE


def test_silence_across_a_restart_and_a_late_reading():
    spec = RuleSpec(kind=RuleKind.SILENCE, silence_minutes=60)
    first = assess(spec, [(m(30), 1)], m(40), watching_since=m(0))
    assert first.severity == AlarmSeverity.NONE and first.last_activity_at == m(30)
    # restart: only the stored clock is known; the series read after it holds no reading
    assert assess(spec, [], m(95), last_activity_at=first.last_activity_at).severity == AlarmSeverity.ALARM
    # a late reading older than the clock does not move it back
    late = assess(spec, [(m(10), 1)], m(80), last_activity_at=first.last_activity_at)
    assert late.last_activity_at == m(30) and late.severity == AlarmSeverity.NONE
