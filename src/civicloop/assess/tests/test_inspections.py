"""Inspections: a finding creates exactly one rectification case, found in the street dispatcher's inbox; the
finding's status follows the case; a re-inspection confirms or reopens; findings are deduction items."""

import datetime as dt
from decimal import Decimal as D

import pytest

from civicloop.assess.constants import FindingStatus
from civicloop.assess.error_codes import AssessErrorCode
from civicloop.assess.models import Finding, Indicator, Score
from civicloop.assess.services import inspections as ins
from civicloop.assess.services.runs import run_compute, run_create
from civicloop.cases import services as cs
from civicloop.cases.constants import Channel
from civicloop.cases.inbox import inbox_for
from civicloop.cases.models import Case, Category
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.orgs.constants import Role
from civicloop.testing import make_user

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    world.inspector = make_user("inspector", world.research, Role.INSPECTOR)
    world.inspection = ins.round_create(actor=world.district_admin, name="三月巡访", kind="citizen_team",
                                        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), route="天平路—衡山路",
                                        member_ids=[world.inspector.pk])
    return world


def refused(expected, fn, **kwargs):
    with pytest.raises(CivicError) as exc:
        fn(**kwargs)
    assert exc.value.code == expected
    return exc.value


def test_a_finding_becomes_exactly_one_rectification_case_in_the_street_s_inbox(team):
    w = team
    before = Case.objects.count()
    finding = ins.finding_record(actor=w.inspector, round_id=w.inspection.pk, place_id=w.comm_a1.pk,
                                 description="小区门口垃圾满溢", severity="major")
    assert Case.objects.count() == before + 1
    case = Case.objects.get(pk=finding.case_id)
    assert (case.channel, case.street_id, case.assess_finding.pk) == (Channel.CITIZEN_INSPECTION, w.street_a.pk,
                                                                      finding.pk)
    assert finding.street_id == w.street_a.pk and finding.status == FindingStatus.RECTIFYING
    to_triage = [row["id"] for row in inbox_for(w.street_dispatcher)["to_triage"]["cases"]]
    assert case.pk in to_triage
    assert case.pk not in [row["id"] for row in inbox_for(w.outsider)["to_triage"]["cases"]]
    # a finding to note only (a deduction): no case
    only = ins.finding_record(actor=w.inspector, round_id=w.inspection.pk, place_id=w.comm_b1.pk,
                              description="宣传栏破损", rectify=False)
    assert only.case_id is None and only.status == FindingStatus.RECORDED
    assert Case.objects.count() == before + 1


def test_the_finding_s_status_follows_its_case_and_a_recheck(team):
    w = team
    Category.objects.get_or_create(code="0103", defaults={"name": "市容环境卫生"})
    cat = Category.objects.get(code="0103")
    finding = ins.finding_record(actor=w.inspector, round_id=w.inspection.pk, place_id=w.comm_a1.pk,
                                 description="垃圾满溢")
    cid = finding.case_id
    cs.case_triage(actor=w.street_dispatcher, case_id=cid, category_id=cat.pk)
    cs.case_dispatch(actor=w.street_dispatcher, case_id=cid, lead_unit_id=w.city_mgmt.pk, time_limit_days=2)
    cs.case_accept(actor=w.city_handler, case_id=cid)

    def status():
        return Finding.objects.select_related("case").get(pk=finding.pk).status

    assert status() == FindingStatus.RECTIFYING
    refused(AssessErrorCode.FINDING_NOT_RECTIFIED, ins.finding_recheck, actor=w.district_admin,
            finding_id=finding.pk, passed=True)
    cs.case_resolve(actor=w.city_handler, case_id=cid, result="已清运")
    assert status() == FindingStatus.RECTIFIED
    ins.finding_recheck(actor=w.district_admin, finding_id=finding.pk, passed=False, note="仍有堆放")
    assert Case.objects.get(pk=cid).state == "reopened"
    assert status() == FindingStatus.FAILED
    cs.case_accept(actor=w.city_handler, case_id=cid)
    cs.case_resolve(actor=w.city_handler, case_id=cid, result="再次清运")
    assert status() == FindingStatus.RECTIFIED
    ins.finding_recheck(actor=w.district_admin, finding_id=finding.pk, passed=True)
    assert status() == FindingStatus.CONFIRMED


