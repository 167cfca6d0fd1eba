"""Recording a visit (issue 12, "Visit records"): the problems become cases through the cases services, linked both
ways, in the street dispatcher's inbox once each; a record sent again is stored once; a reassigned subject is
refused with a message and nothing written; a repeat visit's answer rates a case awaiting its rating; the outcomes
are shown back; scope and masking; bad input refused cleanly."""

import datetime as dt
import uuid
from unittest import mock

import pytest

from civicloop.cases import services as s
from civicloop.cases.constants import Action, CaseState, Channel
from civicloop.cases.inbox import inbox_for
from civicloop.cases.models import Case, CaseEvent, Rating
from civicloop.core.constants import AuditAction
from civicloop.core.models import AuditLog
from civicloop.testing import PASSWORD
from civicloop.visits.constants import CampaignState
from civicloop.visits.models import FollowUp, Subject, Visit, VisitProblem
from civicloop.visits.services import records


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def body(field, **kw):
    data = {"client_id": str(uuid.uuid4()), "subject_id": field.s_a1.pk, "visited_on": "2026-11-30", "method": "door",
            "summary": "谈到楼道照明和垃圾清运", "satisfaction": "basically",
            "member_ids": list(field.team.members.values_list("pk", flat=True)),
            "problems": [{"description": "3号楼楼道灯坏了两个月"}, {"description": "小区垃圾清运不及时"}]}
    data.update(kw)
    return data


def post(client, data):
    return client.post("/api/visits/visits", data, content_type="application/json")


def test_a_visit_registers_one_case_per_problem_linked_both_ways_and_in_the_street_inbox(client, world, field):
    login(client, field.recorder)
    r = post(client, body(field))
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["created"] is True and len(out["cases"]) == 2
    visit = Visit.objects.get(pk=out["id"])
    cases = list(Case.objects.filter(pk__in=[c["id"] for c in out["cases"]]).order_by("pk"))
    assert [c.channel for c in cases] == [Channel.VISIT, Channel.VISIT]
    assert [c.external_id for c in cases] == [f"{visit.client_id}:1", f"{visit.client_id}:2"]
    assert {c.household_id for c in cases} == {field.h_a1.pk} and {c.street_id for c in cases} == {world.street_a.pk}
    assert {c.registered_by_id for c in cases} == {field.recorder.pk}  # the recorder, not the system
    assert {c.reporter_name for c in cases} == {"张三"}  # the person visited
    assert set(CaseEvent.objects.filter(case__in=cases, action=Action.REGISTER).values_list("actor_id", flat=True)) \
        == {field.recorder.pk}
    assert [p.case_id for p in visit.problems.order_by("position")] == [c.pk for c in cases]
    assert visit.household_id == field.h_a1.pk and visit.community_id == world.comm_a1.pk
    assert visit.members.count() == 6
    subject = Subject.objects.get(pk=field.s_a1.pk)
    assert subject.visits_count == 1 and subject.first_visited_on == dt.date(2026, 11, 30)
    assert AuditLog.objects.filter(action=AuditAction.VISIT_RECORD, object_id=str(visit.pk),
                                   user=field.recorder).count() == 1

    # the street dispatcher's inbox holds each exactly once (to triage)
    inbox = inbox_for(world.street_dispatcher)
    ids = [row["id"] for section in inbox.values() if isinstance(section, dict) for row in section["cases"]]
    assert sorted(i for i in ids if i in {c.pk for c in cases}) == [c.pk for c in cases]

    # linked both ways: the case page says where it was raised, the household's page lists the visit
    login(client, world.street_dispatcher)
    html = client.get(f"/cases/{cases[0].tracking_code}/").content.decode()
    assert "走访中提出" in html and f'href="/visits/subjects/{field.s_a1.pk}/#visit-{visit.pk}"' in html
    html = client.get(f"/places/households/{field.h_a1.code}/").content.decode()
    assert 'id="record-visits"' in html and f'data-visit="{visit.pk}"' in html and cases[1].tracking_code in html
    # the party organisation's recorder sees no case page (no territory), but the subject page links the outcome
    login(client, field.recorder)
    assert client.get(f"/cases/{cases[0].tracking_code}/").status_code == 404
    html = client.get(f"/visits/subjects/{field.s_a1.pk}/").content.decode()
    assert cases[0].tracking_code in html and f'href="/cases/{cases[0].tracking_code}/"' not in html


