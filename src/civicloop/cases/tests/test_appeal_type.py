"""Appeal type (诉求类型): set at registration by every way in, shown, and a filter of lists, the inbox and the API."""

import pytest

from civicloop.cases import services as s
from civicloop.cases.constants import AppealType, Channel
from civicloop.cases.models import Case
from civicloop.cases.selectors import case_list_for
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.testing import PASSWORD


def test_registration_takes_the_type_and_defaults_to_help(world, flow):
    assert flow.register().appeal_type == AppealType.HELP
    assert flow.register(appeal_type=AppealType.CONSULTATION).appeal_type == AppealType.CONSULTATION
    with pytest.raises(CivicError) as exc:
        flow.register(appeal_type="gossip")
    assert exc.value.code == ErrorCode.INVALID


def test_batch_registration_takes_the_type(world, cats):
    out = s.case_register_batch(actor=world.street_dispatcher, items=[
        {"channel": Channel.HOTLINE_12345, "description": "咨询办证", "appeal_type": AppealType.CONSULTATION,
         "place_id": world.comm_a1.pk, "external_id": "W1"},
        {"channel": Channel.HOTLINE_12345, "description": "投诉噪音", "appeal_type": "nonsense",
         "place_id": world.comm_a1.pk, "external_id": "W2"},
    ])
    assert out[0].case.appeal_type == AppealType.CONSULTATION
    assert out[1].error is not None and out[1].case is None


def test_lists_filter_by_type(world, flow):
    question = flow.register(appeal_type=AppealType.CONSULTATION)
    complaint = flow.register(appeal_type=AppealType.COMPLAINT)
    found = set(case_list_for(world.street_dispatcher, {"appeal_type": AppealType.CONSULTATION}).values_list("pk", flat=True))
    assert found == {question.pk}
    assert complaint.pk in case_list_for(world.street_dispatcher).values_list("pk", flat=True)


def test_api_register_filter_and_row(client, world, cats):
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    r = client.post("/api/cases/register", {"channel": "hotline_12345", "description": "表扬居委",
                                            "appeal_type": "praise"}, content_type="application/json")
    assert r.status_code == 201, r.content
    client.post("/api/cases/register", {"channel": "hotline_12345", "description": "路灯坏了"},
                content_type="application/json")
    items = client.get("/api/cases/", {"appeal_type": "praise"}).json()["items"]
    assert [i["appeal_type"] for i in items] == ["praise"]
    assert client.get("/api/cases/", {"appeal_type": "bogus"}).status_code in (400, 422)
    assert Case.objects.filter(appeal_type=AppealType.HELP).count() == 1


def test_pages_show_and_filter_the_type(client, world, flow):
    question = flow.register(appeal_type=AppealType.CONSULTATION, description="咨询垃圾分类时间")
    flow.register(appeal_type=AppealType.COMPLAINT, description="投诉夜间施工")
    assert client.login(username=world.street_dispatcher.username, password=PASSWORD)
    page = client.get("/cases/", {"appeal_type": "consultation"}, HTTP_HX_TARGET="case-list").content.decode()
    assert "咨询垃圾分类时间" in page and "投诉夜间施工" not in page
    detail = client.get(f"/cases/{question.tracking_code}/").content.decode()
    assert 'id="appeal-type">咨询<' in detail