def test_who_may_record(team):
    w = team
    refused(ErrorCode.NOT_FOUND, ins.finding_record, actor=w.street_dispatcher, round_id=w.inspection.pk,
            place_id=w.comm_a1.pk, description="x")  # not a member: the round is out of sight
    refused(ErrorCode.FORBIDDEN, ins.finding_record, actor=w.leader, round_id=w.inspection.pk,
            place_id=w.comm_a1.pk, description="x")  # sees it (district level), is not a member
    refused(ErrorCode.NOT_FOUND, ins.finding_record, actor=w.stranger, round_id=w.inspection.pk,
            place_id=w.comm_a1.pk, description="x")
    refused(ErrorCode.INVALID, ins.finding_record, actor=w.inspector, round_id=w.inspection.pk,
            place_id=w.other_district.pk, description="x")
    ins.round_close(actor=w.district_admin, round_id=w.inspection.pk)
    refused(AssessErrorCode.ROUND_CLOSED, ins.finding_record, actor=w.inspector, round_id=w.inspection.pk,
            place_id=w.comm_a1.pk, description="x")
    assert not Finding.objects.exists()


def test_findings_are_deduction_items_with_their_provenance(team, small_set, clock):
    w = team
    d1 = Indicator.objects.get(indicator_set=small_set, code="D1")  # 5 points, 1 per item
    found = [ins.finding_record(actor=w.inspector, round_id=w.inspection.pk, place_id=w.comm_a1.pk,
                                description=f"暗查问题{i}", indicator_id=d1.pk, rectify=False,
                                found_on=dt.date(2026, 3, 10 + i)) for i in range(2)]
    ins.finding_record(actor=w.inspector, round_id=w.inspection.pk, place_id=w.comm_a1.pk, description="四月的",
                       indicator_id=d1.pk, rectify=False, found_on=dt.date(2026, 4, 2))  # outside the period
    run = run_create(actor=w.district_admin, set_id=small_set.pk, name="三月", start=dt.date(2026, 3, 1),
                     end=dt.date(2026, 3, 31))
    run_compute(actor=w.district_admin, run_id=run.pk, today=TODAY)
    score = Score.objects.get(run=run, unit=w.street_a_office, indicator=d1)
    assert (score.value, score.points) == (D(2), D("3.00"))
    assert score.inputs["findings"] == sorted(f.pk for f in found)
    assert Score.objects.get(run=run, unit=w.street_b_office, indicator=d1).points == D("5.00")


def test_the_case_page_shows_its_finding(team, client):
    w = team
    finding = ins.finding_record(actor=w.inspector, round_id=w.inspection.pk, place_id=w.comm_a1.pk,
                                 description="垃圾满溢")
    client.force_login(w.street_dispatcher)
    from django.urls import reverse

    body = client.get(reverse("cases:case", args=[finding.case.tracking_code])).content.decode()
    assert reverse("assess:finding", args=[finding.pk]) in body
    assert client.get(reverse("assess:finding", args=[finding.pk])).status_code == 200
    client.force_login(w.outsider)
    assert client.get(reverse("assess:finding", args=[finding.pk])).status_code == 404


