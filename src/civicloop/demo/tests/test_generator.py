from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from civicloop.core import registry
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.validators import validate_credit_code, validate_id_number
from civicloop.demo import steps
from civicloop.demo.generator import district_digest, district_reset, generate, preset_district
from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.models import Person, Unit, User
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Enterprise, Household, ParkBuilding, Place, Zone
from civicloop.places.services import place_create

SCALE = 0.002
# (apps=(): the territory, units and logins need none of the apps' demo steps — cases, visits, plans …)
pytestmark = pytest.mark.django_db


def _district() -> Place:
    return preset_district("xuhui")


def test_real_divisions_and_fixed_economy():
    stats = generate("xuhui", scale=SCALE, seed=1, apps=())
    d = _district()
    assert (d.code, d.name, d.abbr) == ("310104000000", "徐汇区", "XH")
    streets = Place.objects.filter(district=d, level=PlaceLevel.STREET)
    assert streets.count() == 13
    assert Place.objects.filter(district=d, level=PlaceLevel.COMMUNITY).count() == 312
    assert Place.objects.get(code="310104003000").name == "天平路街道"
    assert Place.objects.get(code="310104003001").name == "上海新村居委会"
    assert not Place.objects.filter(code__startswith="310104501").exists()  # the development zone is a zone, not a street
    assert Zone.objects.filter(district=d).count() == 8
    assert ParkBuilding.objects.filter(district=d).count() == 154  # always, whatever the scale
    assert stats.counts["places.community"] == 312 and stats.seconds > 0


def test_counts_follow_the_scale():
    small = generate("xuhui", scale=SCALE, seed=1, apps=())
    district_reset(_district())
    double = generate("xuhui", scale=2 * SCALE, seed=1, apps=())
    assert small.counts["places.household"] == round(180_000 * SCALE)
    assert double.counts["places.household"] == 2 * small.counts["places.household"]
    assert small.counts["places.enterprise"] == round(15_000 * SCALE)
    assert double.counts["places.enterprise"] == 2 * small.counts["places.enterprise"]
    assert Household.objects.count() == double.counts["places.household"]
    assert Enterprise.objects.count() == double.counts["places.enterprise"]


def test_same_seed_same_data_other_seed_other_data():
    generate("xuhui", scale=SCALE, seed=7, apps=())
    first = district_digest(_district())
    district_reset(_district())
    generate("xuhui", scale=SCALE, seed=7, apps=())
    assert district_digest(_district()) == first
    district_reset(_district())
    generate("xuhui", scale=SCALE, seed=8, apps=())
    assert district_digest(_district()) != first


def test_identifiers_pass_their_checks():
    generate("xuhui", scale=SCALE, seed=3, apps=())
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert codes and all(validate_credit_code(c) == c for c in codes)
    assert len(set(codes)) == len(codes)
    numbers = list(Household.objects.values_list("head_id_number", flat=True)) + list(Person.objects.values_list("id_number", flat=True))
    assert numbers and all(validate_id_number(n) == n for n in numbers)


def test_tree_is_consistent():
    generate("xuhui", scale=SCALE, seed=1, apps=())
    for h in Household.objects.select_related("building__parent__parent")[:200]:
        community = h.building.parent.parent
        assert h.community_id == community.pk and h.street_id == community.parent_id
        assert h.building.path.startswith(community.path) and h.code.startswith(h.building.code)
    # every committee has at least one compound and every compound a building
    assert not Place.objects.filter(level=PlaceLevel.COMMUNITY, children__isnull=True).exists()
    assert not Place.objects.filter(level=PlaceLevel.COMPOUND, children__isnull=True).exists()
    for e in Enterprise.objects.select_related("park_building"):
        assert e.park_building is None or e.street_id == e.park_building.street_id


def test_key_group_shares_are_realistic():
    generate("xuhui", scale=0.01, seed=1, apps=())  # 1,800 households
    total = Household.objects.count()
    share = lambda code: Household.objects.filter(tags__code=code).count() / total  # noqa: E731
    assert 0.04 < share("elderly_alone") < 0.08
    assert 0.015 < share("disabled") < 0.045
    assert 0.003 < share("dibao") < 0.03
    assert share("key_talent") < 0.025
    assert all(h.members == 1 for h in Household.objects.filter(tags__code="elderly_alone"))


