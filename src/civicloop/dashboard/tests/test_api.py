"""The API: the overview's figures for each viewer's scope, every figure's list with the figure's count, and the
refusals of bad input."""

from __future__ import annotations

import pytest

from civicloop.dashboard.metrics import KPIS

API = "/api/dashboard"


def overview(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{API}/overview{query}")
    assert response.status_code == 200, response.content
    return response.json()


def figures(data):
    """Every (where, figure) of an overview answer."""
    for name in ("intake", "open", "yellow", "red"):
        yield f"today.{name}", data["today"][name]
    for kpi in data["kpis"]:
        yield f"{kpi['code']}.numerator", kpi["numerator"]
        if kpi["denominator"]:
            yield f"{kpi['code']}.denominator", kpi["denominator"]
    for row in data["trend"]:
        for name in ("intake", "resolved", "resolved_on_time"):
            yield f"trend.{row['day']}.{name}", row[name]
    for row in data["categories"] + data["channels"]:
        yield f"intake.{row.get('name') or row.get('channel')}", row["intake"]
    for ranking in ("streets", "departments"):
        for row in data[ranking]:
            for kpi in row["kpis"]:
                yield f"{ranking}.{row['name']}.{kpi['code']}", kpi["numerator"]
                if kpi["denominator"]:
                    yield f"{ranking}.{row['name']}.{kpi['code']}.d", kpi["denominator"]
    for row in data["disputes"]:
        yield f"disputes.{row['unit']}.{row['category']}", row["cases"]


def kpis(data) -> dict:
    return {k["code"]: (k["numerator"]["count"], k["denominator"]["count"] if k["denominator"] else None)
            for k in data["kpis"]}


def test_the_district_leader_sees_the_district(client, loop):
    data = overview(client, loop.world.leader)
    assert data["scope"]["kind"] == "district" and data["period"] == {"start": "2026-03-01", "end": "2026-03-09"}
    assert kpis(data) == {
        "intake": (12, None), "accept_rate": (6, 9), "on_time_rate": (5, 6), "resolve_rate": (6, 10),
        "satisfaction_rate": (3, 3), "reopen_rate": (2, 6), "handling_days": (6, 6), "overdue": (3, None),
        "supervised": (1, None), "escalated": (2, None), "return_rate": (2, 9), "repeat_returns": (1, None)}
    values = {k["code"]: k["value"] for k in data["kpis"]}
    assert values["on_time_rate"] == pytest.approx(5 / 6) and values["handling_days"] == pytest.approx(17 / 6)
    assert values["intake"] == 12
    previous = {k["code"]: k["previous_value"] for k in data["kpis"]}
    assert previous["intake"] == 0 and previous["on_time_rate"] is None
    assert [s["name"] for s in data["streets"]] == [loop.world.street_a.name, loop.world.street_b.name]
    assert {d["name"] for d in data["departments"]} == {"区房管局", "区城管执法局"}
    assert {(d["unit"], d["returns"]) for d in data["disputes"]} == {("区房管局", 1), ("区城管执法局", 1)} | {
        ("区房管局", 1)} and len(data["disputes"]) == 3
    assert len(data["trend"]) == 30 and data["trend"][-1]["day"] == "2026-03-09"
    assert sum(c["intake"]["count"] for c in data["channels"]) == 12


def test_a_street_sees_its_street_and_a_department_the_cases_it_leads(client, loop):
    street = overview(client, loop.world.street_dispatcher)
    assert street["scope"]["kind"] == "street" and kpis(street)["intake"] == (10, None)
    assert [s["name"] for s in street["streets"]] == [loop.world.street_a.name]
    department = overview(client, loop.world.dept_handler)
    assert department["scope"] == {"kind": "department", "label": "部门", "name": "区房管局"}
    assert kpis(department)["intake"] == (4, None) and department["disputes"] == []
    committee = overview(client, loop.world.committee_worker)
    assert committee["scope"]["kind"] == "community" and kpis(committee)["intake"][0] == 8


@pytest.mark.parametrize("persona", ["leader", "district_admin", "street_dispatcher", "committee_worker",
                                     "dept_handler", "city_handler", "outsider"])
def test_every_figure_lists_the_cases_behind_it_with_its_count(client, loop, persona):
    data = overview(client, getattr(loop.world, persona))
    checked = 0
    for where, figure in figures(data):
        response = client.get(f"{API}/cases?{figure['drill']}&limit=500")
        assert response.status_code == 200, (where, response.content)
        page = response.json()
        assert page["count"] == figure["count"] == len(page["items"]), where
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("persona", ["leader", "district_admin", "street_dispatcher", "committee_worker",
                                     "dept_handler", "city_handler", "outsider"])
def test_the_live_figures_are_the_viewers_visible_open_cases_in_its_scope(client, loop, persona):
    """The live figures read the cases the viewer answers for as a whole (`own_q`, no visibility OR): the same
    cases as its visible open cases narrowed to its dashboard scope — every persona, co-handled cases included."""
    from civicloop.cases.constants import CLOCK_STATES, TimeState
    from civicloop.cases.selectors import CaseFilters, case_list_for
    from civicloop.dashboard.metrics import metric_scope_for

    user = getattr(loop.world, persona)
    data = overview(client, user)
    now = loop.clock.t
    visible = case_list_for(user, CaseFilters(open_only=True), now=now).filter(metric_scope_for(user).q())
    red = visible.filter(state__in=CLOCK_STATES, deadline__lt=now)
    assert data["today"]["open"]["count"] == visible.count() and data["today"]["red"]["count"] == red.count()
    assert data["today"]["yellow"]["count"] == visible.filter(time_state=TimeState.YELLOW).count()
    listed = client.get(f"{API}/cases?{data['today']['open']['drill']}&limit=500").json()["items"]
    assert sorted(c["id"] for c in listed) == sorted(visible.values_list("pk", flat=True))
    if persona in ("leader", "street_dispatcher"):
        assert visible.exists() and red.exists()


def test_the_time_states_on_plain_columns_are_the_annotations(loop):
    """`time_state_q` (the live counts' conditions) selects exactly the cases `with_time_state` annotates so, at
    moments just before and after the loop's deadlines and yellow points."""
    import datetime as dt

    from civicloop.cases.constants import TimeState
    from civicloop.cases.models import Case
    from civicloop.cases.selectors import time_state_q, with_time_state

    seen, second = set(), dt.timedelta(seconds=1)
    points = [t for row in Case.objects.values_list("deadline", "yellow_at") for t in row if t is not None]
    assert points
    for now in sorted({t + d for t in points for d in (-second, second)}):
        annotated = dict(with_time_state(Case.objects.all(), now).values_list("pk", "time_state"))
        for state in TimeState:
            ids = set(Case.objects.filter(time_state_q(state, now)).values_list("pk", flat=True))
            assert ids == {pk for pk, s in annotated.items() if s == state}, (now, state)
            seen |= {state} if ids else set()
    assert seen == set(TimeState)


def test_the_overview_reads_a_bounded_number_of_statements(client, loop, django_assert_max_num_queries):
    client.force_login(loop.world.leader)
    client.get(f"{API}/overview")
    with django_assert_max_num_queries(24):
        assert client.get(f"{API}/overview?category={loop.world.district.pk}").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"{API}/cases?kpi=on_time_rate&part=denominator").status_code == 200


