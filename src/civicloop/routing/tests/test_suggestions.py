"""Suggestions on a case's page and by API: who sees them, what they offer (scope: only the viewer's dispatch
targets), the record of what was shown, and "use this" through the cases services."""

import json

import numpy as np
import pytest
from django.urls import reverse

from civicloop.cases import services as case_services
from civicloop.cases.constants import Action, CaseState
from civicloop.cases.models import Case, CaseEvent
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.routing import selectors
from civicloop.routing.error_codes import RoutingErrorCode
from civicloop.routing.learn import Example
from civicloop.routing.models import RoutingModel, Suggestion
from civicloop.routing.services import model_fit, suggestion_use
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.django_db


def page(client, user, case):
    client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("cases:case", args=[case.tracking_code]))


def test_an_elevator_complaint_suggests_property_management_and_the_housing_department_first(
        world, cats, fitted, elevator):
    suggested = selectors.suggestions_for(world.street_dispatcher, elevator)
    assert suggested["version"] == fitted.version
    assert suggested["categories"][0][0] == cats["0201"]
    assert suggested["units"][0][0] == world.housing
    assert 0 < suggested["units"][0][1] <= 1
    assert len(suggested["categories"]) == 3


def test_the_panel_shows_and_records_once_per_case_version(client, world, fitted, elevator):
    r = page(client, world.street_dispatcher, elevator)
    html = r.content.decode()
    assert 'id="routing-suggestions"' in html and "区房管局" in html and "物业管理服务" in html
    page(client, world.street_dispatcher, elevator)
    rows = list(Suggestion.objects.filter(case=elevator))
    assert len(rows) == 1 and rows[0].model_version == fitted.version and rows[0].case_version == elevator.version
    assert rows[0].units[0][0] == world.housing.pk


@pytest.mark.parametrize("who", ["committee_worker", "dept_handler", "leader"])
def test_only_who_may_dispatch_sees_suggestions(client, world, fitted, elevator, who):
    user = getattr(world, who)
    assert 'id="routing-suggestions"' not in page(client, user, elevator).content.decode()
    client.login(username=user.username, password=PASSWORD)
    r = client.get(f"/api/routing/cases/{elevator.pk}/suggestions")
    assert r.status_code == 404
    assert not Suggestion.objects.exists()


def test_no_suggestion_for_a_case_the_viewer_cannot_see(client, world, fitted, elevator):
    for user in (world.outsider, world.stranger):
        client.login(username=user.username, password=PASSWORD)
        assert client.get(f"/api/routing/cases/{elevator.pk}/suggestions").status_code == 404
    assert not Suggestion.objects.exists()


def test_units_outside_the_dispatchers_targets_are_never_suggested(world, cats, fitted, flow_register):
    """A street B case seen by a district dispatcher may go to street B's office; street A's dispatcher never sees
    street B's office or committees (cases.permissions.dispatch_targets_q)."""
    case = flow_register(description="楼上装修噪声扰民")
    suggested = selectors.suggestions_for(world.street_dispatcher, case)
    allowed = {world.housing, world.city_mgmt, world.street_a_office, world.committee_a1}
    assert {u for u, _p in suggested["units"]} <= allowed
    assert suggested["units"][0][0] == world.committee_a1  # the noise cases were closed by the committee


def test_api_suggestions_and_use(client, world, cats, fitted, elevator):
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    r = client.get(f"/api/routing/cases/{elevator.pk}/suggestions")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["model_version"] == fitted.version and body["units"][0]["id"] == world.housing.pk
    r = client.post(f"/api/routing/cases/{elevator.pk}/use", json.dumps({
        "suggestion_id": body["suggestion_id"], "category_id": body["categories"][0]["id"],
        "lead_unit_id": world.housing.pk, "expected_version": elevator.version}), content_type="application/json")
    assert r.status_code == 200, r.content
    case = Case.objects.get(pk=elevator.pk)
    assert case.state == CaseState.DISPATCHED and case.lead_unit_id == world.housing.pk
    assert case.category_id == cats["0201"].pk
    actions = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("action", "actor_id"))
    assert actions[-2:] == [(Action.TRIAGE, world.street_dispatcher.pk), (Action.DISPATCH, world.street_dispatcher.pk)]
    assert Suggestion.objects.get(pk=body["suggestion_id"]).used_at is not None


def test_use_on_the_page(client, world, cats, fitted, elevator):
    page(client, world.street_dispatcher, elevator)
    row = Suggestion.objects.get(case=elevator)
    r = client.post(reverse("routing:use", args=[elevator.pk]), {
        "suggestion_id": row.pk, "category_id": cats["0201"].pk, "lead_unit_id": world.housing.pk,
        "expected_version": elevator.version})
    assert r.status_code == 302
    assert Case.objects.get(pk=elevator.pk).lead_unit_id == world.housing.pk


def test_use_of_something_not_suggested_or_stale_changes_nothing(client, world, cats, fitted, elevator):
    page(client, world.street_dispatcher, elevator)
    row = Suggestion.objects.get(case=elevator)
    before = Case.objects.get(pk=elevator.pk).version
    with pytest.raises(CivicError) as exc:
        suggestion_use(actor=world.street_dispatcher, case_id=elevator.pk, suggestion_id=row.pk,
                       lead_unit_id=world.street_b_office.pk, expected_version=before)
    assert exc.value.code == RoutingErrorCode.NOT_SUGGESTED
    with pytest.raises(CivicError) as exc:
        suggestion_use(actor=world.street_dispatcher, case_id=elevator.pk, suggestion_id=row.pk,
                       category_id=cats["0201"].pk, lead_unit_id=world.housing.pk, expected_version=before + 5)
    assert exc.value.code == ErrorCode.CONFLICT
    with pytest.raises(CivicError) as exc:  # another person's suggestion id on a case the actor cannot see
        suggestion_use(actor=world.outsider, case_id=elevator.pk, suggestion_id=row.pk,
                       lead_unit_id=world.housing.pk, expected_version=before)
    assert exc.value.code == ErrorCode.NOT_FOUND
    assert Case.objects.get(pk=elevator.pk).version == before and Suggestion.objects.get().used_at is None


