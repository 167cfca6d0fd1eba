"""Who may see and who may act on consultation meetings (decision 38), and registration's rule (WHO[REGISTER]).

A meeting or agenda item the actor may not see answers exactly like one that does not exist, so ids cannot be
probed; FORBIDDEN only for one they may see but not act on (a leader reads meetings, does not convene them).
"""

import datetime as dt

import pytest
from django.utils import timezone

from civicloop.cases import selectors
from civicloop.cases import services as s
from civicloop.cases.constants import Action, MeetingState
from civicloop.cases.inbox import inbox_for
from civicloop.cases.models import AgendaItem, Decision, Meeting
from civicloop.cases.permissions import SYSTEM, may, may_convene, may_register, may_see_meetings
from civicloop.testing import PASSWORD, make_user

MISSING = 10 ** 8

# persona: (may see the district's meetings, may convene them)
RULES = {
    "district_admin": (True, True),  # district_admin + dispatcher of the research office
    "consultation_staff": (True, True),
    "leader": (True, False),
    "street_dispatcher": (False, False),
    "committee_worker": (False, False),
    "dept_handler": (False, False),
    "city_handler": (False, False),
    "outsider": (False, False),
    "stranger": (False, False),  # district-level, but of the other district
    "nobody": (False, False),
}
UNSEEING = sorted(p for p, (sees, _c) in RULES.items() if not sees)


@pytest.fixture
def meeting(world, flow):
    """A planned meeting of the world's district with one undecided agenda item (an escalated case)."""
    case = flow.dispatched()
    s.case_escalate(actor=world.street_dispatcher, case_id=case.pk, reason="涉及多个部门")
    m = s.meeting_create(actor=world.consultation_staff, body_unit_id=world.consultation.pk,
                         date=timezone.localdate(), title="会商")
    item = s.meeting_agenda_add(actor=world.consultation_staff, meeting_id=m.pk, case_id=case.pk)
    return m, item, case


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def api_calls(meeting_id, item_id, case_id, lead_unit_id):
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    return {
        "detail": ("get", f"/api/cases/meetings/{meeting_id}", None),
        "agenda": ("post", f"/api/cases/meetings/{meeting_id}/agenda", {"case_id": case_id}),
        "decide": ("post", f"/api/cases/agenda/{item_id}/decide",
                   {"lead_unit_id": lead_unit_id, "measures": "牵头整治", "deadline": deadline}),
        "minutes": ("post", f"/api/cases/meetings/{meeting_id}/minutes", {}),
    }


def page_calls(meeting_id, item_id, case_id, lead_unit_id):
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    return {
        "detail": ("get", f"/cases/meetings/{meeting_id}/", None),
        "agenda": ("post", f"/cases/meetings/{meeting_id}/agenda/", {"case_id": case_id}),
        "decide": ("post", f"/cases/agenda/{item_id}/decide/",
                   {"lead_unit_id": lead_unit_id, "measures": "牵头整治", "deadline": deadline}),
        "minutes": ("post", f"/cases/meetings/{meeting_id}/minutes/", {}),
    }


def call(client, method, url, body, *, api):
    if method == "get":
        r = client.get(url)
    elif api:
        r = client.post(url, body, content_type="application/json")
    else:
        r = client.post(url, body)
    return r.status_code, (r.json().get("code") if api else None)


def untouched(m, item):
    return (Meeting.objects.get(pk=m.pk).state == MeetingState.PLANNED and not Meeting.objects.get(pk=m.pk).minutes
            and not Decision.objects.filter(item=item).exists() and AgendaItem.objects.filter(meeting=m).count() == 1)


@pytest.mark.parametrize("api", [True, False], ids=["api", "pages"])
@pytest.mark.parametrize("persona", UNSEEING)
def test_unseen_meeting_answers_like_a_missing_one(client, world, meeting, persona, api):
    m, item, case = meeting
    login(client, getattr(world, persona))
    calls = api_calls if api else page_calls
    existing = calls(m.pk, item.pk, case.pk, world.city_mgmt.pk)
    missing = calls(MISSING, MISSING, case.pk, world.city_mgmt.pk)
    for name, (method, url, body) in existing.items():
        got = call(client, method, url, body, api=api)
        assert got == call(client, *missing[name], api=api), (persona, name)
        assert got[0] == 404 and got[1] in ("not_found", None), (persona, name, got)
    assert untouched(m, item)


