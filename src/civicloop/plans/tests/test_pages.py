"""The pages: board, Gantt, task page (report with evidence), my tasks, letters; bounded queries; actions offered
only when the service allows them."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from civicloop.files.models import Attachment
from civicloop.plans.models import ProgressReport

pytestmark = pytest.mark.django_db


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    out.seek(0)
    out.name = "evidence.png"
    return out


def test_board_gantt_and_lists_have_bounded_queries(world, plan_world, client, django_assert_max_num_queries):
    client.force_login(world.district_admin)
    with django_assert_max_num_queries(20):
        body = client.get(reverse("plans:plan", args=[plan_world.plan.pk])).content.decode()
    assert world.street_a_office.name in body and "添加任务" in body
    with django_assert_max_num_queries(15):
        body = client.get(reverse("plans:gantt", args=[plan_world.plan.pk])).content.decode()
    assert "甲一" in body and "plans-gantt-bar" in body
    with django_assert_max_num_queries(20):
        assert "2026年文明城区创建计划" in client.get(reverse("plans:plans")).content.decode()
    client.force_login(world.street_dispatcher)
    with django_assert_max_num_queries(15):
        body = client.get(reverse("plans:mine")).content.decode()
    assert "甲一" in body and "街道乙整治" not in body
    body = client.get(reverse("plans:plan", args=[plan_world.plan.pk])).content.decode()
    assert "添加任务" not in body  # the service would refuse it


def test_the_owner_reports_with_evidence_and_the_co_unit_is_not_offered_the_form(world, plan_world, client):
    client.force_login(world.street_dispatcher)
    page = client.get(reverse("plans:task", args=[plan_world.a1.pk])).content.decode()
    assert "报告进展" in page
    response = client.post(reverse("plans:task", args=[plan_world.a1.pk]),
                           {"action": "report", "percent": "60", "text": "完成两处", "evidence": [png()]})
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=plan_world.a1)
    evidence = Attachment.objects.get(owner_kind="plans.report", owner_id=report.pk)
    page = client.get(reverse("plans:task", args=[plan_world.a1.pk])).content.decode()
    assert "完成两处" in page and evidence.key in page
    assert client.get(reverse("files:file", args=[evidence.key])).status_code == 200
    client.force_login(world.outsider)
    assert client.get(reverse("files:file", args=[evidence.key])).status_code == 404
    client.force_login(world.dept_handler)
    page = client.get(reverse("plans:task", args=[plan_world.b.pk])).content.decode()
    assert "报告进展" not in page


def test_a_bad_report_form_changes_nothing(world, plan_world, client):
    client.force_login(world.street_dispatcher)
    response = client.post(reverse("plans:task", args=[plan_world.a1.pk]),
                           {"action": "report", "percent": "101", "text": "太多"})
    assert response.status_code == 400 and "进度" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_letters_pages(world, plan_world, client, django_assert_max_num_queries):
    from civicloop.plans.services import letter_generate

    v = letter_generate(actor=world.district_admin, unit_id=world.street_a_office.pk, year=2026, kind="tasks")
    client.force_login(world.street_dispatcher)
    with django_assert_max_num_queries(15):
        body = client.get(reverse("plans:letters")).content.decode()
    assert "待签收" in body
    body = client.get(reverse("plans:letter", args=[v.letter_id])).content.decode()
    assert "签收第 1 版" in body and "甲一" in body
    response = client.post(reverse("plans:letter", args=[v.letter_id]), {"number": "1"})
    assert response.status_code == 302
    body = client.get(reverse("plans:letter", args=[v.letter_id])).content.decode()
    assert "签收第 1 版" not in body and "已于" in body


def test_home_panel_lists_the_units_late_tasks_and_letters_to_acknowledge(world, plan_world, client):
    import datetime as dt

    from civicloop.plans.services import letter_generate
    from civicloop.plans.testing import make_task

    make_task(world, plan_world.plan, title="早已逾期", owner=world.street_a_office, start=dt.date(2020, 1, 1),
              due=dt.date(2020, 2, 1))
    letter_generate(actor=world.district_admin, unit_id=world.street_a_office.pk, year=2026, kind="tasks")
    client.force_login(world.street_dispatcher)
    body = client.get("/").content.decode()
    assert "早已逾期" in body and "份三书待签收" in body
    client.force_login(world.outsider)
    assert "早已逾期" not in client.get("/").content.decode()
