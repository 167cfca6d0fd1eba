"""Whom a dispatcher may dispatch to (permissions.dispatch_targets_q, decision 43): the service, the API and the
page's unit list follow one rule. A street: its own office, its own committees, the district's departments."""

import pytest

from civicloop.cases import services as s
from civicloop.cases.models import Case
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.testing import PASSWORD


@pytest.fixture
def triaged(world, flow, cats):
    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0201"].pk)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("target,allowed", [("committee_a1", True), ("street_a_office", True), ("housing", True),
                                            ("committee_b1", False), ("street_b_office", False)])
def test_a_street_dispatches_to_its_own_committees_itself_and_departments(world, triaged, target, allowed):
    unit = getattr(world, target)
    if allowed:
        s.case_dispatch(actor=world.street_dispatcher, case_id=triaged.pk, lead_unit_id=unit.pk)
        assert Case.objects.get(pk=triaged.pk).lead_unit_id == unit.pk
        return
    with pytest.raises(CivicError) as refused:
        s.case_dispatch(actor=world.street_dispatcher, case_id=triaged.pk, lead_unit_id=world.housing.pk,
                        co_unit_ids=[unit.pk])
    assert refused.value.code == ErrorCode.FORBIDDEN and "区级" in refused.value.message
    assert Case.objects.get(pk=triaged.pk).version == triaged.version  # nothing changed


def test_the_district_dispatches_anywhere_in_the_district(world, triaged):
    s.case_dispatch(actor=world.district_admin, case_id=triaged.pk, lead_unit_id=world.committee_b1.pk,
                    co_unit_ids=[world.street_b_office.pk])
    assert Case.objects.get(pk=triaged.pk).lead_unit_id == world.committee_b1.pk


def test_the_api_refuses_another_streets_committee(client, world, triaged):
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    r = client.post(f"/api/cases/{triaged.pk}/dispatch", {"lead_unit_id": world.committee_b1.pk,
                                                         "expected_version": triaged.version},
                    content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert Case.objects.get(pk=triaged.pk).lead_unit_id is None


def test_the_page_offers_only_the_units_the_service_accepts(client, world, triaged):
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    html = client.get(f"/cases/{triaged.pk}/").content.decode()
    form = html[html.index('data-action="dispatch"'):]
    form = form[:form.index("</form>")]
    for allowed in ("committee_a1", "street_a_office", "housing", "city_mgmt"):
        assert f'<option value="{getattr(world, allowed).pk}"' in form, allowed
    for refused in ("committee_b1", "street_b_office", "research", "consultation"):
        assert f'<option value="{getattr(world, refused).pk}"' not in form, refused


def test_the_picker_groups_units_as_a_dispatcher_thinks_and_suggests_the_categorys_lead(client, world, flow, cats):
    """Grouped (the street's committees, the street office, departments), the category's default lead unit first
    and preselected while the case has no lead — and only units the service accepts."""
    from civicloop.cases.forms import action_fields

    case = flow.register()
    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=cats["0101"].pk)  # lead 区城管执法局
    case.refresh_from_db()
    lead, co, _limit = action_fields("dispatch", case, world.street_dispatcher)
    labels = [label for label, _options in lead["groups"]]
    assert labels == ["建议（分类默认牵头单位）", "居委会", "街道办事处", "区职能部门"]
    assert lead["groups"][0][1] == [(world.city_mgmt.pk, world.city_mgmt.name)]
    assert lead["values"] == [str(world.city_mgmt.pk)] and co["values"] == []
    offered = {pk for _label, options in lead["groups"] for pk, _name in options}
    assert world.committee_b1.pk not in offered and world.committee_a1.pk in offered
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert '<optgroup label="居委会">' in html and 'data-filter-select="f-dispatch-lead_unit_id"' in html
