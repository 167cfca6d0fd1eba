"""The volunteers pages in Chromium at 1366 and 390 px: the committee's roster (check-in and check-out), the
volunteer's own page on a phone (proof, sign-up, check-in, check-out) and the street's board, whose hours grow by
the shift. Nothing runs off a phone's screen. Screenshots under var/screenshots/ (not in git)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from civicloop.testing import PASSWORD
from civicloop.volunteers import services as s
from civicloop.volunteers.models import HoursEntry, SignUp
from civicloop.volunteers.testing import make_member, make_need

pytestmark = pytest.mark.browser


def shot(page, name):
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / name), full_page=True)


def login(page, url, user):
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_volunteer_pages_at_desktop_and_phone_width(transactional_db, live_server, world, browser_page):
    now = timezone.now()
    volunteer = make_member(world, name="陈志愿", phone="13912348888")
    others = [make_member(world, name=f"志愿者{i}", phone=f"1391234000{i}") for i in range(3)]
    old = make_need(world, title="垃圾分类定时定点引导", starts_in=dt.timedelta(hours=1), hours=2,
                    now=now - dt.timedelta(hours=4))
    for m in others:
        signup = s.signup_create(actor=world.committee_worker, need_id=old.pk, member_id=m.pk,
                                 now=now - dt.timedelta(hours=4))
        s.signup_check_in(actor=world.committee_worker, signup_id=signup.pk, at=now - dt.timedelta(hours=3))
        s.signup_check_out(actor=world.committee_worker, signup_id=signup.pk, at=now - dt.timedelta(hours=1))
    need = make_need(world, title="独居老人上门探访（每周三上午）", slots=4, starts_in=dt.timedelta(hours=-1), hours=3)
    page = browser_page
    page.set_default_timeout(90_000)  # a shared, loaded machine: the first page may take long
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server.url, world.committee_worker)
    page.goto(f"{live_server.url}/volunteers/")
    expect(page.locator("#total-hours")).to_have_text("6.00")
    shot(page, "volunteers-board-committee-1366.png")
    page.goto(f"{live_server.url}/volunteers/needs/{old.pk}/")
    shot(page, "volunteers-roster-1366.png")
    page.goto(f"{live_server.url}/volunteers/members/")
    shot(page, "volunteers-members-1366.png")
    # the volunteer on a phone
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/volunteers/me/")
    page.fill("#p-code", volunteer.person.code)
    page.fill("#p-last4", "8888")
    page.click("button[type=submit]")
    expect(page.locator("#open-needs")).to_contain_text("独居老人上门探访")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "volunteers-me-390.png")
    page.locator("#open-needs button").first.click()
    expect(page.locator("#my-signups")).to_contain_text("独居老人上门探访")
    page.locator("#my-signups button", has_text="签到").click()
    signup = SignUp.objects.get(member=volunteer)
    assert signup.state == "checked_in"
    SignUp.objects.filter(pk=signup.pk).update(check_in_at=timezone.now() - dt.timedelta(minutes=80))
    page.locator("#my-signups button", has_text="签退").click()
    expect(page.locator("#year-hours")).to_have_text("1.33")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "volunteers-me-after-390.png")
    assert HoursEntry.objects.filter(member=volunteer).count() == 1
    # the street's board on a phone: the community's hours grew by the shift
    login(page, live_server.url, world.street_dispatcher)
    page.goto(f"{live_server.url}/volunteers/?place={world.street_a.pk}")
    expect(page.locator("#total-hours")).to_have_text("7.33")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "volunteers-board-street-390.png")
    page.goto(f"{live_server.url}/volunteers/needs/{need.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    login(page, live_server.url, world.committee_worker)
    for url in (f"/volunteers/needs/{need.pk}/", "/volunteers/needs/", "/volunteers/members/"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    shot(page, "volunteers-members-390.png")
    page.goto(f"{live_server.url}/volunteers/needs/")
    shot(page, "volunteers-needs-390.png")
