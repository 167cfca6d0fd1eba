"""The pages: the overview's cards and tables link every figure to its list, which has the figure's count."""

from __future__ import annotations

import re

from django.urls import reverse


def test_the_overview_links_each_figure_to_its_cases(client, loop, django_assert_max_num_queries):
    client.force_login(loop.world.leader)
    client.get(reverse("dashboard:overview"))
    with django_assert_max_num_queries(30):
        html = client.get(reverse("dashboard:overview")).content.decode()
    assert 'id="kpis"' in html and "row-cols-1 row-cols-sm-2" in html  # one card a row on a phone
    assert "按时办结率" in html and "83.33%" in html  # 5 of 6 resolved on time
    assert '<caption class="caption-top">街道排名（按时办结率）</caption>' in html and 'scope="col"' in html
    assert f'href="{reverse("dashboard:report")}" id="weekly-report"' in html  # the weekly report from here
    links = re.findall(r'href="(/dashboard/cases/\?[^"]+)"', html)
    assert len(links) > 100
    on_time = re.search(r'data-kpi="on_time_rate".*?href="(/dashboard/cases/\?[^"]+)"', html, re.S).group(1)
    page = client.get(on_time.replace("&amp;", "&")).content.decode()
    assert re.search(r'id="drill-count">5<', page) and page.count('href="/cases/XH') >= 5


def test_the_list_behind_a_figure_pages_with_its_filters(client, loop):
    client.force_login(loop.world.leader)
    html = client.get(reverse("dashboard:cases") + "?kpi=intake&start=2026-03-01&end=2026-03-09").content.decode()
    assert 'id="drill-count">12<' in html and "受理量" in html
    assert "13912345678" not in html  # numbers typed into the description are masked in the list


def test_navigation_offers_the_dashboard_to_those_who_may_read_it(client, loop):
    client.force_login(loop.world.leader)
    assert 'href="/dashboard/"' in client.get("/").content.decode()
    client.force_login(loop.world.nobody)
    assert 'href="/dashboard/"' not in client.get("/").content.decode()
    assert client.get(reverse("dashboard:overview")).status_code == 403


def test_bad_input_on_the_page_is_a_message_not_an_error(client, loop):
    client.force_login(loop.world.leader)
    response = client.get(reverse("dashboard:overview") + "?start=2026-03-09&end=2026-03-01")
    assert response.status_code == 400 and "统计期间无效" in response.content.decode()
    response = client.get(reverse("dashboard:cases") + "?kpi=nothing")
    assert response.status_code == 400 and "指标" in response.content.decode()