def test_the_same_record_sent_three_times_is_stored_once(client, world, field):
    login(client, field.recorder)
    data = body(field)
    answers = [post(client, data) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert [a.json()["created"] for a in answers] == [True, False, False]
    assert answers[0].json()["cases"] == answers[1].json()["cases"] == answers[2].json()["cases"]
    assert Visit.objects.count() == 1 and Case.objects.count() == 2
    assert Subject.objects.get(pk=field.s_a1.pk).visits_count == 1
    assert AuditLog.objects.filter(action=AuditAction.VISIT_RECORD).count() == 1


def test_a_concurrent_duplicate_meets_the_unique_client_id_and_answers_the_stored_visit(world, field, record):
    visit, created = record(problems=[{"description": "路灯不亮"}])
    # the second submission looked before the first was stored: it reaches the insert, which the constraint refuses
    with mock.patch.object(records, "_stored", side_effect=[None, visit]):
        again, created_again = record(client_id=visit.client_id, problems=[{"description": "路灯不亮"}])
    assert created and not created_again and again.pk == visit.pk
    assert Visit.objects.count() == 1 and Case.objects.count() == 1 and VisitProblem.objects.count() == 1


def test_a_reassigned_subject_is_refused_with_a_message_and_nothing_written(client, world, field):
    Subject.objects.filter(pk=field.s_a1.pk).update(team=field.other_team)
    login(client, field.recorder)
    r = post(client, body(field))
    assert r.status_code == 409, r.content
    assert r.json()["code"] == "subject_reassigned"
    assert "第二走访组" in r.json()["message"] and "1号楼101室" in r.json()["message"]
    assert not Visit.objects.exists() and not Case.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.VISIT_RECORD).exists()
    Subject.objects.filter(pk=field.s_a1.pk).update(team=None)
    r = post(client, body(field))
    assert r.status_code == 409 and "未分配" in r.json()["message"]
    # a record stored before the reassignment is still answered as stored (a retry after the move)
    Subject.objects.filter(pk=field.s_a1.pk).update(team=field.team)
    data = body(field)
    assert post(client, data).status_code == 201
    Subject.objects.filter(pk=field.s_a1.pk).update(team=field.other_team)
    assert post(client, data).status_code == 200


def test_someone_on_no_team_of_the_campaign_is_told_nothing(client, world, field):
    login(client, world.street_dispatcher)  # sees the subject (territory), but records for no team
    r = post(client, body(field))
    assert r.status_code == 404 and not Visit.objects.exists()


def test_no_visit_while_the_campaign_is_not_running(client, world, field):
    field.campaign.state = CampaignState.CLOSED
    field.campaign.save()
    login(client, field.recorder)
    r = post(client, body(field))
    assert r.status_code == 409 and r.json()["code"] == "campaign_state" and not Case.objects.exists()


def _replied(world, cats, case_id):
    """Drive a visit's case to `replied` with the street's dispatcher and the housing department."""
    s.case_triage(actor=world.street_dispatcher, case_id=case_id, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=case_id, lead_unit_id=world.housing.pk)
    s.case_accept(actor=world.dept_handler, case_id=case_id)
    s.case_resolve(actor=world.dept_handler, case_id=case_id, result="已更换楼道灯", measures="更换灯具")
    s.case_reply(actor=world.street_dispatcher, case_id=case_id, channel="phone", content="已修好")
    return Case.objects.get(pk=case_id)


def test_a_repeat_visit_rates_a_replied_case_and_shows_the_outcome_back(client, world, field, cats, record):
    first, _c = record(problems=[{"description": "楼道灯坏了"}, {"description": "垃圾清运不及时"}])
    lamp, rubbish = [p.case for p in first.problems.order_by("position")]
    lamp = _replied(world, cats, lamp.pk)
    assert lamp.state == CaseState.REPLIED

    login(client, field.recorder)
    html = client.get(f"/visits/subjects/{field.s_a1.pk}/").content.decode()
    resolved = lamp.resolved_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert f"上次反映：楼道灯坏了，已于{resolved.year}年{resolved.month}月{resolved.day}日办结，是否满意？" in html
    assert "上次反映：垃圾清运不及时，目前已登记" in html

    second, _c = record(client_id=uuid.uuid4(), visited_on=dt.date(2026, 12, 1), follow_ups=[
        {"case_id": lamp.pk, "satisfaction": "satisfied", "note": "亮了"},
        {"case_id": rubbish.pk, "satisfaction": "unsatisfied", "note": ""}])
    lamp.refresh_from_db()
    assert lamp.state == CaseState.RATED and lamp.satisfaction == "satisfied"
    rating = Rating.objects.get(case=lamp)
    assert rating.recorded_by_id == field.recorder.pk and "走访回访时转达" in rating.note and "亮了" in rating.note
    assert CaseEvent.objects.get(case=lamp, action=Action.RATE).actor_id == field.recorder.pk
    follow = {f.case_id: f for f in FollowUp.objects.filter(visit=second)}
    assert follow[lamp.pk].rated and not follow[rubbish.pk].rated  # not awaiting a rating: stored, not rated
    assert Case.objects.get(pk=rubbish.pk).state == CaseState.REGISTERED

    html = client.get(f"/visits/subjects/{field.s_a1.pk}/").content.decode()
    assert lamp.tracking_code in html and "已评价" in html and "已记为工单评价" in html
    api = client.get(f"/api/visits/subjects/{field.s_a1.pk}").json()
    outcome = {c["id"]: c for c in api["cases"]}
    assert outcome[lamp.pk]["state"] == "rated" and outcome[lamp.pk]["satisfaction"] == "satisfied"
    assert outcome[lamp.pk]["resolved_on"] == resolved.date().isoformat()
    assert [v["id"] for v in api["visits"]] == [second.pk, first.pk]


