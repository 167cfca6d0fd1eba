"""Evaluation and alarms: rules judge devices' series (evaluate.py), alarms follow the verdicts, and an alarm a
person must act on becomes one case of the loop.

`evaluate_devices(device_ids, now)` reads, per rule, the series of every device in one query, the rule states and
the open alarms in one query each, asks `assess`, and writes only what changed — so it runs as often as readings
come, and twice with the same data does nothing the second time (the task on the queue is idempotent).

An alarm is an episode of (rule, device): raised at a verdict past NONE, repeated (`count` + the new breaching
readings after its `last_at`, `last_at` moved), risen (severity only goes up while it is open), cleared when
the verdict is NONE again. At ALARM — or escalated by a person — it opens one case (channel sensor, external id
`signs:<alarm id>`, so even a second evaluation racing the first cannot open two); the repeats while that case
is open, and the clearing, are system notes on it (cases.case_sensor_note). A person still resolves the case.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _gettext

from civicloop.cases.constants import Channel, Urgency
from civicloop.cases.services import SYSTEM, case_dispatch, case_register, case_sensor_note, case_triage
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.services import audit_write
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit

from ..constants import AlarmAction, AlarmSeverity, RuleKind
from ..error_codes import SignsErrorCode
from ..evaluate import RuleSpec, Verdict, assess
from ..models import Alarm, Device, Reading, Rule, RuleState
from ..permissions import may_acknowledge, may_escalate


def rules_for(district_ids) -> dict[tuple[int, str], list[Rule]]:
    """The active rules by (district, device kind of their metric)."""
    out: dict[tuple[int, str], list[Rule]] = defaultdict(list)
    for rule in Rule.objects.filter(district_id__in=district_ids, active=True).select_related("metric"):
        out[(rule.district_id, rule.metric.device_kind)].append(rule)
    return out


def evaluate_devices(device_ids, *, now: dt.datetime | None = None) -> int:
    """Evaluate every active rule over the devices; the number of alarms raised, changed or cleared."""
    now = now or timezone.now()
    devices = {d.pk: d for d in Device.objects.filter(pk__in=list(device_ids), active=True)}
    if not devices:
        return 0
    by_rule: dict[int, tuple[Rule, list[Device]]] = {}
    rules = rules_for({d.district_id for d in devices.values()})
    for device in devices.values():
        for rule in rules.get((device.district_id, device.kind), ()):
            by_rule.setdefault(rule.pk, (rule, []))[1].append(device)
    changed = 0
    for rule, members in by_rule.values():
        changed += _evaluate_rule(rule, members, now)
    return changed


def _evaluate_rule(rule: Rule, devices: list[Device], now: dt.datetime) -> int:
    spec = RuleSpec.of(rule)
    ids = [d.pk for d in devices]
    series: dict[int, list] = defaultdict(list)
    for device_id, at, value in Reading.objects.filter(
            device_id__in=ids, metric_id=rule.metric_id, at__gt=now - spec.lookback, at__lte=now,
    ).values_list("device_id", "at", "value"):
        series[device_id].append((at, value))
    states = {s.device_id: s for s in RuleState.objects.filter(rule=rule, device_id__in=ids)}
    alarms = {a.device_id: a for a in Alarm.objects.filter(rule=rule, device_id__in=ids, cleared_at__isnull=True)}
    changed, new_states, moved_states = 0, [], []
    for device in devices:
        state = states.get(device.pk)
        verdict = assess(spec, series[device.pk], now, last_activity_at=state.last_activity_at if state else None,
                         watching_since=device.created_at)
        if state is None:
            new_states.append(RuleState(rule=rule, device=device, severity=verdict.severity, since=now,
                                        last_activity_at=verdict.last_activity_at, evaluated_at=now))
        elif state.severity != verdict.severity or state.last_activity_at != verdict.last_activity_at:
            if state.severity != verdict.severity:
                state.since = now
            state.severity, state.last_activity_at, state.evaluated_at = verdict.severity, verdict.last_activity_at, now
            moved_states.append(state)
        alarm = alarms.get(device.pk)
        if verdict.severity == AlarmSeverity.NONE and alarm is None:
            continue
        try:
            changed += alarm_follow(rule=rule, spec=spec, device=device, alarm=alarm, verdict=verdict,
                                    series=series[device.pk], now=now)
        except CivicError:
            continue  # the case refused (a category retired meanwhile …): the alarm stays, the next run retries
    RuleState.objects.bulk_create(new_states, ignore_conflicts=True)
    RuleState.objects.bulk_update(moved_states, ["severity", "since", "last_activity_at", "evaluated_at"])
    return changed


@transaction.atomic
def alarm_follow(*, rule: Rule, spec: RuleSpec, device: Device, alarm: Alarm | None, verdict: Verdict, series,
                 now: dt.datetime) -> int:
    """Make the alarm of (rule, device) follow one verdict; 1 when something changed, else 0."""
    if verdict.severity == AlarmSeverity.NONE:
        alarm = Alarm.objects.select_for_update().filter(pk=alarm.pk, cleared_at__isnull=True).first()
        if alarm is None:
            return 0
        alarm.cleared_at = now
        alarm.save(update_fields=["cleared_at"])
        _audit(alarm, AlarmAction.CLEAR)
        if alarm.case_id:
            case_sensor_note(case_id=alarm.case_id, note=_gettext("感知设备读数已恢复正常，告警解除（%(rule)s）。请核实后办结。")
                             % {"rule": rule.name})
        return 1
    at = verdict.at or now
    hits = [a for a, v in series if spec.level_of(v) >= AlarmSeverity.WARN]
    if alarm is None:
        alarm = Alarm.objects.create(
            district_id=device.district_id, rule=rule, device=device, place_id=device.place_id,
            street_id=device.street_id, community_id=device.community_id, household_id=device.household_id,
            severity=verdict.severity, value=verdict.value, count=1, first_at=at, last_at=at)
        _audit(alarm, AlarmAction.RAISE)
        if alarm.severity == AlarmSeverity.ALARM:
            alarm_open_case(alarm, rule=rule, device=device)
        return 1
    alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
    repeats = 1 if rule.kind == RuleKind.SILENCE and at > alarm.last_at else sum(1 for a in hits if a > alarm.last_at)
    rose = verdict.severity > alarm.severity
    if not repeats and not rose:
        return 0
    if repeats and rule.kind != RuleKind.SILENCE:
        alarm.count += repeats
    alarm.last_at = max(alarm.last_at, at)
    alarm.value = verdict.value
    if rose:
        alarm.severity = verdict.severity
        _audit(alarm, AlarmAction.RISE)
    alarm.save(update_fields=["count", "last_at", "value", "severity"])
    if alarm.case_id is None and alarm.severity == AlarmSeverity.ALARM:
        alarm_open_case(alarm, rule=rule, device=device)
    elif alarm.case_id and (rose or (repeats and rule.kind != RuleKind.SILENCE)):
        case_sensor_note(case_id=alarm.case_id, note=_gettext("告警重复：%(rule)s，累计 %(count)d 次，最近读数 %(value)s。")
                         % {"rule": rule.name, "count": alarm.count, "value": _value(alarm.value)})
    return 1


def _value(value) -> str:
    return "—" if value is None else f"{value:g}"


def _audit(alarm: Alarm, action: str, user=None) -> None:
    audit_write(action=action, user=user, username="" if user else "system", district_id=alarm.district_id,
                object_type="signs.alarm", object_id=alarm.pk,
                details={"severity": alarm.severity, "count": alarm.count, "rule_id": alarm.rule_id})


def lead_unit_for(rule: Rule, device: Device) -> int | None:
    """Who handles the rule's cases: the rule's unit, or, for an elderly-care rule, the household's committee."""
    if rule.to_committee and device.community_id is not None:
        return Unit.objects.filter(kind=UnitKind.COMMITTEE, territory_id=device.community_id,
                                   active=True).values_list("pk", flat=True).first()
    return rule.lead_unit_id


