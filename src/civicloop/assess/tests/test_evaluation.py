"""Objective metrics against the hand-counted world (conftest.py), scores and totals by hand, provenance sums,
the same numbers on a second computation."""

from decimal import Decimal as D

from civicloop.assess import rules
from civicloop.assess.evaluation import score_of
from civicloop.assess.models import Indicator, Score, UnitResult
from civicloop.assess.selectors import drill_links
from civicloop.assess.services.runs import run_compute
from civicloop.dashboard.constants import ScopeKind
from civicloop.dashboard.metrics import Filters, MetricScope, Period, facts_behind

from .conftest import TODAY


def _score(c, unit, code) -> Score:
    return Score.objects.get(run=c.run, unit=unit, indicator_id=c.codes[code])


def test_objective_figures_are_the_hand_counted_ones(computed):
    w = computed.loop.world
    a, b = w.street_a_office, w.street_b_office
    k1a, k1b = _score(computed, a, "K1"), _score(computed, b, "K1")
    assert (k1a.numerator, k1a.denominator, k1a.value) == (2, 3, D("66.67"))
    assert (k1b.numerator, k1b.denominator, k1b.value) == (1, 2, D("50.00"))
    # 25 × 66.67 ÷ 100 = 16.6675 → 16.67; 25 × 50 ÷ 100 = 12.50
    assert (k1a.points, k1b.points) == (D("16.67"), D("12.50"))
    c1a, c1b = _score(computed, a, "C1"), _score(computed, b, "C1")
    assert (c1a.value, c1a.points, c1b.value, c1b.points) == (D(1), D("4.00"), D(1), D("4.00"))


def test_subjective_scores_and_totals_by_hand(computed):
    w = computed.loop.world
    a, b = w.street_a_office, w.street_b_office
    assert _score(computed, a, "S1").points == D("8.00")  # 10 × 80 ÷ 100
    assert _score(computed, b, "S1").points == D("0.00")  # not entered
    assert _score(computed, b, "S1").terms == [["full", "10.00"], ["no_data", "-10.00"]]
    assert _score(computed, a, "D1").points == D("3.00")  # 5 − 2 × 1
    assert _score(computed, b, "D1").points == D("5.00")
    assert _score(computed, a, "B1").points == D("2.00")
    ra, rb = UnitResult.objects.get(run=computed.run, unit=a), UnitResult.objects.get(run=computed.run, unit=b)
    # A: 16.67 + 4 + 8 + 3 + 2 = 33.67 of 45; B: 12.50 + 4 + 0 + 5 + 0 = 21.50 of 45
    assert (ra.total, ra.full, ra.rank, ra.medal) == (D("33.67"), D("45.00"), 1, "gold")
    assert (rb.total, rb.full, rb.rank, rb.medal) == (D("21.50"), D("45.00"), 2, "silver")


def test_provenance_adds_up_for_every_score(computed):
    scores = list(Score.objects.filter(run=computed.run).select_related("indicator"))
    assert len(scores) == 2 * 5
    for s in scores:
        assert sum(D(p) for _t, p in s.terms) == s.points, s.indicator.code
        # the rule applied again to the stored inputs gives the stored points
        assert score_of(s.indicator, s.value, entered=s.value is not None or s.indicator.kind == "objective").points \
            == s.points
    for r in UnitResult.objects.filter(run=computed.run):
        assert sum(s.points for s in scores if s.unit_id == r.unit_id) == r.total
        assert sum(D(v) for v in r.by_dimension.values()) == r.total


def test_the_cases_behind_a_score_are_the_figure_s(computed):
    """The provenance links to the dashboard's list with the same filters; its cases are the figure's."""
    w = computed.loop.world
    k1a = _score(computed, w.street_a_office, "K1")
    links = {d["part"]: d for d in drill_links(k1a)}
    assert links["numerator"]["count"] == 2 and links["denominator"]["count"] == 3
    assert f"street={w.street_a.pk}" in links["denominator"]["url"] and "kpi=on_time_rate" in links["denominator"]["url"]
    scope = MetricScope(ScopeKind.DISTRICT, w.district.pk)
    period = Period(computed.run.start, computed.run.end)
    late = set(facts_behind(scope, "on_time_rate", "denominator", period, Filters(street_id=w.street_a.pk),
                            today=TODAY).values_list("case_id", flat=True)) - set(
        facts_behind(scope, "on_time_rate", "numerator", period, Filters(street_id=w.street_a.pk),
                     today=TODAY).values_list("case_id", flat=True))
    assert late == {computed.loop.cases.a2.pk}  # the late case that cost street A its points