def test_an_unsatisfied_answer_reopens_and_no_answer_rates_nothing(world, field, cats, record):
    first, _c = record(problems=[{"description": "楼道灯坏了"}, {"description": "井盖松动"}])
    lamp, lid = [_replied(world, cats, p.case_id) for p in first.problems.order_by("position")]
    record(follow_ups=[{"case_id": lamp.pk, "satisfaction": "unsatisfied"},
                       {"case_id": lid.pk, "satisfaction": "no_answer"}])
    assert Case.objects.get(pk=lamp.pk).state == CaseState.REOPENED
    assert Case.objects.get(pk=lid.pk).state == CaseState.REPLIED and not Rating.objects.filter(case=lid).exists()


def test_a_follow_up_names_only_a_case_raised_in_an_earlier_visit_to_the_subject(world, field, record):
    other, _c = record(subject=field.s_a2, problems=[{"description": "别家的问题"}])
    hotline = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345,
                              household_id=field.h_a1.pk, description="热线反映")
    for case_id in (other.problems.get().case_id, hotline.pk):
        with pytest.raises(records.CivicError) as e:
            record(follow_ups=[{"case_id": case_id, "satisfaction": "satisfied"}])
        assert e.value.code == "invalid"
    assert Visit.objects.count() == 1


def test_the_record_form_on_the_subject_page(client, world, field):
    login(client, field.recorder)
    html = client.get(f"/visits/subjects/{field.s_a1.pk}/").content.decode()
    assert 'id="record-form"' in html and 'name="member_ids"' in html and "添加问题" in html
    row = client.get("/visits/problem-row/").content.decode()
    assert 'name="problem"' in row
    members = list(field.team.members.values_list("pk", flat=True)[:2])
    form = {"client_id": str(uuid.uuid4()), "visited_on": "2026-11-30", "method": "door", "summary": "入户聊家常",
            "satisfaction": "satisfied", "member_ids": [str(m) for m in members],
            "problem": ["楼下违章搭建", "", "电梯经常停运"]}
    r = client.post(f"/visits/subjects/{field.s_a1.pk}/", form)
    assert r.status_code == 302
    visit = Visit.objects.get()
    assert sorted(visit.members.values_list("pk", flat=True)) == sorted(members)
    assert [p.description for p in visit.problems.order_by("position")] == ["楼下违章搭建", "电梯经常停运"]
    again = client.post(f"/visits/subjects/{field.s_a1.pk}/", form, follow=True)  # the same form sent twice
    assert "该走访已记录过" in again.content.decode() and Visit.objects.count() == 1
    # readers see the history but no form
    login(client, world.leader)
    html = client.get(f"/visits/subjects/{field.s_a1.pk}/").content.decode()
    assert "入户聊家常" in html and 'id="record-form"' not in html


@pytest.mark.parametrize("persona, a1, a2, b1", [
    ("recorder", 200, 200, 404),
    ("other_recorder", 404, 404, 200),
    ("street_dispatcher", 200, 200, 404),
    ("committee_worker", 200, 404, 404),
    ("leader", 200, 200, 200),
    ("district_admin", 200, 200, 200),
    ("outsider", 404, 404, 200),
    ("dept_handler", 404, 404, 404),
    ("stranger", 404, 404, 404),
])
def test_who_sees_a_subject(client, world, field, persona, a1, a2, b1):
    user = getattr(field, persona, None) or getattr(world, persona)
    login(client, user)
    got = [client.get(f"/visits/subjects/{subj.pk}/").status_code for subj in (field.s_a1, field.s_a2, field.s_b1)]
    assert got == [a1, a2, b1]
    assert client.get(f"/api/visits/subjects/{field.s_a1.pk}").status_code == a1


