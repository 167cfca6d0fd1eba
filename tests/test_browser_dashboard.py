"""The dashboard overview in a real Chromium, as the district leader: every chart and the map drawn from the
documented endpoints' answers embedded in the page (no second request computes them again), canvases with pixels
on them, nothing blocked by the CSP, no console error; every street point inside the drawn district outline
(ECharts' own hit test), a street's bar in the ranking and its point on the map each open the list behind them with
the figure's count, and at 390 px the KPI cards one a row, nothing wider than the screen. Screenshots under
var/screenshots/ (dashboard-*.png)."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from civicloop.cases.models import Category
from civicloop.cases.services import categories_ensure_defaults
from civicloop.dashboard.services import rollups_refresh
from civicloop.dashboard.tests.conftest import Clock, run_first_half, run_second_half
from civicloop.demo.fixtures import DATA_DIR
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place
from civicloop.places.services import place_create
from civicloop.testing import PASSWORD
from civicloop.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.browser

CHARTS = ("trend-chart", "map-chart", "streets-chart", "departments-chart", "categories-chart", "disputes-chart")
# how many pixels of a chart's canvas are painted (not transparent)
PAINTED = """id => { const c = document.querySelector('#' + id + ' canvas'); if (!c) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
# every point of the map's series: its name, and whether ECharts finds its pixel inside the district's outline
POINTS_INSIDE = """() => { const chart = echarts.getInstanceByDom(document.getElementById('map-chart'));
  const data = chart.getOption().series.flatMap(s => s.data);
  const outside = chart.containPixel({geoIndex: 0}, chart.convertToPixel({geoIndex: 0}, [121.4737, 31.2304]));
  return {outside, points: data.map(p => [p.name, chart.containPixel({geoIndex: 0},
                                                      chart.convertToPixel({geoIndex: 0}, p.value.slice(0, 2)))])}; }"""
# the pixel (in the page) of a chart element: a bar by its category name, or a map point by its name
BAR_AT = """([id, name]) => { const box = document.getElementById(id), chart = echarts.getInstanceByDom(box);
  const option = chart.getOption(), names = option.yAxis[0].data, i = names.indexOf(name);
  const bar = option.series[0].data[i], r = box.getBoundingClientRect();
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [bar.value / 2, i]);
  return {x: r.left + x, y: r.top + y, value: bar.value}; }"""
POINT_AT = """([id, name]) => { const box = document.getElementById(id), chart = echarts.getInstanceByDom(box);
  const p = chart.getOption().series.flatMap(s => s.data).find(d => d.name === name);
  const r = box.getBoundingClientRect();
  const [x, y] = chart.convertToPixel({geoIndex: 0}, p.value.slice(0, 2));
  return {x: r.left + x, y: r.top + y, open: p.open}; }"""


def _shot(page, name: str) -> None:
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"dashboard-{name}.png"), full_page=True)


def _data_set(world, monkeypatch) -> str:
    """The dashboard tests' data set (cases through the whole loop) in the week before today — the session's
    cookie and the 30-day trend follow the real clock —, its rollups refreshed; Xuhui's 13 streets at their kept
    centres besides the test world's two."""
    real_now = timezone.now
    today = real_now().astimezone(SHANGHAI).date()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    clock = Clock(dt.datetime.combine(monday, dt.time(9), tzinfo=SHANGHAI))
    monkeypatch.setattr(timezone, "now", clock)
    categories_ensure_defaults()
    cats = {c.code: c for c in Category.objects.all()}
    n = run_first_half(world, cats, clock)
    rollups_refresh(now=clock.t)
    run_second_half(world, cats, clock, n)
    monkeypatch.setattr(timezone, "now", real_now)
    rollups_refresh()
    Place.objects.filter(pk=world.street_a.pk).update(lat=31.185, lng=121.430)
    Place.objects.filter(pk=world.street_b.pk).update(lat=31.160, lng=121.445)
    kept = json.loads((DATA_DIR / "xuhui_street_centres.json").read_text(encoding="utf-8"))["centres"]
    names = {s["code"]: s["name"] for s in json.loads((DATA_DIR / "xuhui_divisions.json").read_text(
        encoding="utf-8"))["streets"]}
    for code, (lat, lng) in kept.items():
        place_create(code=code, name=names[code], level=PlaceLevel.STREET, parent=world.district, lat=lat, lng=lng)
    return f"?start={monday.isoformat()}&end={today.isoformat()}"  # the period: the data set's week up to today


