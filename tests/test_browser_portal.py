"""A resident reports a broken streetlight on a phone-sized browser (390 px) with a photo and a point on the map,
and gets a tracking code (issue 14). Screenshots under var/screenshots/ (not in git) to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from civicloop.cases.constants import Channel
from civicloop.cases.models import Case
from civicloop.cases.services import categories_ensure_defaults
from civicloop.files.models import Attachment
from civicloop.files.tests.conftest import jpeg_with_gps

pytestmark = pytest.mark.browser


def test_a_resident_reports_with_a_photo_and_a_map_point_at_phone_width(
        transactional_db, live_server, world, browser_page, tmp_path, settings):
    settings.CIVICLOOP_FILES_DIR = tmp_path / "files"
    categories_ensure_defaults()
    photo = tmp_path / "路灯.jpg"
    photo.write_bytes(jpeg_with_gps((800, 600)))
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/portal/")
    page.click("label:has-text('投诉')")
    page.fill("#id_description", "小区门口的路灯坏了，晚上一片漆黑。")
    from civicloop.portal.selectors import category_keywords

    word = "路灯" if category_keywords("0301") else "道路"  # plain words come with the Open311 catalogue
    page.fill("[data-filter-select='id_category_id']", word)
    visible = page.evaluate("""() => [...document.querySelectorAll('#id_category_id option')]
        .filter(o => !o.hidden && o.value).map(o => o.textContent)""")
    assert visible and all(word in v for v in visible)
    page.select_option("#id_category_id", label=visible[0])
    page.select_option("#id_street", label=world.street_a.name)
    expect(page.locator("#id_community option", has_text=world.comm_a1.name)).to_have_count(1)
    page.select_option("#id_community", label=world.comm_a1.name)
    expect(page.locator("#id_compound option", has_text="小区")).to_have_count(1)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 31.1885, "longitude": 121.4365})
    page.click("#use-location")
    expect(page.locator("#point-text")).to_contain_text("31.188500, 121.436500")  # "use my location"
    page.locator("#portal-map").scroll_into_view_if_needed()
    box = page.locator("#portal-map canvas").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the middle of the district
    expect(page.locator("#point-text")).not_to_contain_text("31.188500")  # the point tapped replaces it
    expect(page.locator("#point-text")).to_contain_text("已选位置 31.")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_phone", "13912345678")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the screen
    page.screenshot(path=str(shots / "portal-report-390.png"), full_page=True)
    page.click("#report-form button[type=submit]")
    expect(page.locator("#tracking-code")).to_be_visible()
    code = page.locator("#tracking-code").inner_text().strip()
    assert "/portal/reported/" in page.url and "1391234" not in page.url
    page.screenshot(path=str(shots / "portal-reported-390.png"), full_page=True)
    case = Case.objects.get(tracking_code=code)
    assert case.channel == Channel.PORTAL and case.lat is not None and case.community_id == world.comm_a1.pk
    assert case.category.name in visible[0] and case.appeal_type == "complaint"
    assert Attachment.objects.filter(owner_id=case.pk).count() == 1
    page.click("text=查看办理进度")
    expect(page.locator("#public-timeline")).to_contain_text("已受理您的诉求")
    page.fill("#id_proof", "5678")
    page.click("#proof-form button[type=submit]")
    expect(page.locator("#my-photos img")).to_have_count(1)
    # loaded (slow on a busy host); polled from here: wait_for_function's string predicate is evaluated in the page
    # with eval, which the Content-Security-Policy refuses whenever the first look does not already succeed
    for _ in range(600):
        if page.evaluate("document.querySelector('#my-photos img').complete"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('#my-photos img').naturalWidth") == 800
    page.screenshot(path=str(shots / "portal-status-390.png"), full_page=True)