def test_units_and_demo_logins(client):
    stats = generate("xuhui", scale=SCALE, seed=1, apps=())
    d = _district()
    assert Unit.objects.filter(district=d, kind=UnitKind.STREET_OFFICE).count() == 13
    assert Unit.objects.filter(district=d, kind=UnitKind.COMMITTEE).count() == 312
    assert Unit.objects.filter(district=d, kind=UnitKind.DEPARTMENT).count() == 12
    assert Unit.objects.filter(district=d, kind=UnitKind.PARTY_ORG).count() == 20
    assert User.objects.filter(username__in=stats.all_logins).count() == len(stats.all_logins)
    expected = {
        "xh_admin": {Role.DISTRICT_ADMIN, Role.DISPATCHER}, "xh_leader": {Role.LEADER},
        "tpl_dispatcher": {Role.DISPATCHER, Role.HANDLER}, "tpl_c01_grid": {Role.GRID_WORKER, Role.HANDLER},
        "fg_handler": {Role.HANDLER},
    }
    for login, roles in expected.items():
        assert set(User.objects.get(username=login).roles) == roles
    assert User.objects.get(username="tpl_c01_grid").unit.territory.code == "310104003001"
    assert User.objects.get(username="fg_handler").unit.name == "区房管局"
    assert User.objects.get(username="admin").is_superuser
    for login in ("admin", "xh_admin", "xh_leader", "tpl_dispatcher", "tpl_c01_grid", "fg_handler", "hj_c17_grid"):
        assert client.login(username=login, password=settings.CIVICLOOP["DEMO_PASSWORD"]), login
        client.logout()
    assert [login for login, _who in stats.logins][:3] == ["admin", "xh_admin", "xh_leader"]


def test_generate_refuses_an_existing_district():
    generate("xuhui", scale=SCALE, seed=1, apps=())
    with pytest.raises(CivicError) as exc:
        generate("xuhui", scale=SCALE, seed=1, apps=())
    assert exc.value.code == ErrorCode.DUPLICATE


def test_reset_removes_only_the_district(xuhui_demo):
    other = place_create(code="310105000000", name="长宁区", level=PlaceLevel.DISTRICT, abbr="CN")
    district_reset(_district())
    assert list(Place.objects.all()) == [other]
    assert not Household.objects.exists() and not Enterprise.objects.exists() and not Unit.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]


def test_reset_keeps_the_logs_of_people_it_deletes():
    """The audit and unmask logs are append-only: a reset deletes the district's accounts and leaves their rows."""
    from civicloop.core.models import AuditLog, UnmaskLog
    from civicloop.core.services import audit_write, unmask_log

    generate("xuhui", scale=SCALE, seed=1, apps=())
    user = User.objects.get(username="tpl_dispatcher")
    audit_write(action="login", user=user, username=user.username, district_id=user.district_id)
    unmask_log(user=user, district_id=user.district_id, object_type="places.household", object_id="H1",
               fields=["head_name"], reason="核实")
    # (the demo's own steps write this account's audit rows too: the plans' reports, the meetings it keeps)
    audits = AuditLog.objects.filter(user_id=user.pk, username="tpl_dispatcher").count()
    assert AuditLog.objects.filter(user_id=user.pk, action="login").count() == 1
    district_reset(_district())
    assert not User.objects.filter(pk=user.pk).exists()
    assert AuditLog.objects.filter(user_id=user.pk, username="tpl_dispatcher").count() == audits
    assert AuditLog.objects.filter(user_id=user.pk, action="login").count() == 1
    assert UnmaskLog.objects.filter(user_id=user.pk).count() == 1


def test_command_runs_twice_and_resets(monkeypatch):
    steps_of = registry.demo_steps
    monkeypatch.setattr(registry, "demo_steps", lambda only=None: steps_of(()))  # the command, not the apps' steps
    out = StringIO()
    call_command("demo", "--preset", "xuhui", "--scale", str(SCALE), "--seed", "2", stdout=out)
    text = out.getvalue()
    assert "tpl_dispatcher" in text and settings.CIVICLOOP["DEMO_PASSWORD"] in text
    digest = district_digest(_district())
    out = StringIO()
    call_command("demo", "--scale", str(SCALE), "--seed", "3", stdout=out)  # exists: says so, changes nothing
    assert "已存在" in out.getvalue() and district_digest(_district()) == digest
    call_command("demo", "--scale", str(SCALE), "--seed", "3", "--reset", stdout=StringIO())
    assert district_digest(_district()) != digest