@pytest.mark.parametrize("api", [True, False], ids=["api", "pages"])
def test_leader_reads_meetings_but_may_not_act(client, world, meeting, api):
    m, item, case = meeting
    login(client, world.leader)
    calls = api_calls if api else page_calls
    existing = calls(m.pk, item.pk, case.pk, world.city_mgmt.pk)
    missing = calls(MISSING, MISSING, case.pk, world.city_mgmt.pk)
    assert call(client, *existing["detail"], api=api)[0] == 200
    for name in ("agenda", "decide", "minutes"):
        assert call(client, *existing[name], api=api) == (403, "forbidden" if api else None), name
        assert call(client, *missing[name], api=api) == (404, "not_found" if api else None), name
    assert untouched(m, item)


def test_meeting_page_offers_the_forms_only_to_conveners(client, world, meeting):
    """The page asks the services' own rule (may_convene): a leader reads the agenda without forms that would fail."""
    m, item, case = meeting
    forms = (f"/cases/agenda/{item.pk}/decide/", f"/cases/meetings/{m.pk}/minutes/")
    login(client, world.leader)
    page = client.get(f"/cases/meetings/{m.pk}/").content.decode()
    assert case.tracking_code in page and not any(url in page for url in forms)
    login(client, world.district_admin)
    page = client.get(f"/cases/meetings/{m.pk}/").content.decode()
    assert all(url in page for url in forms)


def test_convener_acts_over_http(client, world, meeting):
    m, item, case = meeting
    login(client, world.district_admin)
    calls = api_calls(m.pk, item.pk, case.pk, world.city_mgmt.pk)
    assert call(client, *calls["decide"], api=True)[0] == 200
    assert call(client, *calls["minutes"], api=True)[0] == 200
    assert Meeting.objects.get(pk=m.pk).state == MeetingState.HELD


@pytest.mark.parametrize("persona", sorted(RULES))
def test_meeting_rules_and_the_list_agree(world, meeting, persona):
    m, _item, _case = meeting
    user = getattr(world, persona)
    sees, convenes = RULES[persona]
    assert (may_see_meetings(user, m.district_id), may_convene(user, m.district_id)) == (sees, convenes)
    assert list(selectors.meetings_for(user)) == ([m] if sees else [])
    assert not convenes or sees  # whoever may act on a meeting may see it


def test_superuser_and_system_see_and_convene_every_district(world, meeting):
    m, _item, _case = meeting
    root = make_user("root", None, superuser=True)
    for actor in (root, SYSTEM):
        assert may_see_meetings(actor, world.other_district.pk) and may_convene(actor, world.other_district.pk)
    assert list(selectors.meetings_for(root)) == [m]


def test_meetings_page_offers_creation_only_to_conveners(client, world):
    login(client, world.consultation_staff)
    assert "新建会议" in client.get("/cases/meetings/").content.decode()
    login(client, world.leader)
    html = client.get("/cases/meetings/").content.decode()
    assert "新建会议" not in html and 'name="body_unit_id"' not in html


# ----- registration: WHO[REGISTER] through permissions.may

@pytest.mark.parametrize("persona,allowed", [
    ("district_admin", True), ("street_dispatcher", True), ("committee_worker", True), ("dept_handler", True),
    ("consultation_staff", True), ("outsider", True), ("stranger", True), ("leader", False), ("nobody", False)])
def test_who_may_register(world, persona, allowed):
    user = getattr(world, persona)
    assert may_register(user) is allowed
    assert may(user, None, Action.REGISTER) is allowed


def test_superuser_without_district_registers_only_naming_one(world):
    root = make_user("root", None, superuser=True)
    assert not may_register(root) and not may(root, None, Action.REGISTER)
    assert may_register(root, district_id=world.district.pk)
    assert may_register(SYSTEM) and may(SYSTEM, None, Action.REGISTER)


def test_leader_registration_is_refused_by_the_same_rule(world, flow):
    from civicloop.core.errors import CivicError, ErrorCode

    with pytest.raises(CivicError) as exc:
        flow.register(actor=world.leader)
    assert exc.value.code == ErrorCode.FORBIDDEN


# ----- the inbox offers the extension requests `may` lets one decide

def test_superuser_inbox_lists_pending_extensions(world, flow):
    case = flow.dispatched()
    s.case_accept(actor=world.dept_handler, case_id=case.pk)
    s.case_request_extension(actor=world.dept_handler, case_id=case.pk, days=5, reason="需协调")
    root = make_user("root", None, superuser=True)
    case.refresh_from_db()
    assert may(root, case, Action.APPROVE_EXTENSION)
    assert [row["id"] for row in inbox_for(root)["extensions"]["cases"]] == [case.pk]
    assert [row["id"] for row in inbox_for(world.district_admin)["extensions"]["cases"]] == [case.pk]
