"""Revealing the reporter is a service: scope first (NOT_FOUND), then `may_unmask` (FORBIDDEN), then one logged view."""

import pytest

from civicloop.cases import services as s
from civicloop.cases.selectors import case_detail
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import UnmaskLog


def refused(actor, case_id) -> str:
    with pytest.raises(CivicError) as exc:
        s.case_reporter_reveal(actor=actor, case_id=case_id)
    return exc.value.code


def test_reveal_checks_scope_then_the_rule_and_logs_the_view(world, flow):
    case = flow.dispatched()
    assert refused(world.outsider, case.pk) == ErrorCode.NOT_FOUND  # out of scope: as if missing
    assert refused(world.dept_handler, 10**9) == ErrorCode.NOT_FOUND
    assert refused(world.leader, case.pk) == ErrorCode.FORBIDDEN
    assert not UnmaskLog.objects.exists()
    clear = s.case_reporter_reveal(actor=world.street_dispatcher, case_id=case.pk, reason_code="other",
                                   reason="回访核实")
    assert clear == {"name": "李四", "phone": "13912345678", "id_number": "", "anonymous": False, "masked": False}
    log = UnmaskLog.objects.get()
    assert (log.object_type, log.object_id, log.district_id, log.reason_code, log.reason) == (
        "cases.case", str(case.pk), case.district_id, "other", "回访核实")
    assert log.fields == "reporter_name,reporter_phone,reporter_id_number"


def test_reading_the_case_writes_nothing(world, flow):
    case = flow.dispatched()
    detail = case_detail(world.dept_handler, case.pk)
    assert detail["reporter"]["masked"] and detail["may_unmask"]
    assert not UnmaskLog.objects.exists()


def test_anonymous_reporter_has_nothing_to_reveal(world, flow):
    case = flow.register(reporter_anonymous=True, reporter_name="", reporter_phone="")
    assert s.case_reporter_reveal(actor=world.street_dispatcher, case_id=case.pk)["anonymous"]
    assert refused(world.leader, case.pk) == ErrorCode.FORBIDDEN
    assert not UnmaskLog.objects.exists()


def test_automatic_work_is_not_logged(world, flow):
    case = flow.dispatched()
    assert s.case_reporter_reveal(actor=s.SYSTEM, case_id=case.pk)["phone"] == "13912345678"
    assert not UnmaskLog.objects.exists()
