"""直接答复办结: a consultation answered on the spot is replied without dispatch, then rated and closed as any other."""

import pytest

from civicloop.cases import services as s
from civicloop.cases.constants import Action, AppealType, CaseState, Satisfaction
from civicloop.cases.error_codes import CaseErrorCode
from civicloop.cases.models import Reply
from civicloop.cases.selectors import case_available_actions, case_detail
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.testing import PASSWORD


def refused(code, **kw):
    with pytest.raises(CivicError) as exc:
        s.case_answer(**kw, channel="phone", content="答复")
    assert exc.value.code == code


def test_a_consultation_is_answered_rated_and_closed(world, flow):
    case = flow.register(appeal_type=AppealType.CONSULTATION, description="咨询垃圾分类投放时间")
    assert Action.ANSWER in case_available_actions(world.committee_worker, case)
    s.case_answer(actor=world.committee_worker, case_id=case.pk, channel="phone", content="每天7-9点定时投放。")
    case.refresh_from_db()
    assert case.state == CaseState.REPLIED and case.dispatched_at is None and case.lead_unit_id is None
    assert case.resolved_at == case.replied_at
    reply = Reply.objects.get(case=case)
    assert (reply.channel, reply.content, reply.by) == ("phone", "每天7-9点定时投放。", world.committee_worker)
    # it waits for its rating, like a replied case; 不满意 sends it to handling (reopened, then dispatched)
    assert Action.RATE in case_available_actions(world.street_dispatcher, case)
    s.case_rate(actor=world.street_dispatcher, case_id=case.pk, value=Satisfaction.UNSATISFIED)
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED
    assert Action.DISPATCH in case_available_actions(world.street_dispatcher, case)
    timeline = case_detail(world.street_dispatcher, case.pk)["timeline"]
    line = next(e for e in timeline if e["action"] == Action.ANSWER)
    assert "当场答复" in str(line["summary"]) and line["note"] == "每天7-9点定时投放。"


def test_only_a_consultation_not_yet_dispatched_by_who_covers_it(world, flow, cats):
    help_case = flow.register()
    refused(CaseErrorCode.NOT_A_CONSULTATION, actor=world.street_dispatcher, case_id=help_case.pk)
    question = flow.register(appeal_type=AppealType.CONSULTATION)
    refused(ErrorCode.NOT_FOUND, actor=world.outsider, case_id=question.pk)
    refused(ErrorCode.FORBIDDEN, actor=world.leader, case_id=question.pk)  # sees it, registers nothing
    s.case_triage(actor=world.street_dispatcher, case_id=question.pk, category_id=cats["0201"].pk)
    s.case_dispatch(actor=world.street_dispatcher, case_id=question.pk, lead_unit_id=world.housing.pk)
    refused(CaseErrorCode.TRANSITION_NOT_ALLOWED, actor=world.street_dispatcher, case_id=question.pk)
    s.case_return(actor=world.dept_handler, case_id=question.pk, reason="非本单位职责")
    s.case_triage(actor=world.street_dispatcher, case_id=question.pk, category_id=cats["0201"].pk)
    question.refresh_from_db()
    assert question.state == CaseState.TRIAGED  # in the table's state again, but it was dispatched once
    assert Action.ANSWER not in case_available_actions(world.street_dispatcher, question)
    refused(CaseErrorCode.NOT_A_CONSULTATION, actor=world.street_dispatcher, case_id=question.pk)
    assert not Reply.objects.exists()


def test_the_page_offers_it_only_when_allowed_and_takes_it(client, world, flow):
    question = flow.register(appeal_type=AppealType.CONSULTATION)
    other = flow.register()
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    assert "/act/answer/" not in client.get(f"/cases/{other.tracking_code}/").content.decode()
    page = client.get(f"/cases/{question.tracking_code}/").content.decode()
    assert f"/cases/{question.pk}/act/answer/" in page
    r = client.post(f"/cases/{question.pk}/act/answer/", {"expected_version": question.version, "channel": "phone",
                                                           "content": "已电话告知办理流程。"})
    assert r.status_code in (200, 302, 204), r.content
    question.refresh_from_db()
    assert question.state == CaseState.REPLIED


def test_the_api_answers(client, world, flow):
    question = flow.register(appeal_type=AppealType.CONSULTATION)
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    r = client.post(f"/api/cases/{question.pk}/answer", {"expected_version": question.version, "channel": "sms",
                                                          "content": "已短信告知。"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "replied"
    assert "rate" in client.get(f"/api/cases/{question.pk}").json()["allowed_actions"]