def test_filters_narrow_every_figure(client, loop):
    from civicloop.cases.models import Category

    parent = Category.objects.get(code="02")
    data = overview(client, loop.world.leader, f"?category={parent.pk}&channel=hotline_12345")
    # hotline cases of 02's children (0201, 0202): c1, c4, c7, c8 (withdrawn: intake counts it), c10; not c6
    # (merged before triage: no category)
    assert kpis(data)["intake"] == (5, None)
    for where, figure in figures(data):
        assert f"category={parent.pk}" in figure["drill"] or where.startswith(("intake.", "disputes.")), where


@pytest.mark.parametrize(("persona", "query", "from_rollups"), [
    ("leader", "", True), ("district_admin", "", True), ("leader", "?category={cat}&channel=hotline_12345", True),
    ("street_dispatcher", "", False), ("dept_handler", "", False)])
def test_a_district_viewers_kpi_list_is_counted_from_the_rollups(client, loop, persona, query, from_rollups):
    """A viewer who sees the whole district gets a KPI list's count from the rollups (`selectors.drill_count`: no
    COUNT over the cases) and it is the list's length, filters included; a street or a department, whose visible
    cases and facts may differ between refreshes, still count the list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civicloop.cases.models import Category

    data = overview(client, getattr(loop.world, persona), query.format(cat=Category.objects.get(code="02").pk))
    checked = 0
    for kpi in data["kpis"]:
        for figure in filter(None, (kpi["numerator"], kpi["denominator"])):
            with CaptureQueriesContext(connection) as seen:
                page = client.get(f"{API}/cases?{figure['drill']}&limit=500").json()
            assert page["count"] == figure["count"] == len(page["items"]), (kpi["code"], figure)
            counted = [q["sql"] for q in seen.captured_queries
                       if "COUNT(*)" in q["sql"] and 'FROM "cases_case"' in q["sql"]]
            assert bool(counted) is not from_rollups, (kpi["code"], counted)
            checked += 1
    assert checked == 19


def test_the_overview_keeps_its_figures_per_rollup_version_and_counts_today_live(client, loop):
    """A second overview of the same version reads no rollup table, only the watermark and today's live counts —
    which follow a new case at once; a refresh changes the version and the figures follow it. Every writer of the
    dashboard's tables changes the version."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civicloop.cases import services as s
    from civicloop.cases.constants import Channel
    from civicloop.dashboard import services
    from civicloop.dashboard.models import RollupWatermark

    w = loop.world
    first = overview(client, w.leader)
    with CaptureQueriesContext(connection) as seen:
        again = overview(client, w.leader)
    assert again == first
    sql = " ".join(q["sql"] for q in seen.captured_queries)
    assert "rollup" in sql and "dashboard_streetchannelrollup" not in sql and "dashboard_casereturn" not in sql
    s.case_register(actor=w.street_dispatcher, channel=Channel.HOTLINE_12345, description="路灯不亮",
                    place_id=w.comm_a1.pk, reporter_name="王五", reporter_phone="13912345679")
    live = overview(client, w.leader)
    assert live["today"]["open"]["count"] == first["today"]["open"]["count"] + 1
    assert live["kpis"] == first["kpis"]  # as of the last refresh
    version = RollupWatermark.objects.get(pk=1).version
    services.rollups_refresh(now=loop.clock.t)
    assert RollupWatermark.objects.get(pk=1).version != version
    refreshed = overview(client, w.leader)
    assert refreshed["kpis"][0]["code"] == "intake"
    assert refreshed["kpis"][0]["numerator"]["count"] == first["kpis"][0]["numerator"]["count"] + 1
    for write in (services.rollups_rebuild, lambda: services.rollups_delete_district(w.district),
                  lambda: services.rollups_load_district(w.district, now=loop.clock.t)):
        version = RollupWatermark.objects.get(pk=1).version
        write()
        assert RollupWatermark.objects.get(pk=1).version != version


