"""The pack: an agenda item from each source, as the builder's scope sees it, kept as a snapshot."""

import datetime as dt

import pytest

from civicloop.cases.constants import CaseState
from civicloop.core.errors import CivicError
from civicloop.meetings import selectors
from civicloop.meetings.constants import ItemSource, OutcomeKind
from civicloop.meetings.models import AgendaItem
from civicloop.meetings.services import meeting_create, meeting_pack_build

pytestmark = pytest.mark.django_db


def refs(meeting, source):
    return set(AgendaItem.objects.filter(meeting=meeting, source=source).values_list("ref_id", flat=True))


def test_district_pack_has_each_source(world, sources, district_meeting):
    m = district_meeting
    assert refs(m, ItemSource.MILESTONE) == {sources.ms_a.pk, sources.ms_b.pk}  # the done one is not there
    assert refs(m, ItemSource.RED_CASE) == {sources.red_a.pk, sources.red_b.pk}  # red and supervised only
    assert refs(m, ItemSource.CONSULTATION) == {sources.escalated_a.pk}
    assert refs(m, ItemSource.DECISION) == set()  # no meeting before it
    assert m.pack_built_at is not None and m.previous is None


def test_snapshot_holds_title_status_due_and_link(world, sources, district_meeting, today):
    ms = AgendaItem.objects.get(meeting=district_meeting, source=ItemSource.MILESTONE, ref_id=sources.ms_a.pk)
    assert ms.title == "老旧小区加装电梯 · 完成意见征询"
    assert (ms.status, ms.status_kind, ms.due) == ("late", OutcomeKind.TASK, today - dt.timedelta(days=10))
    assert ms.unit_name == world.street_a_office.name and ms.url.endswith(f"/{sources.task_a.pk}/")
    red = AgendaItem.objects.get(meeting=district_meeting, source=ItemSource.RED_CASE, ref_id=sources.red_a.pk)
    assert red.title.startswith(sources.red_a.tracking_code) and "13912345678" not in red.title  # stored masked
    assert (red.status, red.unit_name) == (CaseState.DISPATCHED, world.housing.name)
    assert red.detail["overdue_days"] >= 2 and red.url.endswith(f"/{sources.red_a.tracking_code}/")


def test_snapshot_stays_when_the_case_moves_on(world, sources, district_meeting):
    from civicloop.cases import services as cs

    cs.case_accept(actor=world.dept_handler, case_id=sources.red_a.pk)
    pack = selectors.meeting_pack_for(world.district_admin, district_meeting.pk)
    item = next(i for i in pack["items"] if i.ref_id == sources.red_a.pk and i.source == ItemSource.RED_CASE)
    assert item.status == CaseState.DISPATCHED and item.status_label == str(CaseState.DISPATCHED.label)


def test_street_pack_has_only_the_street(world, sources, street_meeting):
    m = street_meeting
    assert refs(m, ItemSource.MILESTONE) == {sources.ms_a.pk}
    assert refs(m, ItemSource.RED_CASE) == {sources.red_a.pk}
    assert refs(m, ItemSource.CONSULTATION) == {sources.escalated_a.pk}


def test_district_staff_build_a_streets_pack_with_only_that_street(world, sources, today):
    m = meeting_create(actor=world.district_admin, title="乙街道例会", date=today, street_id=world.street_b.pk)
    assert refs(m, ItemSource.MILESTONE) == {sources.ms_b.pk}
    assert refs(m, ItemSource.RED_CASE) == {sources.red_b.pk}
    assert refs(m, ItemSource.CONSULTATION) == set()


def test_build_again_keeps_items_by_hand_and_follows_the_sources(world, sources, street_meeting):
    from civicloop.cases import services as cs
    from civicloop.meetings.services import item_add

    hand = item_add(actor=world.street_dispatcher, meeting_id=street_meeting.pk, title="垃圾分类检查通报")
    cs.case_supervise(actor=world.street_dispatcher, case_id=sources.red_plain.pk, notice="请加快")
    meeting_pack_build(actor=world.street_dispatcher, meeting_id=street_meeting.pk)
    assert refs(street_meeting, ItemSource.RED_CASE) == {sources.red_a.pk, sources.red_plain.pk}
    hand.refresh_from_db()
    assert hand.position == AgendaItem.objects.filter(meeting=street_meeting).count()  # last, kept


def test_pack_is_built_only_while_planned(world, sources, street_meeting):
    from civicloop.meetings.services import meeting_hold

    meeting_hold(actor=world.street_dispatcher, meeting_id=street_meeting.pk)
    before = list(AgendaItem.objects.filter(meeting=street_meeting).values_list("pk", flat=True))
    with pytest.raises(CivicError) as e:
        meeting_pack_build(actor=world.street_dispatcher, meeting_id=street_meeting.pk)
    assert e.value.code == "meeting_state"
    assert list(AgendaItem.objects.filter(meeting=street_meeting).values_list("pk", flat=True)) == before