def test_the_drill_page_lists_the_cases(computed, client):
    w = computed.loop.world
    client.force_login(w.district_admin)
    k1a = _score(computed, w.street_a_office, "K1")
    url = {d["part"]: d for d in drill_links(k1a)}["denominator"]["url"]
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    for case in (computed.loop.cases.a1, computed.loop.cases.a2, computed.loop.cases.a3):
        assert case.tracking_code in body
    assert computed.loop.cases.b1.tracking_code not in body


def test_computing_again_gives_the_same_numbers(computed):
    def snapshot():
        return sorted((s.unit_id, s.indicator_id, s.value, s.numerator, s.denominator, s.points, str(s.terms))
                      for s in Score.objects.filter(run=computed.run)), sorted(
            UnitResult.objects.filter(run=computed.run).values_list("unit_id", "total", "rank", "medal"))

    before = snapshot()
    run_compute(actor=computed.loop.world.district_admin, run_id=computed.run.pk, today=TODAY)
    assert snapshot() == before


def test_threshold_medals_by_score_rate(computed):
    from civicloop.assess.evaluation import UnitTotal, award

    totals = [UnitTotal(1, D("42"), D("45"), rank=1), UnitTotal(2, D("30"), D("45"), rank=2),
              UnitTotal(3, D("20"), D("45"), rank=3)]
    award(totals, "threshold", D(90), D(65), D(40))  # 93.3 %, 66.7 %, 44.4 %
    assert [t.medal for t in totals] == ["gold", "silver", "bronze"]


def test_equal_totals_share_a_rank():
    from civicloop.assess.evaluation import UnitTotal, rank

    ranked = rank([UnitTotal(1, D(5)), UnitTotal(2, D(9)), UnitTotal(3, D(5)), UnitTotal(4, D(1))],
                  {1: "a", 2: "b", 3: "c", 4: "d"})
    assert [(t.unit_id, t.rank) for t in ranked] == [(2, 1), (1, 2), (3, 2), (4, 4)]


def test_no_cases_scores_full_marks(world, small_set):
    """A unit without cases in the period: a rate has no value — full marks; a count of 0 — no deduction."""
    k1 = Indicator.objects.get(indicator_set=small_set, code="K1")
    assert score_of(k1, None).points == D("25.00")
    assert rules.deduction(0, weight=D(5), per_item=D(1)).points == D("5.00")


def test_the_cases_that_cost_the_points(computed, client):
    """Street A's 按时办结率 lost points for one late case (a2): the provenance page lists exactly that one; its
    超期件数 deduction lists the same overdue case; street B's staff do not see A's."""
    from django.urls import reverse

    from civicloop.assess.selectors import cases_costing

    w, n = computed.loop.world, computed.loop.cases
    k1a = _score(computed, w.street_a_office, "K1")
    costing = cases_costing(w.district_admin, k1a)
    assert costing["count"] == 1 and [c["tracking_code"] for c in costing["cases"]] == [n.a2.tracking_code]
    c1a = _score(computed, w.street_a_office, "C1")
    assert [c["tracking_code"] for c in cases_costing(w.district_admin, c1a)["cases"]] == [n.a2.tracking_code]
    assert cases_costing(w.outsider, k1a)["cases"] == []  # the list is as the viewer may see it
    client.force_login(w.district_admin)
    body = client.get(reverse("assess:score", args=[k1a.pk])).content.decode()
    assert "失分的工单" in body and n.a2.tracking_code in body and n.a1.tracking_code not in body.split("失分的工单")[1]


def test_departments_are_scored_by_the_cases_they_lead(loop):
    import datetime as dt

    from civicloop.assess.services.runs import run_create
    from civicloop.assess.services.sets import indicator_save, set_create

    w = loop.world
    s = set_create(actor=w.district_admin, code="dept", name="部门", unit_group="departments")
    indicator_save(actor=w.district_admin, set_id=s.pk, dimension="办理", code="K1", name="按时办结率",
                   kind="objective", metric="on_time_rate", rule="linear", weight=D(10), target=D(100), floor=D(0))
    run = run_create(actor=w.district_admin, set_id=s.pk, name="三月", start=dt.date(2026, 3, 1),
                     end=dt.date(2026, 3, 31), unit_ids=[w.housing.pk, w.city_mgmt.pk])
    run_compute(actor=w.district_admin, run_id=run.pk, today=TODAY)
    housing, city = (Score.objects.get(run=run, unit=u) for u in (w.housing, w.city_mgmt))
    # the housing bureau led a1, a2, a3 (2 on time), city management b1, b2 (1 on time)
    assert (housing.numerator, housing.denominator, housing.points) == (2, 3, D("6.67"))
    assert (city.numerator, city.denominator, city.points) == (1, 2, D("5.00"))
    assert housing.inputs["filters"]["unit"] == w.housing.pk
