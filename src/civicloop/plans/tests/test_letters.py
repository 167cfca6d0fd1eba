"""三书: generated from the data (the letter shows the data it came from), acknowledged (who, when, audited), and
re-versioned when the data changes after acknowledgement."""

import datetime as dt

import pytest

from civicloop.core.errors import CivicError
from civicloop.core.models import AuditLog
from civicloop.plans.constants import LetterKind, PlansAudit
from civicloop.plans.models import LetterVersion, Target
from civicloop.plans.selectors import letter_view
from civicloop.plans.services import letter_acknowledge, letter_generate, target_set
from civicloop.plans.testing import make_task

pytestmark = pytest.mark.django_db


def tasks_letter(world):
    return letter_generate(actor=world.district_admin, unit_id=world.street_a_office.pk, year=2026,
                           kind=LetterKind.TASKS)


def task_titles(version):
    return [row[2] for row in version.content["sections"][0]["rows"]]


def test_the_task_letter_shows_the_tasks_the_unit_owns(world, plan_world):
    v1 = tasks_letter(world)
    assert v1.number == 1 and v1.content["unit"] == world.street_a_office.name
    assert task_titles(v1) == ["街道甲整治", "甲一"]  # by due date, then as added; the committee's task is its own
    assert v1.content["sections"][0]["rows"][0][3] == "2026-06-30"
    assert tasks_letter(world).pk == v1.pk  # nothing changed: no new version


def test_a_change_after_acknowledgement_makes_a_new_version_to_acknowledge(world, plan_world):
    v1 = tasks_letter(world)
    acked = letter_acknowledge(actor=world.street_dispatcher, letter_id=v1.letter_id, number=1)
    assert acked.acknowledged_by == world.street_dispatcher and acked.acknowledged_at is not None
    assert AuditLog.objects.filter(action=PlansAudit.LETTER_ACK, object_id=str(v1.letter_id)).count() == 1
    with pytest.raises(CivicError) as exc:
        letter_acknowledge(actor=world.street_dispatcher, letter_id=v1.letter_id, number=1)
    assert exc.value.code == "letter_acknowledged"

    make_task(world, plan_world.plan, title="新增任务", owner=world.street_a_office, due=dt.date(2026, 9, 1))
    v2 = LetterVersion.objects.get(letter_id=v1.letter_id, number=2)
    assert v2.acknowledged_at is None and "新增任务" in task_titles(v2)
    v1.refresh_from_db()
    assert "新增任务" not in task_titles(v1) and v1.acknowledged_at is not None  # the snapshot stays as signed
    with pytest.raises(CivicError) as exc:
        letter_acknowledge(actor=world.street_dispatcher, letter_id=v1.letter_id, number=1)
    assert exc.value.code == "letter_stale"
    assert letter_acknowledge(actor=world.street_dispatcher, letter_id=v1.letter_id, number=2).acknowledged_at


def test_a_task_of_another_unit_makes_no_version(world, plan_world):
    v1 = tasks_letter(world)
    make_task(world, plan_world.plan, title="乙的新任务", owner=world.street_b_office)
    assert LetterVersion.objects.filter(letter_id=v1.letter_id).count() == 1


def test_data_changed_outside_the_services_is_caught_at_acknowledgement(world, plan_world):
    target_set(actor=world.district_admin, unit_id=world.street_a_office.pk, year=2026,
               targets=[{"title": "旧小区改造", "measure": "3 处"}, {"title": "旧厂房更新", "measure": "1 处"}])
    v1 = letter_generate(actor=world.district_admin, unit_id=world.street_a_office.pk, year=2026,
                         kind=LetterKind.RESPONSIBILITY)
    assert [r[1:3] for r in v1.content["sections"][0]["rows"]] == [["旧小区改造", "3 处"], ["旧厂房更新", "1 处"]]
    Target.objects.filter(title="旧厂房更新").delete()  # not through a service: the letter did not follow
    view = letter_view(world.street_dispatcher, v1.letter_id)
    assert view["stale"] and not view["may_acknowledge"] and view["may_refresh"]
    with pytest.raises(CivicError) as exc:
        letter_acknowledge(actor=world.street_dispatcher, letter_id=v1.letter_id, number=1)
    assert exc.value.code == "letter_stale"
    v2 = LetterVersion.objects.get(letter_id=v1.letter_id, number=2)  # kept although the acknowledgement was refused
    assert len(v2.content["sections"][0]["rows"]) == 1


def test_targets_follow_into_the_responsibility_letter(world, plan_world):
    v1 = letter_generate(actor=world.district_admin, unit_id=world.street_a_office.pk, year=2026,
                         kind=LetterKind.RESPONSIBILITY)
    assert v1.content["sections"][0]["rows"] == []
    target_set(actor=world.district_admin, unit_id=world.street_a_office.pk, year=2026,
               targets=[{"title": "文明指数", "measure": "90 分"}])
    assert LetterVersion.objects.filter(letter_id=v1.letter_id).count() == 2


def test_who_may_generate_and_acknowledge(world, plan_world):
    with pytest.raises(CivicError) as exc:
        letter_generate(actor=world.street_dispatcher, unit_id=world.street_a_office.pk, year=2026,
                        kind=LetterKind.TASKS)
    assert exc.value.code == "forbidden"
    v1 = tasks_letter(world)
    for other in (world.outsider, world.committee_worker, world.stranger):
        with pytest.raises(CivicError) as exc:
            letter_acknowledge(actor=other, letter_id=v1.letter_id, number=1)
        assert exc.value.code == "not_found"
    with pytest.raises(CivicError) as exc:  # sees the district's letters, is not the unit
        letter_acknowledge(actor=world.district_admin, letter_id=v1.letter_id, number=1)
    assert exc.value.code == "forbidden"


def test_the_pdf_prints_the_version(world, plan_world, client):
    from django.urls import reverse

    from civicloop.core.pdf import pdf_font

    try:
        pdf_font()
    except CivicError:
        pytest.skip("the CJK font is not installed")
    v1 = tasks_letter(world)
    client.force_login(world.street_dispatcher)
    response = client.get(reverse("plans:letter_pdf", args=[v1.letter_id, 1]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import pypdfium2

    text = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "甲一" in text and "任务书" in text
