"""Every unmasked view has a reason and counts against an hourly limit (core.services.personal_data_reveal,
reached here through the reveal services of cases and places and the case page)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from civicloop.cases import services as s
from civicloop.core import services as core_services
from civicloop.core.error_codes import CoreErrorCode
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import UnmaskLog
from civicloop.places.models import Household
from civicloop.places.services import household_head_reveal


def refused(**kwargs):
    with pytest.raises(CivicError) as exc:
        s.case_reporter_reveal(**kwargs)
    return exc.value


@pytest.mark.parametrize("reason_code, reason", [("", ""), ("", "回访"), ("nonsense", "x"), ("other", ""),
                                                 ("other", "   ")])
def test_a_reason_is_required(world, flow, reason_code, reason):
    case = flow.dispatched()
    error = refused(actor=world.street_dispatcher, case_id=case.pk, reason_code=reason_code, reason=reason)
    assert (error.code, error.status) == (CoreErrorCode.UNMASK_REASON_REQUIRED, 400)
    assert not UnmaskLog.objects.exists()


def test_the_rule_is_checked_before_the_reason(world, flow):
    case = flow.dispatched()
    assert refused(actor=world.leader, case_id=case.pk).code == ErrorCode.FORBIDDEN


def test_reason_and_text_are_stored(world, flow):
    case = flow.dispatched()
    s.case_reporter_reveal(actor=world.street_dispatcher, case_id=case.pk, reason_code="other", reason=" 信访  复核 ")
    s.case_reporter_reveal(actor=world.street_dispatcher, case_id=case.pk, reason_code="callback")
    assert list(UnmaskLog.objects.order_by("id").values_list("reason_code", "reason")) == [
        ("other", "信访 复核"), ("callback", "")]


def test_hourly_limit_per_user(world, flow, settings, monkeypatch):
    settings.UNMASK_LIMIT_PER_HOUR = 2
    case = flow.dispatched()
    hh = Household.objects.get(community=world.comm_a1)
    s.case_reporter_reveal(actor=world.street_dispatcher, case_id=case.pk, reason_code="verify")
    s.case_reporter_reveal(actor=world.street_dispatcher, case_id=case.pk, reason_code="verify")
    error = refused(actor=world.street_dispatcher, case_id=case.pk, reason_code="verify")
    assert (error.code, error.status) == (CoreErrorCode.UNMASK_RATE_LIMITED, 429)
    assert "2" in error.message
    with translation.override("en"):
        assert "per hour" in error.message
    assert UnmaskLog.objects.count() == 2
    # another user has a limit of their own, and it counts every kind of object
    household_head_reveal(actor=world.committee_worker, code=hh.code, reason_code="on_site")
    household_head_reveal(actor=world.committee_worker, code=hh.code, reason_code="on_site")
    with pytest.raises(CivicError):
        s.case_reporter_reveal(actor=world.committee_worker, case_id=case.pk, reason_code="verify")
    # an hour later the window has moved on
    later = timezone.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(core_services, "timezone", SimpleNamespace(now=lambda: later))
    s.case_reporter_reveal(actor=world.street_dispatcher, case_id=case.pk, reason_code="verify")
    assert UnmaskLog.objects.filter(user=world.street_dispatcher).count() == 3


def test_automatic_work_needs_no_reason_and_has_no_limit(world, flow, settings):
    settings.UNMASK_LIMIT_PER_HOUR = 0
    case = flow.dispatched()
    assert s.case_reporter_reveal(actor=s.SYSTEM, case_id=case.pk)["phone"] == "13912345678"


def test_pages_ask_for_the_reason_and_say_why_they_refuse(client, world, flow, settings):
    settings.UNMASK_LIMIT_PER_HOUR = 1
    case = flow.dispatched()
    client.force_login(world.dept_handler)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="reason_code"' in page and 'value="other"' in page and 'name="reason"' in page
    missing = client.post(f"/cases/{case.pk}/reporter/", {"reason_code": "other"}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 400 and missing["HX-Retarget"] == "#messages"
    assert "理由" in missing.content.decode() and "13912345678" not in missing.content.decode()
    ok = client.post(f"/cases/{case.pk}/reporter/", {"reason_code": "other", "reason": "复核"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "13912345678" in ok.content.decode()
    limited = client.post(f"/cases/{case.pk}/reporter/", {"reason_code": "callback"}, HTTP_HX_REQUEST="true",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert limited.status_code == 429 and "13912345678" not in limited.content.decode()
    assert UnmaskLog.objects.get().reason == "复核"


def test_case_admin_masks_the_reporter_and_reveals_through_the_case_service(client, world, flow):
    from django.urls import reverse

    from civicloop.testing import make_user

    case = flow.dispatched()
    client.force_login(make_user("root", None, superuser=True))
    page = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert "139****5678" in page and "李*" in page and "13912345678" not in page and "李四" not in page
    shown = client.post(reverse("admin:cases_case_reveal", args=[case.pk]), {"reason_code": "callback"})
    assert shown.status_code == 200 and "13912345678" in shown.content.decode()
    log = UnmaskLog.objects.get()
    assert (log.object_type, log.object_id, log.fields) == (
        "cases.case", str(case.pk), "reporter_name,reporter_phone,reporter_id_number")