@pytest.mark.parametrize("body", [
    {"suggestion_id": "1\x00", "lead_unit_id": 1, "expected_version": 0},
    {"suggestion_id": 10 ** 30, "lead_unit_id": 1, "expected_version": 0},
    {"suggestion_id": 999999, "lead_unit_id": 1, "expected_version": 0},
    {"suggestion_id": 1, "lead_unit_id": -3, "expected_version": 0},
    {"lead_unit_id": 1, "expected_version": 0},
])
def test_bad_input_is_refused_and_changes_nothing(client, world, fitted, elevator, body):
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    r = client.post(f"/api/routing/cases/{elevator.pk}/use", json.dumps(body), content_type="application/json")
    assert r.status_code in (400, 404, 422), r.content
    assert "message" in r.json()
    assert Case.objects.get(pk=elevator.pk).state == CaseState.REGISTERED


def test_bad_form_input_on_the_page(client, world, fitted, elevator):
    client.login(username=world.street_dispatcher.username, password=PASSWORD)
    r = client.post(reverse("routing:use", args=[elevator.pk]), {"suggestion_id": "x\x00", "expected_version": "0"})
    assert r.status_code in (400, 422)
    assert Case.objects.get(pk=elevator.pk).state == CaseState.REGISTERED


def test_without_a_model_the_panel_says_so_and_the_api_answers_409(client, world, cats, elevator):
    selectors.forget()
    assert "本区尚无派单模型" in page(client, world.street_dispatcher, elevator).content.decode()
    r = client.get(f"/api/routing/cases/{elevator.pk}/suggestions")
    assert r.status_code == 409 and r.json()["code"] == RoutingErrorCode.NO_MODEL


def test_a_refit_adds_a_version_every_worker_follows_and_old_ones_go(world, fitted, elevator, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    assert selectors.current_router(world.district.pk)[0] == fitted.version
    with django_capture_on_commit_callbacks(execute=True):  # the refitting process forgets its copy at once
        newest = model_fit(district_id=world.district.pk)
    assert selectors.current_router(world.district.pk)[0] == newest.version
    for _ in range(2):  # refits by another worker: this one notices once its version check is due
        newest = model_fit(district_id=world.district.pk)
    assert selectors.current_router(world.district.pk)[0] == newest.version - 2
    monkeypatch.setattr(selectors, "VERSION_CHECK_SECONDS", 0)
    assert selectors.current_router(world.district.pk)[0] == newest.version == fitted.version + 3
    assert list(RoutingModel.objects.filter(district=world.district).values_list("version", flat=True)) == [
        newest.version, newest.version - 1, newest.version - 2]
    assert newest.quality["n"] >= 1


def test_too_few_closed_cases_fit_no_model(world, cats):
    assert model_fit(district_id=world.district.pk) is None


def test_the_fast_probabilities_are_scikit_learns(world, fitted):
    _v, router = selectors.current_router(world.district.pk)
    examples = [Example(text=t, channel="hotline_12345", street_id=world.street_a.pk, community_id=world.comm_a1.pk)
                for t in ("电梯坏了", "占道经营", "噪声", "", "\x00\x01", "a" * 5000)]
    fast = np.vstack([router.proba(e) for e in examples])
    assert np.abs(fast - router.proba_reference(examples)).max() < 1e-5


def test_the_acceptance_rate_reads_the_dispatch_that_followed(world, cats, fitted, elevator, flow_register):
    from civicloop.routing.selectors import acceptance_for, today_local

    suggested = selectors.suggestions_for(world.street_dispatcher, elevator)
    from civicloop.routing.services import suggestion_show

    row = suggestion_show(actor=world.street_dispatcher, case=elevator, suggested=suggested)
    suggestion_use(actor=world.street_dispatcher, case_id=elevator.pk, suggestion_id=row.pk,
                   category_id=cats["0201"].pk, lead_unit_id=world.housing.pk, expected_version=elevator.version)
    other = flow_register(description="电梯又困人了")
    shown = suggestion_show(actor=world.street_dispatcher, case=other,
                            suggested=selectors.suggestions_for(world.street_dispatcher, other))
    assert shown.units[0][0] == world.housing.pk
    case_services.case_triage(actor=world.street_dispatcher, case_id=other.pk, category_id=cats["0201"].pk)
    case_services.case_dispatch(actor=world.street_dispatcher, case_id=other.pk, lead_unit_id=world.city_mgmt.pk)
    day = today_local()
    kpi = acceptance_for(world.district_admin, day, day)
    assert (kpi["decided"], kpi["first"], kpi["used"], kpi["rate"]) == (2, 1, 1, 50.0)
    assert kpi["case_ids_none"] == [other.pk] or world.city_mgmt.pk in {u for u, _p in shown.units}
    # the outsider sees neither case: nothing to count
    assert acceptance_for(world.outsider, day, day)["decided"] == 0