def test_finding_api_from_a_phone(team, client):
    import json

    w = team
    client.force_login(w.inspector)
    response = client.post(f"/api/assess/rounds/{w.inspection.pk}/findings", data=json.dumps({
        "place_id": w.comm_a1.pk, "description": "垃圾满溢", "severity": "major"}), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "rectifying" and body["case_id"]
    assert Case.objects.filter(assess_finding__pk=body["id"]).count() == 1
    bad = client.post(f"/api/assess/rounds/{w.inspection.pk}/findings", data=json.dumps({
        "place_id": w.comm_a1.pk, "description": "x\u0000"}), content_type="application/json")
    assert bad.status_code == 422
    assert Finding.objects.count() == 1
    page = client.get(f"/assess/inspections/{w.inspection.pk}/")
    assert page.status_code == 200 and "记录发现" in page.content.decode()


def test_findings_weighted_by_severity(team, small_set, clock):
    """D1: 5 points, 1 per item. Factors minor ×1, major ×1.5, serious ×3. Street A: one minor, one major, one
    serious finding and 0.5 entered → 0.5 + 1 + 1.5 + 3 = 6 items → 6 points off, capped at the full 5 → 0.00.
    Street B: one major → 1.5 items → 5 − 1.5 = 3.50."""
    from civicloop.assess.services.runs import entries_save
    from civicloop.assess.services.sets import indicator_save

    w = team
    d1 = Indicator.objects.get(indicator_set=small_set, code="D1")
    indicator_save(actor=w.district_admin, set_id=small_set.pk, indicator_id=d1.pk, dimension=d1.dimension.name,
                   factor_major="1.5", factor_serious="3")
    d1.refresh_from_db()
    assert (d1.factor_minor, d1.factor_major, d1.factor_serious) == (D("1.00"), D("1.50"), D("3.00"))
    for place, severity in ((w.comm_a1, "minor"), (w.comm_a2, "major"), (w.comm_a1, "serious"), (w.comm_b1, "major")):
        ins.finding_record(actor=w.inspector, round_id=w.inspection.pk, place_id=place.pk, description="暗查问题",
                           severity=severity, indicator_id=d1.pk, rectify=False, found_on=dt.date(2026, 3, 12))
    run = run_create(actor=w.district_admin, set_id=small_set.pk, name="三月", start=dt.date(2026, 3, 1),
                     end=dt.date(2026, 3, 31))
    entries_save(actor=w.district_admin, run_id=run.pk,
                 entries=[{"unit_id": w.street_a_office.pk, "indicator_id": d1.pk, "value": "0.5"}])
    run_compute(actor=w.district_admin, run_id=run.pk, today=TODAY)
    a = Score.objects.get(run=run, unit=w.street_a_office, indicator=d1)
    assert (a.value, a.points) == (D("6.00"), D("0.00"))
    assert a.inputs["by_severity"] == {"major": 1, "minor": 1, "serious": 1}
    assert a.inputs["factors"] == {"major": "1.50", "minor": "1.00", "serious": "3.00"}
    assert (a.inputs["finding_items"], a.inputs["entered"]) == ("5.50", "0.50")
    assert sum(D(p) for _t, p in a.terms) == a.points
    b = Score.objects.get(run=run, unit=w.street_b_office, indicator=d1)
    assert (b.value, b.points) == (D("1.50"), D("3.50"))
    assert sum(D(p) for _t, p in b.terms) == b.points


def test_severity_factors_only_on_a_deduction_and_bounded(team, small_set):
    from civicloop.assess.services.sets import indicator_save

    w = team
    d1 = Indicator.objects.get(indicator_set=small_set, code="D1")
    before = (d1.factor_minor, d1.factor_major, d1.factor_serious)
    for bad in ("-1", "101", "x"):
        refused(ErrorCode.INVALID, indicator_save, actor=w.district_admin, set_id=small_set.pk, indicator_id=d1.pk,
                dimension=d1.dimension.name, factor_serious=bad)
    d1.refresh_from_db()
    assert (d1.factor_minor, d1.factor_major, d1.factor_serious) == before
    linear = Indicator.objects.filter(indicator_set=small_set).exclude(rule="deduction").first()
    indicator_save(actor=w.district_admin, set_id=small_set.pk, indicator_id=linear.pk,
                   dimension=linear.dimension.name, factor_serious="3")
    linear.refresh_from_db()
    assert linear.factor_serious == D("1.00")  # a rule without findings counts nothing by severity