def alarm_open_case(alarm: Alarm, *, rule: Rule, device: Device) -> None:
    """The alarm's one case: registered by the system (channel sensor), triaged into the rule's category and
    dispatched to its lead unit when the rule names both; else it waits in the territory's dispatcher inbox."""
    metric = rule.metric
    description = _gettext("%(device)s（%(code)s）%(rule)s：%(metric)s %(value)s%(unit)s，%(at)s 起。") % {
        "device": device.name, "code": device.code, "rule": rule.name, "metric": metric.name,
        "value": _value(alarm.value), "unit": metric.unit,
        "at": timezone.localtime(alarm.first_at).strftime("%Y-%m-%d %H:%M")}
    where = {"household_id": device.household_id} if device.household_id else {"place_id": device.place_id}
    case = case_register(actor=SYSTEM, channel=Channel.SENSOR, external_id=f"signs:{alarm.pk}",
                         district_id=alarm.district_id, description=description, category_id=rule.category_id,
                         urgency=Urgency.URGENT, **where)
    Alarm.objects.filter(pk=alarm.pk).update(case=case)
    alarm.case = case
    lead = lead_unit_for(rule, device)
    if case.state == "registered" and rule.category_id and lead:
        case_triage(actor=SYSTEM, case_id=case.pk, category_id=rule.category_id, urgency=Urgency.URGENT)
        case_dispatch(actor=SYSTEM, case_id=case.pk, lead_unit_id=lead)


def _alarm_for_update(actor, alarm_id: int) -> Alarm:
    from ..selectors import alarm_get_for

    alarm_get_for(actor, alarm_id)  # visible, or NOT_FOUND
    return Alarm.objects.select_for_update().select_related("rule__metric", "device").get(pk=alarm_id)


@transaction.atomic
def alarm_acknowledge(*, actor, alarm_id: int) -> Alarm:
    """A person has seen the alarm (active or cleared): it leaves the unacknowledged list."""
    alarm = _alarm_for_update(actor, alarm_id)
    if not may_acknowledge(actor, alarm):
        raise CivicError(SignsErrorCode.ALARM_STATE) if alarm.acknowledged_at else CivicError(ErrorCode.FORBIDDEN)
    alarm.acknowledged_at, alarm.acknowledged_by = timezone.now(), actor
    alarm.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(alarm, AlarmAction.ACKNOWLEDGE, user=actor)
    return alarm


@transaction.atomic
def alarm_escalate(*, actor, alarm_id: int) -> Alarm:
    """A dispatcher judges the (open, caseless) alarm worth a case: it opens the one case now."""
    alarm = _alarm_for_update(actor, alarm_id)
    if not may_escalate(actor, alarm):
        if alarm.case_id is not None or alarm.cleared_at is not None:
            raise CivicError(SignsErrorCode.ALARM_STATE)
        raise CivicError(ErrorCode.FORBIDDEN)
    alarm_open_case(alarm, rule=alarm.rule, device=alarm.device)
    _audit(alarm, AlarmAction.ESCALATE, user=actor)
    return alarm