def test_personal_data_is_masked_without_the_households_right(client, world, field, record):
    record(summary="户主说有事打13912345678")
    login(client, field.recorder)
    html = client.get(f"/visits/subjects/{field.s_a1.pk}/").content.decode()
    assert "张*" in html and "138****1234" in html
    assert "张三" not in html and "13812341234" not in html and "13912345678" not in html
    api = client.get(f"/api/visits/subjects/{field.s_a1.pk}").json()
    assert api["head_name"] == "张*" and "13912345678" not in str(api)
    assert "13912345678" not in client.get("/api/visits/visits").content.decode()
    login(client, world.committee_worker)  # the household's own committee: in clear
    html = client.get(f"/visits/subjects/{field.s_a1.pk}/").content.decode()
    assert "张三" in html and "13812341234" in html and "13912345678" in html


def test_the_visit_list_is_scoped_and_filtered(client, world, field, record):
    mine, _c = record()
    theirs, _c = record(actor=field.other_recorder, subject=field.s_b1)
    login(client, field.recorder)
    assert [v["id"] for v in client.get("/api/visits/visits").json()["items"]] == [mine.pk]
    login(client, world.district_admin)
    assert client.get("/api/visits/visits").json()["count"] == 2
    assert [v["id"] for v in client.get(f"/api/visits/visits?team={field.other_team.pk}").json()["items"]] == [theirs.pk]
    assert client.get(f"/api/visits/visits?subject={field.s_a1.pk}&campaign={field.campaign.pk}").json()["count"] == 1
    login(client, world.outsider)  # street B: its own street's visit only
    assert [v["id"] for v in client.get("/api/visits/visits").json()["items"]] == [theirs.pk]


@pytest.mark.parametrize("change, status", [
    ({"summary": "有\x00字"}, 422),
    ({"problems": [{"description": "\x00"}]}, 422),
    ({"subject_id": 2**70}, 422),
    ({"subject_id": 2**62}, 404),
    ({"member_ids": [2**62]}, 400),
    ({"topic_id": 2**62}, 400),
    ({"follow_ups": [{"case_id": 2**62, "satisfaction": "satisfied"}]}, 400),
    ({"client_id": "not-a-uuid"}, 422),
    ({"method": "mail"}, 422),
    ({"summary": "   "}, 422),
    ({"visited_on": "2030-01-01"}, 400),
    ({"visited_on": "2025-01-01"}, 400),
    ({"problems": [{"description": "x"}] * 21}, 422),
])
def test_bad_input_is_refused_cleanly_and_changes_nothing(client, world, field, change, status):
    login(client, field.recorder)
    r = post(client, body(field, **change))
    assert r.status_code == status, r.content
    assert r.json()["message"] and not Visit.objects.exists() and not Case.objects.exists()


def test_bad_keys_in_paths_answer_not_found_or_invalid(client, world, field):
    login(client, field.recorder)
    assert client.get("/api/visits/subjects/99999999999999999999999").status_code == 422
    assert client.get("/visits/subjects/99999999999999999999999/").status_code == 404
    assert client.get("/visits/teams/99999999999999999999999/list/").status_code == 404
    assert client.get(f"/visits/subjects/{field.s_a1.pk}/?x=%00").status_code == 400
    r = client.post(f"/visits/subjects/{field.s_a1.pk}/", {"client_id": str(uuid.uuid4()), "visited_on": "2026-11-30",
                                                           "method": "door", "summary": "有\x00字",
                                                           "satisfaction": "satisfied"})
    assert r.status_code == 400 and not Visit.objects.exists()


def test_the_service_refuses_an_unknown_authority_and_the_api_cannot_pass_one(client, world, field):
    with pytest.raises(ValueError):
        s.case_register(actor=field.recorder, channel=Channel.VISIT, household_id=field.h_a1.pk, description="x",
                        authorised_by="anyone")
    login(client, field.recorder)  # a party organisation: no territory; the body's authorised_by is ignored
    r = client.post("/api/cases/register", {"channel": "visit", "description": "x", "authorised_by": "visits",
                                            "place_code": world.comm_a1.code}, content_type="application/json")
    assert r.status_code == 404 and not Case.objects.exists()


def test_the_subject_page_reads_a_bounded_number_of_queries(client, world, field, record,
                                                          django_assert_max_num_queries):
    for i in range(6):
        record(client_id=uuid.uuid4(), problems=[{"description": f"问题{i}"}], follow_ups=[])
    login(client, field.recorder)
    client.get(f"/visits/subjects/{field.s_a1.pk}/")
    with django_assert_max_num_queries(25):
        assert client.get(f"/visits/subjects/{field.s_a1.pk}/").status_code == 200


def test_the_visit_list_reads_a_constant_number_of_queries(client, world, field, record):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, world.district_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/visits/visits").status_code == 200
        return len(ctx.captured_queries)

    record(problems=[{"description": "问题"}])
    few = count()
    for _i in range(8):
        record(problems=[{"description": "问题甲"}, {"description": "问题乙"}])
    assert count() == few
