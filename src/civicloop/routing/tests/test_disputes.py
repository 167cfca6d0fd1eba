"""Jurisdiction disputes: the (category, place) pairs whose cases bounced between units, read from the case events,
as the viewer may see them; the page and the API."""

import pytest
from django.urls import reverse

from civicloop.cases import services as s
from civicloop.routing.selectors import disputes_for, today_local
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def bounced(world, cats, flow_register):
    """Two cases of 0201 in community A1 bounced between housing and city management; one quiet case."""
    out = []
    for text in ("小区门口违章搭建的棚子归谁管", "围墙外的违建一直没人拆"):
        case = flow_register(description=text)
        s.case_triage(actor=world.district_admin, case_id=case.pk, category_id=cats["0201"].pk)
        s.case_dispatch(actor=world.district_admin, case_id=case.pk, lead_unit_id=world.housing.pk)
        s.case_return(actor=world.dept_handler, case_id=case.pk, reason="不属于本部门职责")
        s.case_dispatch(actor=world.district_admin, case_id=case.pk, lead_unit_id=world.city_mgmt.pk)
        out.append(case)
    quiet = flow_register(description="电梯坏了")
    s.case_triage(actor=world.district_admin, case_id=quiet.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.district_admin, case_id=quiet.pk, lead_unit_id=world.housing.pk)
    return out


def test_bouncing_cases_are_listed_with_their_units(world, cats, bounced):
    day = today_local()
    rows = disputes_for(world.district_admin, day, day)
    assert len(rows) == 1
    row = rows[0]
    assert (row["category_id"], row["place_id"]) == (cats["0201"].pk, world.street_a.pk)
    # a return and the re-dispatch answering it are one bounce
    assert (row["returns"], row["redispatches"], row["bounces"], row["case_count"]) == (2, 2, 2, 2)
    assert row["units"] == ["区房管局", "区城管执法局"]
    assert {c["tracking_code"] for c in row["cases"]} == {c.tracking_code for c in bounced}
    assert row["cases"][0]["units"] == ["区房管局", "区城管执法局"]


def test_a_single_bounce_is_no_dispute(world, cats, bounced):
    day = today_local()
    assert disputes_for(world.district_admin, day, day, min_bounces=3) == []


def test_a_reopened_case_sent_elsewhere_bounces_and_one_sent_back_does_not(world, cats, flow_register):
    case = flow_register(description="楼道堆物")
    s.case_triage(actor=world.district_admin, case_id=case.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.district_admin, case_id=case.pk, lead_unit_id=world.housing.pk)
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    s.case_resolve(actor=world.dept_handler, case_id=case.pk, result="已处理")
    s.case_reopen(actor=world.district_admin, case_id=case.pk, reason="未解决")
    s.case_dispatch(actor=world.district_admin, case_id=case.pk, lead_unit_id=world.city_mgmt.pk)
    day = today_local()
    rows = disputes_for(world.district_admin, day, day, min_bounces=1)
    assert [(r["bounces"], r["returns"], r["redispatches"]) for r in rows] == [(1, 0, 1)]


def test_only_district_level_readers_see_disputes(world, bounced):
    day = today_local()
    for user in (world.street_dispatcher, world.dept_handler, world.outsider, world.committee_worker, world.stranger):
        assert disputes_for(user, day, day) == []


def test_the_page_and_the_api(client, world, bounced, django_assert_max_num_queries):
    client.login(username=world.district_admin.username, password=PASSWORD)
    with django_assert_max_num_queries(30):
        r = client.get(reverse("routing:disputes"))
    assert r.status_code == 200
    html = r.content.decode()
    assert bounced[0].tracking_code in html and "区城管执法局" in html and "派单建议采纳率" in html
    with django_assert_max_num_queries(20):
        r = client.get("/api/routing/disputes")
    assert r.status_code == 200 and r.json()[0]["case_count"] == 2
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    assert client.get(reverse("routing:disputes")).status_code == 403
    assert client.get("/api/routing/disputes").json() == []


@pytest.mark.parametrize("query", ["start=2026-13-01", "start=2026-05-01&end=2026-04-01", "start=1900-01-01",
                                   "start=%00", "end=99999-01-01"])
def test_bad_windows_are_refused(client, world, bounced, query):
    client.login(username=world.district_admin.username, password=PASSWORD)
    r = client.get(f"/api/routing/disputes?{query}")
    assert r.status_code in (400, 422), r.content
    assert client.get(f"{reverse('routing:disputes')}?{query}").status_code in (400, 422)
