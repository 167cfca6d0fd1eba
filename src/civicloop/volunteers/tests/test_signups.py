"""Sign-up rules (capacity, duplicates, the last slot), check-in and check-out into the ledger, corrections
(audit-logged, the difference in the ledger), and refusals that change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicloop.core.errors import CivicError
from civicloop.core.models import AuditLog
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.volunteers import services as s
from civicloop.volunteers.constants import MemberKind, SignUpState
from civicloop.volunteers.models import HoursEntry, ServiceNeed, SignUp
from civicloop.volunteers.selectors import board_for, member_hours
from civicloop.volunteers.testing import make_member, make_need
from civicloop.workdays.calendar import SHANGHAI


def code(exc):
    return str(exc.value.code)


@pytest.fixture
def agency(world):
    return Unit.objects.create(code="U-PARTY", name="区财政局机关党委", kind=UnitKind.PARTY_ORG, district=world.district)


def test_capacity_and_duplicates(world):
    need = make_need(world, slots=2)
    a, b, c = (make_member(world, name=n, phone=f"1391234567{i}") for i, n in enumerate(("甲", "乙", "丙")))
    s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=a.pk)
    with pytest.raises(CivicError) as exc:
        s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=a.pk)
    assert code(exc) == "already_signed_up"
    s.signup_create(need_id=need.pk, member_id=b.pk, by_member=True)  # the volunteer themself
    with pytest.raises(CivicError) as exc:
        s.signup_create(need_id=need.pk, member_id=c.pk, by_member=True)
    assert code(exc) == "need_full"
    need.refresh_from_db()
    assert need.taken == 2 and SignUp.objects.filter(need=need).count() == 2


def test_a_cancelled_slot_is_free_again_and_may_be_taken_again(world):
    need = make_need(world, slots=1)
    a = make_member(world)
    first = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=a.pk)
    s.signup_cancel(signup_id=first.pk, member_id=a.pk)
    assert ServiceNeed.objects.get(pk=need.pk).taken == 0
    s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=a.pk)
    assert ServiceNeed.objects.get(pk=need.pk).taken == 1


def test_the_last_slot_is_taken_by_the_conditional_update_not_by_what_was_read(world, monkeypatch):
    """Another sign-up took the last slot after this one read the need: the UPDATE `taken < slots` refuses."""
    need = make_need(world, slots=1)
    a = make_member(world)
    from civicloop.volunteers.services import attendance

    real = attendance.need_open

    def racing(n, now):
        ServiceNeed.objects.filter(pk=n.pk).update(taken=1)  # the other sign-up commits in between
        return real(n, now)

    monkeypatch.setattr(attendance, "need_open", racing)
    with pytest.raises(CivicError) as exc:
        s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=a.pk)
    assert code(exc) == "need_full" and not SignUp.objects.filter(need=need).exists()


def test_the_database_refuses_an_overfull_need_and_a_double_sign_up(world):
    need = make_need(world, slots=1)
    a = make_member(world)
    signup = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=a.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceNeed.objects.filter(pk=need.pk).update(taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(district=signup.district, street=signup.street, community=signup.community, need=need,
                              member=a, signed_up_at=timezone.now())


def test_closed_or_past_needs_and_members_elsewhere_are_refused(world):
    past = make_need(world, starts_in=dt.timedelta(hours=-5), hours=2)
    a = make_member(world)
    with pytest.raises(CivicError) as exc:
        s.signup_create(actor=world.committee_worker, need_id=past.pk, member_id=a.pk)
    assert code(exc) == "need_not_open"
    need = make_need(world)
    s.need_close(actor=world.committee_worker, need_id=need.pk)
    with pytest.raises(CivicError) as exc:
        s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=a.pk)
    assert code(exc) == "need_not_open"
    other = make_member(world, community=world.comm_a2, actor=world.district_admin, phone="13900000000")
    need = make_need(world)
    with pytest.raises(CivicError) as exc:  # the volunteer of comm_a2 sees no need of comm_a1
        s.signup_create(need_id=need.pk, member_id=other.pk, by_member=True)
    assert code(exc) == "not_found"
    with pytest.raises(CivicError) as exc:
        s.signup_create(actor=world.district_admin, need_id=need.pk, member_id=other.pk)
    assert code(exc) == "member_not_here"


def test_check_in_and_out_write_the_hours_for_the_member_and_the_unit(world, agency):
    now = timezone.now()
    need = make_need(world, starts_in=dt.timedelta(hours=-3), hours=4, now=now)
    m = make_member(world, kind=MemberKind.PARTY_MEMBER, unit=agency)
    signup = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=m.pk, now=now)
    with pytest.raises(CivicError) as exc:  # check-out before check-in
        s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk, now=now)
    assert code(exc) == "signup_state"
    s.signup_check_in(actor=world.committee_worker, signup_id=signup.pk, at=now - dt.timedelta(minutes=150), now=now)
    with pytest.raises(CivicError) as exc:  # a check-out time before the check-in
        s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk, at=now - dt.timedelta(hours=3), now=now)
    assert code(exc) == "times_invalid"
    assert SignUp.objects.get(pk=signup.pk).state == SignUpState.CHECKED_IN and not HoursEntry.objects.exists()
    done = s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk, now=now)
    assert done.hours == Decimal("2.50")
    entry = HoursEntry.objects.get()
    assert (entry.member_id, entry.unit_id, entry.hours) == (m.pk, agency.pk, Decimal("2.50"))
    board = board_for(world.street_dispatcher, place_id=world.street_a.pk)
    assert board.hours == Decimal("2.50") and board.party_members == 1
    row = next(r for r in board.rows if r.place.pk == world.comm_a1.pk)
    assert row.hours == Decimal("2.50")
    assert board.units == [(agency.name, Decimal("2.50"), 1)]


def test_a_volunteer_checks_in_and_out_themself_now(world):
    now = timezone.now()
    need = make_need(world, now=now)
    m = make_member(world)
    signup = s.signup_create(need_id=need.pk, member_id=m.pk, by_member=True, now=now)
    s.signup_check_in(member_id=m.pk, signup_id=signup.pk, at=now - dt.timedelta(days=3), now=now)  # `at` ignored
    out = s.signup_check_out(member_id=m.pk, signup_id=signup.pk, now=now + dt.timedelta(minutes=90))
    assert out.check_in_at == now and out.hours == Decimal("1.50") and out.checked_out_by is None
    assert AuditLog.objects.filter(action="volunteers.check_out", username=f"volunteer:{m.person.code}").exists()
    other = make_member(world, name="乙", phone="13911112222")
    with pytest.raises(CivicError) as exc:  # someone else's sign-up
        s.signup_cancel(member_id=other.pk, signup_id=signup.pk)
    assert code(exc) == "not_found"


def test_overnight_shift_counts_on_the_check_in_day(world):
    now = dt.datetime(2026, 3, 2, 8, tzinfo=SHANGHAI)
    need = make_need(world, starts_in=dt.timedelta(hours=1), hours=8, now=now - dt.timedelta(hours=11))
    m = make_member(world)
    signup = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=m.pk,
                             now=now - dt.timedelta(hours=11))
    s.signup_check_in(actor=world.committee_worker, signup_id=signup.pk,
                      at=dt.datetime(2026, 3, 1, 22, tzinfo=SHANGHAI), now=now)
    s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk,
                       at=dt.datetime(2026, 3, 2, 2, 30, tzinfo=SHANGHAI), now=now)
    entry = HoursEntry.objects.get()
    assert (entry.day, entry.hours) == (dt.date(2026, 3, 1), Decimal("4.50"))


def test_a_correction_writes_the_difference_and_an_audit_row(world):
    now = timezone.now()
    need = make_need(world, starts_in=dt.timedelta(hours=-4), hours=5, now=now)
    m = make_member(world)
    signup = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=m.pk, now=now)
    start = now - dt.timedelta(hours=3)
    s.signup_check_in(actor=world.committee_worker, signup_id=signup.pk, at=start, now=now)
    s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk, at=start + dt.timedelta(hours=1), now=now)
    with pytest.raises(CivicError) as exc:  # correcting to a check-out before the check-in changes nothing
        s.signup_correct(actor=world.committee_worker, signup_id=signup.pk, check_in_at=start,
                         check_out_at=start - dt.timedelta(minutes=1), reason="补录", now=now)
    assert code(exc) == "times_invalid" and HoursEntry.objects.count() == 1
    with pytest.raises(CivicError) as exc:  # a street reads but does not keep the roster
        s.signup_correct(actor=world.street_dispatcher, signup_id=signup.pk, check_in_at=start,
                         check_out_at=start + dt.timedelta(hours=2), reason="补录", now=now)
    assert code(exc) == "forbidden"
    s.signup_correct(actor=world.committee_worker, signup_id=signup.pk, check_in_at=start,
                     check_out_at=start + dt.timedelta(hours=2, minutes=15), reason="签退漏记", now=now)
    assert [e.hours for e in HoursEntry.objects.order_by("pk")] == [Decimal("1.00"), Decimal("1.25")]
    assert member_hours(m)["all_hours"] == Decimal("2.25")
    log = AuditLog.objects.get(action="volunteers.correct")
    assert log.details["before"]["hours"] == "1.00" and log.details["after"]["hours"] == "2.25"
    assert log.details["reason"] == "签退漏记" and log.user == world.committee_worker


def test_a_correction_that_moves_the_day_moves_the_hours(world):
    now = dt.datetime(2026, 1, 3, 12, tzinfo=SHANGHAI)
    need = make_need(world, starts_in=dt.timedelta(hours=-2), hours=4, now=now)
    m = make_member(world)
    signup = s.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=m.pk, now=now)
    s.signup_check_in(actor=world.committee_worker, signup_id=signup.pk, at=now - dt.timedelta(hours=2), now=now)
    s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk, at=now, now=now)
    s.signup_correct(actor=world.committee_worker, signup_id=signup.pk,
                     check_in_at=dt.datetime(2025, 12, 31, 20, tzinfo=SHANGHAI),
                     check_out_at=dt.datetime(2025, 12, 31, 23, tzinfo=SHANGHAI), reason="日期录错", now=now)
    assert member_hours(m, year=2026)["year_hours"] == Decimal("0.00")
    assert member_hours(m, year=2025)["year_hours"] == Decimal("3.00")


def test_registration_rules(world, agency):
    with pytest.raises(CivicError) as exc:  # a party member names their unit
        make_member(world, kind=MemberKind.PARTY_MEMBER)
    assert code(exc) == "invalid"
    m = make_member(world)
    assert m.person.code.startswith("ZY") and m.street_id == world.street_a.pk
    with pytest.raises(CivicError) as exc:
        s.member_register(actor=world.committee_worker, community_id=world.comm_a1.pk, kind=MemberKind.VOLUNTEER,
                          person_id=m.person.pk)
    assert code(exc) == "already_registered"
    with pytest.raises(CivicError) as exc:  # another committee's community: not theirs to see
        make_member(world, community=world.comm_b1, phone="13800000000")
    assert code(exc) == "not_found"
    with pytest.raises(CivicError) as exc:  # a street sees comm_a2 but does not keep it
        make_member(world, community=world.comm_a2, actor=world.street_dispatcher, phone="13800000000")
    assert code(exc) == "forbidden"
    with pytest.raises(CivicError) as exc:
        make_member(world, phone="12345")
    assert code(exc) == "invalid"
