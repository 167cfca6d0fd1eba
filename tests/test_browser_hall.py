"""The deliberation hall in Chromium: the committee's hall and vote pages at 1366 and 390 px, and a resident voting
on the phone page at 390 px (issue 18). Screenshots under var/screenshots/ (not in git) to look at."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from civicloop.hall import services as hs
from civicloop.places.models import Household
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_hall_and_phone_vote(transactional_db, live_server, world, browser_page):
    hs.rules_ensure_defaults()
    home = Household.objects.get(community=world.comm_a1)
    topic = hs.topic_create(actor=world.committee_worker, place_id=home.building_id, title="1号楼加装电梯",
                            origin="residents", proposer="1号楼居民", body="设计方案已在楼道公示，费用按楼层分摊。")
    hs.post_add(actor=world.committee_worker, topic_id=topic.pk, speaker="5楼住户", body="老人上下楼困难，非常支持。")
    vote = hs.vote_open(actor=world.committee_worker, topic_id=topic.pk, place_id=home.building_id,
                        question="是否同意1号楼加装电梯", rule_code="major", proposal="加装电梯一部，费用按楼层系数分摊。",
                        closes_at=timezone.now() + dt.timedelta(days=7))
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.committee_worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/hall/")
        expect(page.locator("#votes-open")).to_contain_text("是否同意1号楼加装电梯")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"hall-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}/hall/topics/{topic.pk}/")
        expect(page.locator("#posts")).to_contain_text("非常支持")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"hall-topic-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}/hall/votes/{vote.pk}/")
        expect(page.locator("#r-eligible")).to_have_text("1")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"hall-vote-{width}.png"), full_page=True)
    # a resident on the phone page: the code, the last four digits, yes
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/hall/v/{vote.pk}/{vote.token}/")
    page.fill("#household_code", home.code)
    page.fill("#phone_last4", home.head_phone[-4:])
    page.click("label[for=c-yes]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "hall-ballot-390.png"), full_page=True)
    page.click("#ballot-form button[type=submit]")
    expect(page.locator("#ballot-thanks")).to_be_visible()
    page.screenshot(path=str(shots / "hall-ballot-done-390.png"), full_page=True)
    assert vote.ballots.count() == 1
    # the committee closes it (every household voted) and prints the notice
    hs.vote_close(actor=world.committee_worker, vote_id=vote.pk)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.committee_worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/hall/votes/{vote.pk}/notice/")
    expect(page.locator("#notice-verdict")).to_contain_text("表决通过")
    page.screenshot(path=str(shots / "hall-notice-1366.png"), full_page=True)