def test_registered_steps_run_with_the_context(monkeypatch):
    seen = []
    monkeypatch.setattr(steps, "STEPS", [*steps.STEPS, lambda ctx: seen.append((ctx.district.code, len(ctx.units)))])
    resets = registry.demo_reset_steps()
    monkeypatch.setattr(registry, "demo_reset_steps", lambda: [*resets, lambda district: seen.append(("reset", district.code))])
    generate("xuhui", scale=SCALE, seed=1, apps=())
    district_reset(_district())
    assert seen == [("310104000000", 3 + 12 + 20 + 13 + 312), ("reset", "310104000000")]


def test_the_demo_key_works_and_a_reset_removes_what_citizens_and_clients_sent(client, xuhui_demo):
    """The key printed at the end of the demo submits an Open311 request; a portal report too; then a reset
    removes both with the cases they point at (their rows would otherwise block the cases' delete)."""
    from civicloop.apikeys.models import ApiKey
    from civicloop.cases.models import Case
    from civicloop.open311.models import Submission
    from civicloop.portal.models import PortalReport
    from civicloop.portal.services import portal_report

    stats = xuhui_demo
    key = next(note.rsplit("：", 1)[1] for note in stats.notes if "Open311" in note)
    street = Place.objects.filter(level=PlaceLevel.STREET, district=_district()).order_by("code").first()
    answer = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "0301", "attribute[facility]": "streetlight",
        "address_string": f"{street.name}路口", "description": "路灯不亮"})
    assert answer.status_code == 201, answer.content
    portal_report(client="203.0.113.9", district_code=_district().code, description="小区门口路灯坏了",
                  place_code=street.code)
    assert Submission.objects.count() == 1 and PortalReport.objects.count() == 1
    district_reset(_district())
    assert not (Submission.objects.exists() or PortalReport.objects.exists() or ApiKey.objects.exists()
                or Case.objects.exists())


def test_the_overview_is_current_when_the_demo_is_ready(xuhui_demo):
    """The dashboard's fold is a final step: every case the apps generated has its fact, the inspection
    findings' rectification cases (made after the cases and visits steps) included."""
    from civicloop.cases.constants import Channel
    from civicloop.cases.models import Case
    from civicloop.dashboard.models import CaseFact

    d = _district()
    inspection = Case.objects.filter(district=d, channel=Channel.CITIZEN_INSPECTION)
    assert inspection.exists()
    assert CaseFact.objects.filter(district=d, case__in=inspection).count() == inspection.count()
    assert CaseFact.objects.filter(district=d).count() == Case.objects.filter(district=d).count()


def test_the_demos_facts_and_rollups_are_the_refreshs(xuhui_demo):
    """The demo folds its bulk-written cases' facts where it generates them (`DashboardConfig.demo_case_rows`, in
    the slices' processes) and at the end only the events written otherwise (an alarm's case, a hall vote's, a
    cluster's merges): the same facts, returns, red stretches and rollups as `rollups_rebuild` reading the whole
    event log, and the watermark past the last event."""
    from collections import Counter

    from civicloop.cases.models import CaseEvent
    from civicloop.dashboard.models import ROLLUPS, CaseFact, CaseRedSpan, CaseReturn, RollupWatermark
    from civicloop.dashboard.services import rollups_rebuild

    def stored() -> dict:
        return {model: Counter(model.objects.values_list(*(f.attname for f in model._meta.concrete_fields
                                                           if f.attname != "id")))
                for model in (CaseFact, CaseReturn, CaseRedSpan, *(m for m, _dims in ROLLUPS))}

    before = stored()
    assert all(before.values())  # every table has rows: the demo has returns and red stretches
    assert RollupWatermark.objects.get(pk=1).last_event_id == CaseEvent.objects.order_by("-pk").first().pk
    rollups_rebuild()
    assert stored() == before
