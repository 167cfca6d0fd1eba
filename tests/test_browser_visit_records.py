"""A visit recorded on a phone (390 px, issue 12): the team's field list is a column of cards with nothing off the
screen, and the subject's record form — two problems, the second row added by htmx — registers two cases that the
street dispatcher finds in their inbox. Screenshots under var/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from civicloop.cases.inbox import inbox_for
from civicloop.places.models import Household
from civicloop.testing import PASSWORD
from civicloop.visits.models import Visit
from civicloop.visits.testing import make_campaign, make_party_org, make_subject, make_team

pytestmark = pytest.mark.browser


def test_a_visit_with_two_problems_recorded_at_phone_width(transactional_db, live_server, world, browser_page):
    campaign = make_campaign(world)
    team = make_team(campaign, make_party_org(world))
    recorder = team.members.get(recorder=True).user
    subject = make_subject(campaign, Household.objects.get(community=world.comm_a1), team)
    make_subject(campaign, Household.objects.get(community=world.comm_a2), team)
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", recorder.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/visits/")
    page.click(f"[data-team='{team.pk}'] a")
    row = page.locator(f"tr[data-subject='{subject.pk}']")
    expect(row).to_be_visible()
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "field-list-390.png"), full_page=True)

    row.locator("a").first.click()
    expect(page.locator("#record-form")).to_be_visible()
    page.fill("#visited_on", "2026-11-30")  # in the test campaign's period, whatever the day the test runs
    page.fill("#summary", "入户走访，老人身体尚可")
    page.locator("#problems textarea").nth(0).fill("楼道灯坏了两个月")
    page.click("text=添加问题")
    expect(page.locator("#problems textarea")).to_have_count(2)
    page.locator("#problems textarea").nth(1).fill("小区垃圾清运不及时")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "visit-form-390.png"), full_page=True)
    page.click("#record-form button[type=submit]")
    expect(page.locator("#messages")).to_contain_text("登记工单 2 件")
    visit = Visit.objects.get()
    case_ids = {p.case_id for p in visit.problems.all()}
    assert len(case_ids) == 2
    inbox = inbox_for(world.street_dispatcher)
    found = [r["id"] for section in inbox.values() if isinstance(section, dict) for r in section["cases"]
             if r["id"] in case_ids]
    assert sorted(found) == sorted(case_ids)
    page.screenshot(path=str(shots / "visit-recorded-390.png"), full_page=True)