def test_kpi_definitions_are_served(client, loop):
    client.force_login(loop.world.leader)
    data = client.get(f"{API}/kpis").json()
    assert [k["code"] for k in data] == [k.code for k in KPIS]
    assert all(k["formula"] and k["basis"] and k["treatment"] for k in data)


def test_who_may_not_read_is_refused(client, loop):
    client.force_login(loop.world.nobody)
    for path in ("/overview", "/kpis", "/cases?kpi=intake"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    client.logout()
    assert client.get(f"{API}/overview").status_code == 401


def test_another_district_sees_none_of_these_cases(client, loop):
    data = overview(client, loop.world.stranger)
    assert kpis(data)["intake"] == (0, None)
    assert client.get(f"{API}/cases?kpi=intake").json()["count"] == 0


@pytest.mark.parametrize("query, status, code", [
    ("/overview?start=2026-03-09&end=2026-03-01", 400, "period_invalid"),
    ("/overview?start=2024-01-01&end=2026-03-01", 400, "period_invalid"),
    ("/overview?start=yesterday", 422, "invalid"),
    ("/overview?end=0", 422, "invalid"),
    ("/overview?start=0001-01-01&end=0001-01-02", 400, "period_invalid"),
    ("/overview?street=99999999999999999999", 422, "invalid"),
    ("/overview?channel=fax", 422, "invalid"),
    ("/overview?street=%00", 422, "invalid"),
    ("/cases?kpi=nothing", 422, "invalid"),
    ("/cases?kpi=overdue&part=denominator", 400, "part_invalid"),
    ("/cases", 422, "invalid"),
])
def test_bad_input_is_refused_with_a_clear_message(client, loop, query, status, code):
    client.force_login(loop.world.leader)
    response = client.get(f"{API}{query}")
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"]
    assert all(d.get("field") not in ("kpi", "start", "street", "channel") for d in body["details"]), body


@pytest.mark.parametrize(("persona", "query", "full"), [
    ("leader", "", False), ("street_dispatcher", "", False), ("leader", "?street={street}", False),
    ("dept_handler", "", True), ("committee_worker", "", True), ("leader", "?channel=portal", True)])
def test_the_overview_reads_the_full_rollup_only_when_no_coarser_one_holds_the_columns(
        client, loop, persona, query, full):
    """A district's or a street's overview sums the per-street rollups (a few hundred rows a day at city scale);
    a department (grouped by category), a committee, a channel filter (grouped by category) need the full one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(getattr(loop.world, persona))
    with CaptureQueriesContext(connection) as seen:
        assert client.get(f"{API}/overview{query.format(street=loop.world.street_a.pk)}").status_code == 200
    sql = " ".join(q["sql"] for q in seen.captured_queries)
    assert ("dashboard_dailyrollup" in sql) is full
    assert full or "dashboard_streetchannelrollup" in sql


@pytest.mark.parametrize("persona", ["leader", "street_dispatcher", "dept_handler"])
@pytest.mark.parametrize("windowed", [False, True])
def test_a_page_read_rank_by_rank_is_the_ranked_lists_page(client, loop, persona, windowed, monkeypatch):
    """RedFirst (red, yellow, green, then the rest newest first, each rank by its own index) gives exactly the rows
    and order of the whole list ranked at once, for every figure's list, any page — and the endpoint pages so."""
    import datetime as dt
    from urllib.parse import parse_qsl

    from django.utils import timezone

    from civicloop.dashboard import selectors
    from civicloop.dashboard.filters import DrillIn

    if windowed:  # every list with a known count read in windows of recent cases first (small ones here)
        monkeypatch.setattr(selectors, "WINDOW_FROM", -1)
        monkeypatch.setattr(selectors, "WINDOWS", (dt.timedelta(hours=12), dt.timedelta(days=3)))
        monkeypatch.setattr(selectors, "MAY_RUN_MAX", 1)  # and the running ranks among `may_run` as a query
    user = getattr(loop.world, persona)
    data = overview(client, user)
    now = timezone.now()
    seen_ranks = set()
    for where, figure in figures(data):
        params = DrillIn(**dict(parse_qsl(figure["drill"])))
        period = selectors.period_of(params.start, params.end)
        qs = selectors.drill_cases_for(user, params.kpi, params.part, period, params.filters(),
                                       returned_by=params.returned_by, now=now)
        ranked = [(c.pk, c.time_rank) for c in qs]
        seen_ranks |= {rank for _pk, rank in ranked}
        paged = selectors.RedFirst(qs, now, count=len(ranked) if windowed else None)
        assert paged.count() == len(ranked), where
        hinted = selectors.drill_for(user, params.kpi, params.part, period, params.filters(),
                                     returned_by=params.returned_by, now=now)  # the running ranks among `may_run`
        for start, stop in ((0, 2), (0, 20), (1, 3), (2, 5), (3, 100), (len(ranked), len(ranked) + 2)):
            assert [(c.pk, c.time_rank) for c in paged[start:stop]] == ranked[start:stop], (where, start, stop)
            assert [(c.pk, c.time_rank) for c in hinted[start:stop]] == ranked[start:stop], (where, start, stop)
        page = client.get(f"{API}/cases?{figure['drill']}&limit=2&offset=1").json()
        assert [row["id"] for row in page["items"]] == [pk for pk, _r in ranked[1:3]], where
    assert seen_ranks >= {0, 3}, seen_ranks  # red and closed cases in the lists: the ranks are exercised


def test_the_running_ranks_lie_among_the_cases_that_may_run_folded_or_not(client, loop):
    """`may_run`: a figure's cases whose clock ran when folded, and those changed since the last refresh — a case
    reopened after it is red, yellow or green in the list of the figure that still counts it resolved, in the same
    place as the whole list ranked at once; the resolved cases of a period are not probed one by one."""
    from urllib.parse import parse_qsl

    from django.utils import timezone

    from civicloop.cases import services as s
    from civicloop.cases.models import Case
    from civicloop.dashboard import selectors
    from civicloop.dashboard.filters import DrillIn
    from civicloop.dashboard.models import CaseFact

    user = loop.world.leader
    resolved = CaseFact.objects.filter(resolved=True, state="resolved").values_list("case_id", flat=True)
    case = Case.objects.filter(pk__in=resolved, deadline__isnull=False).order_by("pk").first()
    assert case is not None
    data = overview(client, user)
    figure = next(f for where, f in figures(data) if "kpi=resolve_rate&part=numerator" in f["drill"])
    params = DrillIn(**dict(parse_qsl(figure["drill"])))
    period = selectors.period_of(params.start, params.end)
    facts = selectors.facts_behind(selectors.dashboard_scope_for(user), params.kpi, params.part, period,
                                   params.filters())
    assert case.pk in set(facts.values_list("case_id", flat=True))
    def may_run():
        return set(selectors.may_run(facts))

    assert case.pk not in may_run()  # folded resolved: cannot run
    s.case_reopen(actor=loop.world.street_dispatcher, case_id=case.pk, reason="未解决")  # not refreshed
    assert case.pk in may_run()
    now = timezone.now()
    qs = selectors.drill_cases_for(user, params.kpi, params.part, period, params.filters(), now=now)
    ranked = [(c.pk, c.time_rank) for c in qs]
    assert (case.pk, 3) not in ranked and case.pk in {pk for pk, _r in ranked}  # running again: ranked first
    hinted = selectors.drill_for(user, params.kpi, params.part, period, params.filters(), now=now)
    assert [(c.pk, c.time_rank) for c in hinted[0:len(ranked) + 1]] == ranked
