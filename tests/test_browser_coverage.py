"""The visits coverage page in Chromium: both charts drawn by the static script (nothing blocked by the CSP, no
page error), the map drilled by a click on a street, and nothing wider than a 390 px phone. Screenshots under
var/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from civicloop.places.models import Place
from civicloop.testing import PASSWORD
from civicloop.visits.tests.test_coverage import build_coverage_world

pytestmark = pytest.mark.browser


def test_coverage_charts_and_phone_width(transactional_db, live_server, world, browser_page):
    cw = build_coverage_world(world)
    Place.objects.filter(pk=world.street_a.pk).update(lat=31.19, lng=121.44)
    Place.objects.filter(pk=world.street_b.pk).update(lat=31.16, lng=121.42)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.district_admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/visits/campaigns/{cw.campaign.pk}/coverage/")
    expect(page.locator("#progress-chart canvas")).to_have_count(1)
    expect(page.locator("#coverage-map canvas")).to_have_count(1)
    expect(page.locator("#unvisited-count")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "coverage-390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(shots / "coverage-1366.png"), full_page=True)
    # the street table drills to the street's communities
    page.click(f"#by-area tr[data-area='{world.street_a.pk}'] a")
    expect(page.locator("#unvisited-count")).to_have_text("1")
    expect(page.locator("#by-area")).to_contain_text(world.comm_a1.name)
