import datetime as dt

import pytest
from django.utils import timezone

from civicloop.cases import services as s
from civicloop.cases.constants import CaseState, MeetingState
from civicloop.cases.error_codes import CaseErrorCode
from civicloop.cases.models import Case
from civicloop.core.errors import CivicError, ErrorCode


def test_meeting_agenda_decision_minutes(world, flow):
    case = flow.dispatched()
    s.case_escalate(actor=world.street_dispatcher, case_id=case.pk, reason="涉及多个部门")
    other = flow.dispatched()
    meeting = s.meeting_create(actor=world.consultation_staff, body_unit_id=world.consultation.pk,
                               date=timezone.localdate(), title="老旧小区加装电梯协调")
    with pytest.raises(CivicError) as exc:
        s.meeting_agenda_add(actor=world.consultation_staff, meeting_id=meeting.pk, case_id=other.pk)
    assert exc.value.code == CaseErrorCode.CONSULTATION_INVALID
    with pytest.raises(CivicError) as exc:
        s.meeting_create(actor=world.street_dispatcher, body_unit_id=world.consultation.pk, date=timezone.localdate(),
                         title="x")
    assert exc.value.code == ErrorCode.FORBIDDEN
    item = s.meeting_agenda_add(actor=world.consultation_staff, meeting_id=meeting.pk, case_id=case.pk)
    deadline = timezone.localdate() + dt.timedelta(days=30)
    decision = s.meeting_decide(actor=world.consultation_staff, item_id=item.pk, lead_unit_id=world.city_mgmt.pk,
                                co_unit_ids=[world.housing.pk], measures="城管牵头，房管配合", deadline=deadline)
    case.refresh_from_db()
    assert case.state == CaseState.DISPATCHED and case.lead_unit_id == world.city_mgmt.pk
    assert timezone.localtime(case.deadline).date() == deadline and case.dispatching_unit_id == world.consultation.pk
    assert decision.co_unit_ids == [world.housing.pk]
    meeting = s.meeting_minutes_generate(actor=world.consultation_staff, meeting_id=meeting.pk)
    assert meeting.state == MeetingState.HELD
    assert case.tracking_code in meeting.minutes and "区城管执法局" in meeting.minutes and "区房管局" in meeting.minutes
    with pytest.raises(CivicError):
        s.meeting_decide(actor=world.consultation_staff, item_id=item.pk, lead_unit_id=world.housing.pk,
                         measures="再议", deadline=deadline)
    assert Case.objects.get(pk=case.pk).events.filter(action="decide").count() == 1
