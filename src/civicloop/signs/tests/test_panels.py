"""The signs app's panels: open alarms by street on the dashboard overview, and the home page's count by severity with
the newest alarms — each as the viewer sees them, in a bounded number of statements, and live (the overview's kept
figures do not hold them)."""

import datetime as dt
import re

import pytest
from django.test import RequestFactory

from civicloop.signs import dashboard, home
from civicloop.signs.models import Alarm
from civicloop.signs.services.alarms import evaluate_devices
from civicloop.signs.services.ingest import readings_ingest
from civicloop.testing import PASSWORD

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def trapped(world, code):
    readings_ingest(district_id=world.district.pk, now=NOW, evaluate=False, items=[
        {"device": code, "metric": "elevator_trapped", "at": NOW - dt.timedelta(minutes=m), "value": float(m == 0)}
        for m in range(3)])


@pytest.fixture
def alarmed(world, signs):
    """Street A: an alarm (trapped passenger) and a warning (five faults in an hour) on EL-A1; street B: an alarm."""
    trapped(world, "EL-A1")
    trapped(world, "EL-B1")
    readings_ingest(district_id=world.district.pk, now=NOW, evaluate=False, items=[
        {"device": "EL-A1", "metric": "elevator_fault", "at": NOW - dt.timedelta(minutes=5 * i), "value": 3.0}
        for i in range(5)])
    evaluate_devices([signs.elevator.pk, signs.elevator_b.pk], now=NOW)
    assert sorted(Alarm.objects.values_list("street__name", "severity")) == sorted([
        (world.street_a.name, 2), (world.street_a.name, 1), (world.street_b.name, 2)])


def street_rows(html):
    """{street name: (alarm, warn, unacknowledged)} of the dashboard panel's table."""
    panel = html.split('id="signs-alarms"')[1].split("</section>")[0]
    rows = re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]+)(?:</a>)?</th>\s*<td[^>]*>(\d+)</td>\s*'
                      r'<td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>', panel)
    return {name: tuple(int(n) for n in counts) for name, *counts in rows}


@pytest.mark.django_db
def test_the_overview_shows_open_alarms_by_street_in_the_viewers_scope(client, world, signs, alarmed):
    login(client, world.leader)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert street_rows(page.content.decode()) == {world.street_a.name: (1, 1, 2), world.street_b.name: (1, 0, 1)}
    # the overview's street filter narrows the panel too
    page = client.get(f"/dashboard/?street={world.street_b.pk}")
    assert street_rows(page.content.decode()) == {world.street_b.name: (1, 0, 1)}
    login(client, world.street_dispatcher)
    assert street_rows(client.get("/dashboard/").content.decode()) == {world.street_a.name: (1, 1, 2)}
    # a department sees no territory's alarms: no panel
    login(client, world.dept_handler)
    assert 'id="signs-alarms"' not in client.get("/dashboard/").content.decode()


@pytest.mark.django_db
def test_the_panel_is_live_while_the_overviews_figures_are_kept(client, world, signs, alarmed):
    login(client, world.leader)
    assert street_rows(client.get("/dashboard/").content.decode())[world.street_b.name] == (1, 0, 1)
    # an acknowledgement and a cleared alarm change no rollup (no new version): the panel still follows them
    alarm_b = Alarm.objects.get(device=signs.elevator_b)
    login(client, world.outsider)  # street B's dispatcher
    assert client.post(f"/signs/alarms/{alarm_b.pk}/acknowledge/").status_code == 302
    login(client, world.leader)
    assert street_rows(client.get("/dashboard/").content.decode())[world.street_b.name] == (1, 0, 0)
    Alarm.objects.filter(pk=alarm_b.pk).update(cleared_at=NOW)
    assert world.street_b.name not in street_rows(client.get("/dashboard/").content.decode())


@pytest.mark.django_db
def test_the_dashboard_panel_reads_one_grouped_statement(world, signs, alarmed, django_assert_max_num_queries):
    request = RequestFactory().get("/dashboard/")
    request.user = world.leader
    dashboard.panel(request)  # the viewer's scope, read once per request elsewhere
    with django_assert_max_num_queries(1):
        html = dashboard.panel(request)
    assert world.street_a.name in html


@pytest.mark.django_db
def test_home_panel_counts_by_severity_and_lists_the_newest(client, world, signs, alarmed,
                                                            django_assert_max_num_queries):
    login(client, world.street_dispatcher)
    with django_assert_max_num_queries(40):
        page = client.get("/")
    html = page.content.decode()
    panel = html.split('id="signs-home"')[1].split("</div></div>")[0]
    assert "辖区有 2 条未解除告警" in panel
    assert "报警 1" in panel and "预警 1" in panel and "2 条未确认" in panel
    assert "EL-B1" not in html and signs.elevator.name in panel and 'href="/signs/"' in panel
    # street B's dispatcher: street B's one alarm only
    login(client, world.outsider)
    panel = client.get("/").content.decode().split('id="signs-home"')[1].split("</div></div>")[0]
    assert "辖区有 1 条未解除告警" in panel and "预警 0" in panel and signs.elevator_b.name in panel


@pytest.mark.django_db
def test_no_home_panel_without_open_alarms_in_scope(client, world, signs, alarmed, django_assert_max_num_queries):
    login(client, world.dept_handler)  # no territory
    assert 'id="signs-home"' not in client.get("/").content.decode()
    Alarm.objects.filter(street=world.street_a).update(cleared_at=NOW)
    login(client, world.committee_worker)
    assert 'id="signs-home"' not in client.get("/").content.decode()
    request = RequestFactory().get("/")
    request.user = world.committee_worker
    home.panel(request)
    with django_assert_max_num_queries(1):  # nothing open: the count only
        assert home.panel(request) is None
