"""Alarms: one case per episode however many repeats, notes for repeats, clearing, silence to the committee,
state across a restart, acknowledge / escalate and their refusals."""

import datetime as dt

import pytest

from civicloop.cases.constants import Action, CaseState, Channel
from civicloop.cases.models import Case, CaseEvent
from civicloop.core.errors import CivicError
from civicloop.signs.constants import AlarmSeverity
from civicloop.signs.models import Alarm, RuleState
from civicloop.signs.services.alarms import alarm_acknowledge, alarm_escalate, evaluate_devices
from civicloop.signs.services.ingest import readings_ingest

T0 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def m(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def send(world, code, metric, points, now):
    out = readings_ingest(district_id=world.district.pk, now=now, evaluate=False,
                          items=[{"device": code, "metric": metric, "at": at, "value": v} for at, v in points])
    assert all(o.error is None for o in out)


@pytest.mark.django_db
def test_trapped_passenger_repeats_make_one_case_and_notes_then_clears(world, signs):
    for i in range(4):  # the signal at 08:00, 08:01, 08:02, 08:03, evaluated after each
        send(world, "EL-A1", "elevator_trapped", [(m(i), 1)], m(i))
        evaluate_devices([signs.elevator.pk], now=m(i))
        evaluate_devices([signs.elevator.pk], now=m(i))  # an evaluation run twice: nothing more
    alarm = Alarm.objects.get()
    assert alarm.severity == AlarmSeverity.ALARM and alarm.count == 4 and alarm.last_at == m(3)
    case = Case.objects.get()
    assert alarm.case_id == case.pk and case.channel == Channel.SENSOR and case.category.code == "0201"
    assert case.state == CaseState.REGISTERED and case.street_id == world.street_a.pk  # the street's inbox
    assert CaseEvent.objects.filter(case=case, action=Action.SENSOR_NOTE).count() == 3
    send(world, "EL-A1", "elevator_trapped", [(m(5), 0)], m(5))
    evaluate_devices([signs.elevator.pk], now=m(5))
    alarm.refresh_from_db()
    assert alarm.cleared_at == m(5)
    assert CaseEvent.objects.filter(case=case, action=Action.SENSOR_NOTE).count() == 4
    # a new episode: a new alarm, a second case
    send(world, "EL-A1", "elevator_trapped", [(m(30), 1)], m(30))
    evaluate_devices([signs.elevator.pk], now=m(30))
    assert Alarm.objects.count() == 2 and Case.objects.count() == 2


@pytest.mark.django_db
def test_a_late_reading_is_stored_but_does_not_flip_the_newest_verdict(world, signs):
    send(world, "EL-A1", "elevator_trapped", [(m(10), 0)], m(10))
    send(world, "EL-A1", "elevator_trapped", [(m(5), 1)], m(11))  # late, older than the normal one
    evaluate_devices([signs.elevator.pk], now=m(11))
    assert not Alarm.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
def test_repetition_warns_without_a_case_and_a_person_escalates_once(world, signs):
    send(world, "EL-A1", "elevator_fault", [(m(i * 5), 7) for i in range(5)], m(25))
    evaluate_devices([signs.elevator.pk], now=m(25))
    alarm = Alarm.objects.get()
    assert alarm.severity == AlarmSeverity.WARN and alarm.case_id is None
    with pytest.raises(CivicError) as refused:
        alarm_escalate(actor=world.committee_worker, alarm_id=alarm.pk)  # not a dispatcher
    assert refused.value.code == "forbidden"
    with pytest.raises(CivicError) as refused:
        alarm_escalate(actor=world.outsider, alarm_id=alarm.pk)  # street B: not even visible
    assert refused.value.code == "not_found"
    alarm_escalate(actor=world.street_dispatcher, alarm_id=alarm.pk)
    with pytest.raises(CivicError) as refused:
        alarm_escalate(actor=world.street_dispatcher, alarm_id=alarm.pk)
    assert refused.value.code == "signs_alarm_state"
    assert Case.objects.count() == 1
    alarm_acknowledge(actor=world.committee_worker, alarm_id=alarm.pk)
    alarm.refresh_from_db()
    assert alarm.acknowledged_by == world.committee_worker and alarm.cleared_at is None  # active × acknowledged


@pytest.mark.django_db
def test_silent_water_meter_opens_one_case_for_the_households_committee_across_a_restart(world, signs):
    send(world, "WM-A1", "water_flow", [(m(0), 20.0)] + [(m(60 * h), 0.0) for h in range(1, 8)], m(7 * 60))
    evaluate_devices([signs.meter.pk], now=m(7 * 60))
    assert RuleState.objects.get(rule=signs.no_water).last_activity_at == m(0)
    # "restart": nothing in memory; the next evaluation reads the state and a series that starts after 08:00
    send(world, "WM-A1", "water_flow", [(m(60 * h), 0.0) for h in range(8, 14)], m(13 * 60))
    for _ in range(3):
        evaluate_devices([signs.meter.pk], now=m(13 * 60))
    alarm = Alarm.objects.get()
    case = Case.objects.get()
    assert alarm.case_id == case.pk and case.household_id == signs.meter.household_id
    assert case.lead_unit_id == world.committee_a1.pk and case.state == CaseState.DISPATCHED
    # water used again: cleared, a note on the case, the case stays for a person to resolve
    send(world, "WM-A1", "water_flow", [(m(13 * 60 + 10), 15.0)], m(13 * 60 + 11))
    evaluate_devices([signs.meter.pk], now=m(13 * 60 + 11))
    alarm.refresh_from_db()
    case.refresh_from_db()
    assert alarm.cleared_at is not None and case.state == CaseState.DISPATCHED
    assert CaseEvent.objects.filter(case=case, action=Action.SENSOR_NOTE).count() == 1


@pytest.mark.django_db
def test_duration_rule_on_parking(world, signs):
    send(world, "PK-A1", "parking_occupancy", [(m(i * 5), 95) for i in range(6)], m(25))
    evaluate_devices([signs.parking.pk], now=m(25))
    assert not Alarm.objects.exists()
    send(world, "PK-A1", "parking_occupancy", [(m(30), 97)], m(30))
    evaluate_devices([signs.parking.pk], now=m(30))
    assert Alarm.objects.get().severity == AlarmSeverity.WARN and not Case.objects.exists()
