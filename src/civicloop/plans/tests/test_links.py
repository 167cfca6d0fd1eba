"""Tasks linked to cases and adopted suggestions, checked and shown through the cases app's selectors."""

import pytest
from django.urls import reverse

from civicloop.cases import services as cases
from civicloop.cases.constants import AppealType, Channel
from civicloop.core.errors import CivicError
from civicloop.plans.constants import LinkKind
from civicloop.plans.models import TaskLink
from civicloop.plans.services import task_link

pytestmark = pytest.mark.django_db


def register(world, place, **extra):
    return cases.case_register(actor=world.district_admin, channel=Channel.HOTLINE_12345, place_id=place.pk,
                               description="建议在小区增设休息座椅", **extra)


def test_a_task_links_a_case_and_the_case_page_shows_the_task(world, plan_world, client):
    case = register(world, world.comm_a1)
    task_link(actor=world.district_admin, task_id=plan_world.a1.pk, kind=LinkKind.CASE, object_id=case.pk)
    task_link(actor=world.district_admin, task_id=plan_world.a1.pk, kind=LinkKind.CASE, object_id=case.pk)  # once
    assert TaskLink.objects.count() == 1
    client.force_login(world.street_dispatcher)
    assert case.tracking_code in client.get(reverse("plans:task", args=[plan_world.a1.pk])).content.decode()
    body = client.get(reverse("cases:case", args=[case.tracking_code])).content.decode()
    assert "关联的计划任务" in body and "甲一" in body


def test_a_suggestion_link_needs_a_suggestion_and_an_unknown_object_is_refused(world, plan_world):
    help_case = register(world, world.comm_a1)
    with pytest.raises(CivicError) as exc:
        task_link(actor=world.district_admin, task_id=plan_world.a1.pk, kind=LinkKind.SUGGESTION,
                  object_id=help_case.pk)
    assert exc.value.code == "link_invalid"
    suggestion = register(world, world.comm_a1, appeal_type=AppealType.SUGGESTION)
    task_link(actor=world.district_admin, task_id=plan_world.a1.pk, kind=LinkKind.SUGGESTION, object_id=suggestion.pk)
    for kind in (LinkKind.CASE, LinkKind.CONSULTATION):
        with pytest.raises(CivicError) as exc:
            task_link(actor=world.district_admin, task_id=plan_world.a1.pk, kind=kind, object_id=10**12)
        assert exc.value.code == "link_invalid"
    assert TaskLink.objects.count() == 1
