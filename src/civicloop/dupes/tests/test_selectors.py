"""The suggestions as each persona gets them: never the case itself, never out of the viewer's sight, and the index
following the case event log — new cases, merges, withdrawals, closures, a triage's category."""

import pytest

from civicloop.cases import services as s
from civicloop.dupes import selectors
from civicloop.dupes.index import INDEX

ELEVATOR = "12号楼电梯坏了三天了，老人住在9楼，上下楼太难了，物业说在等配件。"
SENSOR = "12号楼1号电梯故障报警：困人报警触发，电梯运行中断。"
CORRIDOR = "12号楼楼道里堆满了杂物和纸板箱，消防通道都堵住了。"
GRID = "12号楼电梯又坏了，老人下不了楼"


@pytest.fixture
def cluster(world, cats, site, reg):
    """Triaged, as a dispatcher finds them on the case page."""
    from civicloop.cases.constants import Channel

    a = reg(ELEVATOR, site.b12)
    b = reg(SENSOR, site.b12, actor=world.committee_worker, channel=Channel.SENSOR)
    corridor = reg(CORRIDOR, site.b12)
    elsewhere = reg(ELEVATOR, site.other12)  # the same words at another compound's 12号楼
    for case, code in ((a, "0201"), (b, "0201"), (corridor, "0701"), (elsewhere, "0201")):
        s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats[code].pk)
    return a, b, corridor, elsewhere


def ids(suggestions):
    return [x.case.pk for x in suggestions]


def test_the_grid_workers_draft_finds_both_open_reports_of_the_elevator(world, cluster):
    a, b, corridor, elsewhere = cluster
    found = selectors.duplicates_of_draft(world.committee_worker, description=GRID, place_code=world.comm_a1.code)
    assert set(ids(found)) == {a.pk, b.pk}
    assert "同一楼栋" in found[0].reason and "相似度" in found[0].reason


def test_a_case_is_never_its_own_duplicate(world, cluster):
    a, b, corridor, elsewhere = cluster
    for case in cluster:
        _case, found = selectors.duplicates_of_case(world.district_admin, case.pk)
        assert case.pk not in ids(found)
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == [b.pk]
    assert ids(selectors.duplicates_of_case(world.district_admin, elsewhere.pk)[1]) == []


def test_no_suggestion_from_outside_the_viewers_sight(world, cats, cluster):
    a, b, corridor, elsewhere = cluster
    s.case_dispatch(actor=world.street_dispatcher, case_id=a.pk, lead_unit_id=world.housing.pk)
    # the housing department sees the case dispatched to it, not the sensor's report it was never sent
    _case, found = selectors.duplicates_of_case(world.dept_handler, a.pk)
    assert found == []
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == [b.pk]
    # street B's dispatcher: street A's building is not a place they may name, and their own community has nothing
    from civicloop.core.errors import CivicError

    with pytest.raises(CivicError):
        selectors.duplicates_of_draft(world.outsider, description=GRID, place_code=world.comm_a1.code)
    assert selectors.duplicates_of_draft(world.outsider, description=GRID, place_code=world.comm_b1.code) == []
    # another district's administrator sees nothing of this district
    assert selectors.duplicates_of_draft(world.stranger, description=GRID) == []


def test_the_index_follows_a_new_case_and_a_merge(world, site, reg, cluster):
    a, b, corridor, elsewhere = cluster
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == [b.pk]
    c = reg("12号楼的电梯又停了，好几个老人几天没下楼。", site.b12)  # registered after the index was built
    assert set(ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1])) == {b.pk, c.pk}
    s.case_merge(actor=world.street_dispatcher, case_id=c.pk, into_case_id=a.pk)
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == [b.pk]
    assert c.pk not in INDEX.districts[world.district.pk].entries  # left the index, not only filtered out
    assert selectors.duplicates_of_case(world.district_admin, c.pk)[1] == []  # a merged case suggests nothing


def test_the_index_follows_a_withdrawal_and_a_closure(world, cats, site, reg, cluster):
    a, b, corridor, elsewhere = cluster
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == [b.pk]
    s.case_withdraw(actor=world.street_dispatcher, case_id=b.pk, reason="诉求人撤回")
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == []
    assert b.pk not in INDEX.districts[world.district.pk].entries
    c = reg(SENSOR, site.b12)
    s.case_triage(actor=world.street_dispatcher, case_id=c.pk, category_id=cats["0201"].pk)
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == [c.pk]
    s.case_dispatch(actor=world.street_dispatcher, case_id=c.pk, lead_unit_id=world.housing.pk)
    s.case_accept(actor=world.dept_handler, case_id=c.pk)
    s.case_resolve(actor=world.dept_handler, case_id=c.pk, result="已修复", measures="维保")
    s.case_reply(actor=world.dept_handler, case_id=c.pk, channel="phone", content="已修好")
    selectors.duplicates_of_case(world.district_admin, a.pk)
    assert INDEX.districts[world.district.pk].entries[c.pk].category_id == cats["0201"].pk  # the triage followed
    s.case_close(actor=world.street_dispatcher, case_id=c.pk)
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == []
    assert c.pk not in INDEX.districts[world.district.pk].entries
    assert INDEX.districts[world.district.pk].entries.keys() == {a.pk, corridor.pk, elsewhere.pk}


def test_a_rolled_back_event_log_rebuilds_the_index(world, cluster, django_assert_max_num_queries):
    a, b, corridor, elsewhere = cluster
    selectors.duplicates_of_case(world.district_admin, a.pk)
    INDEX.seen += 10_000  # as if rows were deleted under it (a demo reset)
    assert ids(selectors.duplicates_of_case(world.district_admin, a.pk)[1]) == [b.pk]
    with django_assert_max_num_queries(8):  # warm: the case, max(event id), the suggestions, merge rights
        selectors.duplicates_of_case(world.district_admin, a.pk)


def test_a_huge_or_odd_text_is_handled(world, cluster):
    a, b, corridor, elsewhere = cluster
    long = GRID * 2000 + "\u200b\x01"
    found = selectors.duplicates_of_draft(world.committee_worker, description=long, place_code=world.comm_a1.code)
    assert set(ids(found)) <= {a.pk, b.pk}
    assert selectors.duplicates_of_draft(world.committee_worker, description="！！！", place_code=world.comm_a1.code) == []


def test_a_near_copy_across_a_community_border_is_found_by_the_lsh(world, cats, reg):
    """Two communities, 40 m apart at their border: the same words with coordinates are one problem (NEAR, found
    through the MinHash LSH, not the place buckets); without coordinates they would be two places."""
    from decimal import Decimal

    text = "路口的窨井盖松动了，车开过去哐哐响，怕有人掉下去，晚上看不清很危险。"
    a = reg(text, world.comm_a1, lat=Decimal("31.180000"), lng=Decimal("121.430000"))
    b = reg(text, world.comm_a2, lat=Decimal("31.180300"), lng=Decimal("121.430100"))
    c = reg(text, world.comm_a2)  # no coordinates: another community, nothing to say it is near
    for case in (a, b, c):
        s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0301"].pk)
    found = selectors.duplicates_of_case(world.district_admin, a.pk)[1]
    assert ids(found) == [b.pk]
    assert found[0].match.place == "near" and "相距不到100米" in found[0].reason
