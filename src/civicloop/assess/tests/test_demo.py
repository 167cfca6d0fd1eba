"""The demo's 2026 assessment: Xuhui's 13 streets on the 金银铜 set and the closed-loop scorecards, findings in
every street's inbox; computed (after the rollups' refresh), the streets are ranked with gold, silver and bronze
and a street's 按时办结率 opens to its late cases; `demo --reset` leaves nothing of it."""

import datetime as dt
from decimal import Decimal

import pytest

from civicloop.assess.models import EvaluationRun, Finding, Indicator, IndicatorSet, Score, UnitResult
from civicloop.assess.selectors import drill_links
from civicloop.assess.services.runs import run_compute
from civicloop.cases import demo as cases_demo
from civicloop.demo.generator import district_reset, preset_district
from civicloop.orgs.models import User

SCALE = 0.005
END = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_world(xuhui_demo):
    """The shared demo (conftest `xuhui_demo`: this scale, seed 1, the cases ending at END)."""
    assert xuhui_demo.scale == SCALE and xuhui_demo.seed == 1 and cases_demo.cases_end() == END


def test_the_2026_evaluation_of_xuhui(client):
    from civicloop.dashboard.services import rollups_refresh

    d = preset_district("xuhui")
    huangpu = IndicatorSet.objects.get(district=d, code="jinyintong")
    assert Indicator.objects.filter(indicator_set=huangpu).count() == 140
    run = EvaluationRun.objects.get(district=d, indicator_set=huangpu, start=dt.date(2026, 1, 1))
    assert run.units.count() == 13 and run.state == "draft"
    # the year before: published, ranked, so the trend and the comparison show something
    earlier = EvaluationRun.objects.get(district=d, indicator_set=huangpu, start=dt.date(2025, 1, 1))
    assert earlier.state == "published" and earlier.computed_at is not None
    assert UnitResult.objects.filter(run=earlier).count() == 13
    # computed after the dashboard's fold: its objective indicators read that year's rollups (cases in every street)
    objective = Score.objects.filter(run=earlier, indicator__kind="objective", denominator__gt=0)
    assert objective.values("unit").distinct().count() == 13
    assert {r.medal for r in UnitResult.objects.filter(run=earlier)} >= {"gold", "silver", "bronze"}
    findings = Finding.objects.filter(district=d)
    assert findings.count() == 13 * 3 and findings.filter(case__isnull=False).exists()
    assert all(f.case.channel == "citizen_inspection" for f in findings.filter(case__isnull=False))

    rollups_refresh()
    admin = User.objects.get(username="xh_admin")
    run_compute(actor=admin, run_id=run.pk, today=END.date())
    results = list(UnitResult.objects.filter(run=run).order_by("rank"))
    assert [r.rank for r in results][:1] == [1] and len(results) == 13
    assert [r.medal for r in results].count("gold") >= 2
    assert {r.medal for r in results} >= {"gold", "silver", "bronze", ""}
    on_time = Score.objects.filter(run=run, indicator__metric="on_time_rate", indicator__category_code="",
                                   denominator__gt=0).first()
    if on_time is not None:  # a street with resolved cases: its list of cases, the figure's count
        links = {link["part"]: link for link in drill_links(on_time)}
        client.force_login(admin)
        assert client.get(links["denominator"]["url"]).status_code == 200
    client.force_login(admin)
    assert client.get(f"/assess/runs/{run.pk}/").status_code == 200
    compared = client.get(f"/api/assess/runs/{run.pk}/compare/{earlier.pk}").json()
    assert len(compared) == 13 and all(row["before_total"] is not None for row in compared)
    assert any(Decimal(str(row["change"])) != 0 for row in compared)

    district_reset(d)
    assert not IndicatorSet.objects.filter(district=d).exists() and not Finding.objects.exists()
