"""The home page shows the person's work through the cases app's panel (core.registry `home_panels`), and the
notifications say who acted and link to the case."""

import re

from django.utils import timezone

from civicloop.cases.models import Case
from civicloop.testing import PASSWORD


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def test_handler_home_shows_sections_with_red_and_unread(client, world, flow, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched()
    Case.objects.filter(pk=case.pk).update(deadline=timezone.now() - timezone.timedelta(days=1))  # overdue
    login(client, world.dept_handler)
    html = client.get("/").content.decode()
    section = re.search(r'data-section="to_accept".*?</li>', html, re.S).group(0)
    assert "待签收" in section and 'data-red' in section and ">1<" in section
    assert re.search(r'data-unread>(\d+)<', html).group(1) == "1"
    assert case.tracking_code in client.get("/cases/notifications/").content.decode()
    assert 'id="district-counts"' not in html


def test_leader_home_shows_district_counts(client, world, flow):
    flow.dispatched()
    red = flow.dispatched()
    Case.objects.filter(pk=red.pk).update(deadline=timezone.now() - timezone.timedelta(days=1))
    login(client, world.leader)
    html = client.get("/").content.decode()
    counts = dict(re.findall(r'data-count="(open|red|yellow)">(\d+)<', html))
    assert counts == {"open": "2", "red": "1", "yellow": "0"}


def test_outsider_home_has_no_cases_of_others(client, world, flow):
    case = flow.dispatched()
    login(client, world.outsider)
    html = client.get("/").content.decode()
    assert case.tracking_code not in html and 'data-section="to_accept"' not in html


def test_notification_names_the_actor_and_links_the_case(client, world, flow, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.dispatched()
    login(client, world.dept_handler)
    html = client.get("/cases/notifications/").content.decode()
    assert f'href="/cases/{case.tracking_code}/" data-case-link' in html
    actor = world.street_dispatcher
    assert str(actor) in re.search(r"data-actor>(.*?)</span>", html, re.S).group(1)
    item = client.get("/api/cases/notifications").json()["items"][0]
    assert item["actor"] == str(actor) and item["case_tracking_code"] == case.tracking_code
    assert item["actor_unit"] == (actor.unit.name if actor.unit_id else None)


def test_home_opens_for_every_persona_in_bounded_queries(client, world, flow, django_assert_max_num_queries):
    for _n in range(3):
        flow.dispatched()
    people = [u for u in vars(world).values() if hasattr(u, "username")]
    assert len(people) >= 8
    for user in people:
        client.force_login(user)
        # (12 until the plans app added its panel: the units under the viewer's, open tasks, letters to acknowledge,
        # the streets a leader is linked to; 16 until the vital signs' alarms (1–2) and a committee's volunteers
        # panel (1–2); each app's panel keeps to a fixed few whatever the size)
        with django_assert_max_num_queries(19):
            response = client.get("/")
        assert response.status_code == 200, user.username
        assert 'id="home-cases"' in response.content.decode()