def test_the_leader_reads_the_district_at_a_glance(transactional_db, live_server, world, browser_page, monkeypatch):
    period = _data_set(world, monkeypatch)
    page, base = browser_page, live_server.url
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    asked = []  # the endpoints the page's script calls: none — their answers come embedded in the page
    page.on("request", lambda r: "/api/dashboard/" in r.url and asked.append(r.url))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/login/")
    page.fill("#id_username", world.leader.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    # every chart drawn, the map with all 15 streets, each inside the outline ECharts draws
    page.goto(f"{base}/dashboard/{period}")
    for chart in CHARTS:
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    page.wait_for_function(f"() => {{ const f = {PAINTED}; return {json.dumps(CHARTS)}.every(id => f(id) > 500); }}")
    inside = page.evaluate(POINTS_INSIDE)
    assert inside["outside"] is False  # People's Square is not in Xuhui: the hit test can say no
    assert len(inside["points"]) == 15 and all(ok for _name, ok in inside["points"]), inside
    _shot(page, "1366")

    # rank the streets by intake (the select submits the form); the street's bar opens its cases, same count
    page.select_option("#rank", "intake")
    expect(page.locator("#streets caption")).to_have_text("街道排名（受理量）")
    expect(page.locator("#streets-chart canvas")).to_have_count(1)
    table_figure = page.locator(f"#streets tr[data-street='{world.street_a.pk}'] td").first.inner_text()
    page.locator("#streets-chart").scroll_into_view_if_needed()
    bar = page.evaluate(BAR_AT, ["streets-chart", world.street_a.name])
    assert str(bar["value"]) == table_figure and bar["value"] > 0
    page.mouse.click(bar["x"], bar["y"])
    expect(page).to_have_url(re.compile(rf"/dashboard/cases/\?kpi=intake&.*street={world.street_a.pk}"))
    expect(page.locator("#drill-count")).to_have_text(str(bar["value"]))
    _shot(page, "1366-street-cases")

    # the street's point on the map opens its open cases, as many as the point's size says
    page.go_back()
    expect(page.locator("#map-chart canvas")).to_have_count(1)
    page.wait_for_function(f"() => ({PAINTED})('map-chart') > 500")
    page.locator("#map-chart").scroll_into_view_if_needed()
    point = page.evaluate(POINT_AT, ["map-chart", world.street_a.name])
    assert point["open"] > 0
    page.mouse.click(point["x"], point["y"])
    expect(page).to_have_url(re.compile(rf"/dashboard/cases/\?kpi=open&.*street={world.street_a.pk}"))
    expect(page.locator("#drill-count")).to_have_text(str(point["open"]))

    # a phone: the KPI cards one a row, full width, readable; the charts stacked; nothing wider than the screen
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/dashboard/{period}")
    for chart in CHARTS:
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    page.wait_for_function(f"() => {{ const f = {PAINTED}; return {json.dumps(CHARTS)}.every(id => f(id) > 500); }}")
    cards = page.locator("#kpis > .col")
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert len(boxes) == 12 and all(b["width"] > 330 and b["x"] == boxes[0]["x"] for b in boxes)
    assert all(b2["y"] >= b1["y"] + b1["height"] for b1, b2 in zip(boxes, boxes[1:], strict=False))
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#kpis a[data-figure]')).fontSize)")
    assert font >= 20
    charts = [page.locator(f"#{c}").bounding_box() for c in CHARTS]
    assert all(c["width"] > 330 for c in charts)  # each chart the screen's width, one under another
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "390")
    assert not errors, errors
    assert not asked, asked  # the figures were computed once per page view, not again by the charts
